// Spine densitometry: trabecular vBMD per vertebra in a VOI of the vertebral frame, the site value
// (L1–L2 by default), its class, and the opportunistic L1 HU.
import Anatomy
import Foundation
import OpenBCTCore

/// The entry point of spine densitometry.
public enum SpineDensitometry {
    /// Measures every vertebra of `anatomy` on the calibrated `density` volume.
    /// - Parameters:
    ///   - density: K2HPO4-equivalent density (mg/cm³), e.g. `Calibration.apply(hu)`.
    ///   - labels: OpenBCT labels (`AnatomyLabel`) on the same grid, as from `AnatomySegmenter` or `LabelMapImport`.
    ///   - anatomy: the segmentation result (body labels, levels, landmarks, field-of-view cuts).
    ///   - hu: the HU volume, for the mean HU per vertebra and the opportunistic L1 screen (optional).
    /// Eligibility (contrast, slice thickness, …) is decided before: call this only for an accepted spine.
    public static func measure(density: Volume<Float>, labels: Volume<UInt8>, anatomy: SegmentationResult,
                               hu: Volume<Float>? = nil, options: SpineBMDOptions = SpineBMDOptions()) throws -> SpineBMDResult {
        guard labels.grid.dims == density.grid.dims else {
            throw InputError(location: "labels", "the label map's grid \(labels.grid.dims) differs from the density volume's \(density.grid.dims)")
        }
        if let hu, hu.grid.dims != density.grid.dims {
            throw InputError(location: "hu", "the HU volume's grid \(hu.grid.dims) differs from the density volume's \(density.grid.dims)")
        }
        // One pass over the label map collects every body's voxels.
        var wanted = [Bool](repeating: false, count: 256)
        for v in anatomy.vertebrae { wanted[Int(v.bodyLabel)] = true }
        var members = [[Int]](repeating: [], count: 256)
        labels.voxels.withUnsafeBufferPointer { l in
            for i in 0..<l.count where wanted[Int(l[i])] { members[Int(l[i])].append(i) }
        }
        let builder = TrabecularVOIBuilder(options: options)
        let measured = anatomy.vertebrae.map { v in
            measureVertebra(v, body: members[Int(v.bodyLabel)], density: density, hu: hu, builder: builder, options: options)
        }
        var notes: [String] = []
        let site = siteValue(measured, options: options, notes: &notes)
        let l1 = measured.first { $0.level == "L1" && $0.usable }?.meanHU.map(OpportunisticL1HU.init(meanHU:))
        if hu == nil { notes.append("no HU volume given: mean HU and the opportunistic L1 screen not computed") }
        return SpineBMDResult(vertebrae: measured, site: site, opportunisticL1: l1, options: options, notes: notes)
    }

    static func measureVertebra(_ v: VertebraSummary, body: [Int], density: Volume<Float>, hu: Volume<Float>?,
                                builder: TrabecularVOIBuilder, options: SpineBMDOptions) -> VertebraBMD {
        var result = VertebraBMD(level: v.level, ordinal: v.ordinal, usable: false, notes: [])
        if v.cutByFieldOfView {
            result.notes.append("cut by the field of view: not measured")
            return result
        }
        guard let (voi, voxels, frameNote) = builder.build(body: body, landmarks: v.landmarks, grid: density.grid) else {
            result.notes.append("no trabecular VOI could be placed (body too small or empty)")
            return result
        }
        if let frameNote { result.notes.append(frameNote) }
        result.voi = voi
        var values = [Float](); values.reserveCapacity(voxels.count)
        for i in voxels { values.append(density.voxels[i]) }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let sorted = values.sorted()
        result.vBMD = mean
        result.medianDensity = Double(sorted[sorted.count / 2])
        result.standardDeviation = (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(1, values.count - 1))).squareRoot()
        if let hu { result.meanHU = voxels.reduce(0.0) { $0 + Double(hu.voxels[$1]) } / Double(voxels.count) }
        if voi.volumeMM3 < options.minimumVOIVolumeMM3 {
            result.notes.append(String(format: "VOI %.0f mm³ < %.0f mm³: not used for the site value", voi.volumeMM3, options.minimumVOIVolumeMM3))
        } else if v.level == nil {
            result.notes.append("level not named: not used for the site value")
        } else {
            result.usable = true
        }
        return result
    }

    /// The mean of the site levels, or of the nearest usable fallback levels (methods.md §10).
    static func siteValue(_ measured: [VertebraBMD], options: SpineBMDOptions, notes: inout [String]) -> SpineSiteValue? {
        let usable = Dictionary(measured.filter(\.usable).compactMap { m in m.level.map { ($0, m) } }, uniquingKeysWith: { a, _ in a })
        var chosen = options.siteLevels.filter { usable[$0.name] != nil }
        var siteNotes: [String] = []
        if chosen.count < options.siteLevels.count {
            for level in options.fallbackLevels where chosen.count < options.siteLevels.count && !chosen.contains(level) && usable[level.name] != nil {
                chosen.append(level)
            }
            let missing = options.siteLevels.filter { !chosen.contains($0) }.map(\.name)
            if !chosen.isEmpty {
                siteNotes.append("\(missing.joined(separator: ", ")) not usable: site value from \(chosen.map(\.name).joined(separator: ", "))")
            }
        }
        guard !chosen.isEmpty else {
            notes.append("no usable vertebra among \((options.siteLevels + options.fallbackLevels).map(\.name)): no site value")
            return nil
        }
        if chosen.count < options.siteLevels.count { siteNotes.append("only \(chosen.count) level(s) usable") }
        chosen.sort()
        let value = chosen.map { usable[$0.name]!.vBMD! }.reduce(0, +) / Double(chosen.count)
        var classification: SpineBMDClass? = SpineBMDClass(vBMD: value)
        if let age = options.patientAgeYears, age < 20 {
            classification = nil
            siteNotes.append("age < 20 years: value without a class (methods.md §10)")
        }
        return SpineSiteValue(levels: chosen.map(\.name), vBMD: value, classification: classification,
                              displayed: String(format: "%.0f mg/cm³", value), notes: siteNotes)
    }
}
