// Hip DXA-equivalent areal BMD: pose, projection, regions, scores (docs/densitometry-hip.md).
import OpenBCTCore
import Anatomy
import Calibration

/// DXA-equivalent hip densitometry from a calibrated density volume and femur masks.
public enum HipDensitometry {
    /// Measures every femur of a segmentation (labels `AnatomyLabel.femur(side)` on the density grid).
    ///
    /// - Parameters:
    ///   - density: mg/cm³ K2HPO4-equivalent (`Calibration.apply`).
    ///   - labels: OpenBCT labels on the same grid.
    ///   - femurs: the segmentation's femurs (side, label, landmarks).
    ///   - cutByFieldOfView: sides the caller knows to be cut (e.g. from a `femurCutByFieldOfView`
    ///     finding); femur voxels on the volume boundary are detected here in any case.
    /// - Throws: `InputError` when the label grid differs from the density grid.
    public static func measure(density: Volume<Float>, labels: Volume<UInt8>, femurs: [FemurSummary],
                               cutByFieldOfView: Set<Side> = [], subject: ReferenceSubject = ReferenceSubject(),
                               options: HipOptions = HipOptions()) throws -> HipAnalysis {
        guard labels.grid.isAligned(with: density.grid) else {
            throw InputError(location: "label map geometry",
                "the labels (\(labels.grid.dims)) are not on the density volume's grid (\(density.grid.dims)); resample them first")
        }
        // One pass over the label map collects every femur's voxels.
        var members: [UInt8: [Int]] = [:]
        for f in femurs { members[f.label] = [] }
        labels.voxels.withUnsafeBufferPointer { l in
            for i in 0..<l.count where l[i] != 0 && members[l[i]] != nil { members[l[i]]!.append(i) }
        }
        var results: [FemurHipResult] = [], images: [Side: ProjectionImage] = [:]
        for femur in femurs.sorted(by: { $0.side.rawValue < $1.side.rawValue }) {
            let voxels = members[femur.label] ?? []
            let (result, image) = measureFemur(density: density, voxels: voxels, side: femur.side, landmarks: femur.landmarks,
                                               flaggedCut: cutByFieldOfView.contains(femur.side), subject: subject, options: options)
            results.append(result)
            if let image { images[femur.side] = image }
        }
        return HipAnalysis(result: summarise(results, subject: subject, options: options), images: images)
    }

    /// Measures one femur given its mask (linear voxel indices into `density`) and landmarks.
    public static func measureFemur(density: Volume<Float>, voxels: [Int], side: Side, landmarks: FemurLandmarks?,
                                    flaggedCut: Bool = false, subject: ReferenceSubject = ReferenceSubject(),
                                    options: HipOptions = HipOptions()) -> (FemurHipResult, ProjectionImage?) {
        var result = FemurHipResult(side: side, pose: nil, geometry: nil, regions: [], cutByFieldOfView: flaggedCut,
                                    femurBMCG: 0, findings: [])
        guard !voxels.isEmpty else {
            result.findings.append("\(side.rawValue) femur: empty mask, nothing measured")
            return (result, nil)
        }
        guard let landmarks, let pose = DXAPose(landmarks: landmarks, side: side) else {
            result.findings.append(landmarks == nil
                ? "\(side.rawValue) femur: no head/neck/shaft landmarks, so no DXA-like pose; not measured"
                : "\(side.rawValue) femur: implausible landmarks (neck–shaft angle \(Int(landmarks!.neckShaftAngleDeg.rounded()))°, neck within \(Int(DXAPose.minimumNeckToShaftDeg))° of the shaft axis); not measured")
            return (result, nil)
        }
        result.pose = pose
        var image = HipProjector.project(density: density, voxels: voxels, pose: pose, options: options)
        result.femurBMCG = (0..<image.arealDensity.count).reduce(0) { $0 + image.mineralMassG($1) }
        if image.fieldOfViewCut.contains(1) { result.cutByFieldOfView = true }
        if result.cutByFieldOfView {
            result.findings.append("\(side.rawValue) femur: cut by the field of view; regions the cut reaches are not reported")
        }
        let geometry: HipRegionGeometry
        do {
            geometry = try HipRegionPlacer.place(image: image, pose: pose, landmarks: landmarks, options: options)
        } catch {
            result.findings.append("\(side.rawValue) femur: regions not placed: \(error)")
            return (result, image)
        }
        result.geometry = geometry
        for r in 0..<image.height { for c in 0..<image.width {
            image.regions[c + image.width * r] = geometry.region(at: image.planeCoordinates(column: c, row: r))?.code ?? 0
        } }
        let scoring = HipReferenceScoring(tReference: options.tReference, zReference: options.zReference)
        result.regions = HipRegion.allCases.map { region in
            measureRegion(region, image: image, geometry: geometry, flaggedCut: flaggedCut, scoring: scoring, subject: subject)
        }
        if geometry.distalEdgeY == nil {
            result.findings.append("\(side.rawValue) femur: the lesser trochanter was not found, so the total hip has no distal edge; only the femoral neck is reported")
        }
        return (result, image)
    }

    /// Area, BMC and aBMD of a region, its validity and its scores.
    static func measureRegion(_ region: HipRegion, image: ProjectionImage, geometry: HipRegionGeometry, flaggedCut: Bool,
                              scoring: HipReferenceScoring, subject: ReferenceSubject) -> HipRegionResult {
        var bonePixels = 0, mass = 0.0, cut = false
        for i in image.regions.indices where region.contains(label: image.regions[i]) {
            mass += image.mineralMassG(i)
            if image.bone[i] != 0 { bonePixels += 1 }
            if image.fieldOfViewCut[i] != 0 { cut = true }
        }
        let area = Double(bonePixels) * image.pixelAreaCM2
        var reason: String?
        if region != .femoralNeck && geometry.distalEdgeY == nil {
            reason = "no distal edge: the lesser trochanter was not found"
        } else if cut {
            reason = "the femur is cut by the CT's field of view inside this region"
        } else if flaggedCut && region != .femoralNeck {
            reason = "the femur is reported cut by the field of view"
        } else if bonePixels == 0 {
            reason = "no bone in the region"
        }
        return scoredRegion(region, areaCM2: area, bmcG: mass, invalidReason: reason, scoring: scoring, subject: subject)
    }

    /// A region's result from its area and BMC: aBMD, scores and class (none when invalid).
    static func scoredRegion(_ region: HipRegion, areaCM2 area: Double, bmcG mass: Double, invalidReason reason: String?,
                             scoring: HipReferenceScoring, subject: ReferenceSubject) -> HipRegionResult {
        let aBMD = area > 0 ? mass / area : 0
        let t: ReferenceScore, z: ReferenceScore
        if let reason {
            t = ReferenceScore(kind: .tScore, unavailable: reason); z = ReferenceScore(kind: .zScore, unavailable: reason)
        } else {
            t = scoring.tScore(aBMD: aBMD, region: region); z = scoring.zScore(aBMD: aBMD, region: region, subject: subject)
        }
        // methods.md §10: under 20 years, values without classes.
        let classified = t.value.flatMap { v in (subject.ageYears ?? 20) >= 20 ? BoneDensityClass(tScore: v) : nil }
        return HipRegionResult(region: region, valid: reason == nil, invalidReason: reason, areaCM2: area, bmcG: mass,
                               aBMDGPerCM2: aBMD, tScore: t, zScore: z, densityClass: classified)
    }

    /// The lowest hip T-score over both sides and the notes every reader must see.
    static func summarise(_ femurs: [FemurHipResult], subject: ReferenceSubject, options: HipOptions) -> HipDensitometryResult {
        var lowest: LowestHipTScore?
        for f in femurs { for r in f.regions where r.valid && (r.region == .femoralNeck || r.region == .totalHip) {
            guard let v = r.tScore.value else { continue }
            if lowest?.tScore.value.map({ v < $0 }) ?? true {
                lowest = LowestHipTScore(side: f.side, region: r.region, tScore: r.tScore, densityClass: r.densityClass)
            }
        } }
        var notes = [
            "CT-derived DXA-equivalent aBMD (projection of calibrated CT density, CTXA principle); the CT→DXA scale is not cross-calibrated, so T-scores are DXA-equivalent estimates, not DXA measurements.",
            "T-scores against \(options.tReference.femoralNeck.population): femoral neck \(options.tReference.femoralNeck.meanGPerCM2) ± \(options.tReference.femoralNeck.sdGPerCM2), total hip \(options.tReference.totalHip.meanGPerCM2) ± \(options.tReference.totalHip.sdGPerCM2) g/cm² (\(options.tReference.totalHip.source)); trochanter and intertrochanter have no cited reference here and get no T-score.",
        ]
        switch options.mineral {
        case .hydroxyapatite:
            notes.append("Mineral expressed as hydroxyapatite: each voxel's K2HPO4-equivalent density converted by ρ_HA = (1.06·ρ_K − 30.9)/0.839 (through ash density, methods.md §10 [U]), negatives set to 0.")
        case .k2hpo4:
            notes.append("Mineral expressed as K2HPO4-equivalent (no conversion to hydroxyapatite), negatives set to 0.")
        }
        if options.zReference == nil {
            notes.append("Z-scores unavailable: no age/sex reference is confirmed (methods.md §10).")
        }
        if subject.sex == nil {
            notes.append("Sex unknown: the female reference is used for classes (it is used for both sexes anyway).")
        } else if subject.sex == .male {
            notes.append("Male subject: T-scores use the female young-adult reference (ISCD 2013).")
        }
        if let age = subject.ageYears, age < 20 {
            notes.append("Age under 20: values without WHO classes.")
        } else if subject.ageYears == nil {
            notes.append("Age unknown: WHO classes assume an adult.")
        }
        notes.append("WHO categories apply to postmenopausal women and men aged 50 or more (ISCD).")
        return HipDensitometryResult(mineral: options.mineral.rawValue, subject: subject, femurs: femurs, lowestTScore: lowest,
                                     notes: notes, options: options)
    }
}
