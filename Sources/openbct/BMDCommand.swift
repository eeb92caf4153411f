// `openbct bmd INPUT [--labels FILE] [--json]`: ingest, calibrate, segment (or import labels), check
// eligibility, measure spine vBMD and hip aBMD/T-scores. Human-readable table or the JSON document.
import Anatomy
import ArgumentParser
import Calibration
import Densitometry
import Eligibility
import Foundation
import ImageFormats
import OpenBCTCore

struct BMDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmd",
        abstract: "Bone mineral density: calibrate, check eligibility, measure spine trabecular vBMD and hip DXA-equivalent aBMD.",
        discussion: """
        INPUT is a DICOM folder/file or a HU volume. Without --labels the sites are segmented automatically; with \
        --labels a segmentation made elsewhere (TotalSegmentator `total` ids, or --label-table) is imported and also \
        gives the muscle and aorta regions of internal calibration and the aortic blood of the contrast check. \
        Calibration options are those of `calibrate` (internal by default; --phantom, --phantom-scan, --calibration). \
        A site refused by eligibility (methods.md §2) gets its reasons, never a number. \
        \(OpenBCT.researchUseNotice)
        """)

    @Argument(help: "CT: a DICOM folder/file or a .nii/.nii.gz/.mha volume in HU.")
    var input: String

    @Option(name: .long, help: "A segmentation made elsewhere (label map, any grid) instead of the automatic one.")
    var labels: String?

    @Option(name: .long, help: "Class table (TSV: id<TAB>name) for --labels (default: TotalSegmentator `total` ids).")
    var labelTable: String?

    @OptionGroup var calibrationOptions: CalibrationOptions

    @Option(name: .long, help: "Sites to measure: hip, spine or hip,spine.")
    var sites: String = "hip,spine"

    @Option(name: .long, help: "Levels averaged for the spine site value (default L1,L2).")
    var levels: String = "L1,L2"

    @Option(name: .long, help: "Patient age in years (under 20: values without classes). Default: DICOM PatientAge.")
    var age: Double?

    @Option(name: .long, help: "Patient sex F or M (Z-scores, strength classes). Default: DICOM PatientSex.")
    var sex: String?

    @Flag(name: .long, help: "Print the result document as JSON.")
    var json = false

    @Flag(name: .long, help: "Print the wall time of each stage on stderr (load, segment, calibrate, eligibility, density map, spine, hip).")
    var timings = false

    /// The `bmd --json` document.
    struct Report: Codable {
        var software = "\(OpenBCT.name) \(OpenBCT.version)"
        var notice = OpenBCT.researchUseNotice
        var input: String
        var calibration: Calibration
        var eligibility: EligibilityReport
        var segmentationFindings: [Finding]
        /// nil when the spine was refused or not asked for (see `eligibility`).
        var spine: SpineBMDResult?
        /// nil when the hip was refused or not asked for.
        var hip: HipDensitometryResult?
    }

    func run() throws {
        do {
            var chosen: [Site] = []
            for name in sites.split(separator: ",") {
                guard let site = Site(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ValidationError("--sites: unknown site '\(name)' (expected hip, spine)")
                }
                if !chosen.contains(site) { chosen.append(site) }
            }
            var options = SpineBMDOptions()
            options.siteLevels = try levels.split(separator: ",").map { name in
                guard let level = VertebralLevel(name: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--levels: unknown level '\(name)' (expected e.g. L1,L2)")
                }
                return level
            }
            var clock = StageClock()
            let ct = try CTInput.load(input)
            clock.lap("load")
            options.patientAgeYears = age ?? ct.facts?.patientAge.flatMap(Self.years)
            let sexCode = (sex ?? ct.facts?.patientSex)?.uppercased()
            let subject = ReferenceSubject(ageYears: options.patientAgeYears,
                                           sex: sexCode == "F" ? .female : (sexCode == "M" ? .male : nil))
            var segmentation: AnatomySegmentation
            var tissueLabels: Volume<Int32>?
            if let labels {
                let map = try ImageFile.read(contentsOf: URL(fileURLWithPath: labels)).asLabels()
                let table = try labelTable.map { try TotalSegmentatorLabels(contentsOf: URL(fileURLWithPath: $0)) } ?? .embedded
                let (onCT, importFindings) = try LabelMapImport.resample(map, onto: ct.volume.grid, path: labels)
                segmentation = LabelMapImport.segmentation(from: onCT, names: table, source: labels)
                segmentation.result.findings = importFindings + segmentation.result.findings
                tissueLabels = onCT
            } else {
                segmentation = AnatomySegmenter().segment(hu: ct.volume, sites: Set(chosen))
            }
            clock.lap(labels == nil ? "segment" : "import-labels")
            let calibration = try calibrationOptions.calibrate(ct, path: input, tissueLabels: tissueLabels)
            clock.lap("calibrate")
            let eligibility = Eligibility.evaluate(sites: chosen, hu: ct.volume, labels: segmentation.labels, anatomy: segmentation.result,
                                                   acquisition: ct.facts, totalSegmentatorLabels: tissueLabels)
            clock.lap("eligibility")
            let density = calibration.apply(ct.volume)
            clock.lap("density-map")
            var spine: SpineBMDResult?, hip: HipDensitometryResult?
            if eligibility[.spine]?.accepted == true {
                spine = try SpineDensitometry.measure(density: density, labels: segmentation.labels,
                                                      anatomy: segmentation.result, hu: ct.volume, options: options)
                clock.lap("spine")
            }
            if eligibility[.hip]?.accepted == true {
                let cut = Set(segmentation.result.femurs.filter { $0.distalCut == nil }.map(\.side))
                hip = try HipDensitometry.measure(density: density, labels: segmentation.labels, femurs: segmentation.result.femurs,
                                                  cutByFieldOfView: cut, subject: subject).result
                clock.lap("hip")
            }
            if timings { FileHandle.standardError.write(Data("timings: \(clock.summary)\n".utf8)) }
            let report = Report(input: input, calibration: calibration, eligibility: eligibility,
                                segmentationFindings: segmentation.result.findings, spine: spine, hip: hip)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.table(report))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Years from a DICOM AS age ("064Y"; months, weeks and days count as under one year).
    static func years(_ age: String) -> Double? {
        guard age.count == 4, let n = Double(age.prefix(3)) else { return nil }
        switch age.last { case "Y": return n; case "M": return n / 12; case "W": return n / 52; case "D": return n / 365; default: return nil }
    }

    /// `text` left-aligned in `width` characters.
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }

    static func table(_ r: Report) -> String {
        var lines = [OpenBCT.researchUseNotice]
        let c = r.calibration
        lines.append(String(format: "calibration: %@, HU = %.2f + %.4f·ρ (mg/cm³ %@)", c.method.rawValue, c.line.intercept, c.line.slope, c.equivalent.rawValue))
        lines.append("contrast: \(r.eligibility.contrast.summary)")
        for site in r.eligibility.sites {
            lines.append("\(site.site.rawValue): \(site.accepted ? "eligible" : "REFUSED (no number is given)")")
            for reason in site.reasons { lines.append("  refused — \(reason)") }
            for finding in site.findings { lines.append("  finding — \(finding)") }
        }
        if let spine = r.spine {
            lines.append("level  vBMD mg/cm³  median  SD     mean HU  VOI mm³  note")
            for v in spine.vertebrae {
                let value = { (x: Double?, f: String) in x.map { String(format: f, $0) } ?? "—" }
                lines.append([pad(v.level ?? "#\(v.ordinal)", 5), pad(value(v.vBMD, "%.1f"), 11), pad(value(v.medianDensity, "%.1f"), 6),
                              pad(value(v.standardDeviation, "%.1f"), 5), pad(value(v.meanHU, "%.1f"), 7),
                              pad(value(v.voi?.volumeMM3, "%.0f"), 7), v.notes.joined(separator: "; ")].joined(separator: "  "))
            }
            if let s = spine.site {
                lines.append("spine site (\(s.levels.joined(separator: "–"))): \(s.displayed) K2HPO4 — \(s.classification?.rawValue ?? "no class")")
                for n in s.notes { lines.append("  note: \(n)") }
                lines.append("  classes: \(spine.classSource)")
            }
            if let l1 = spine.opportunisticL1 {
                lines.append(String(format: "opportunistic L1: %.0f HU — %@ (%@)", l1.meanHU, l1.band.rawValue, l1.source))
            }
            for n in spine.notes { lines.append("note: \(n)") }
        }
        if let hip = r.hip {
            lines.append("hip region          side   aBMD g/cm²  area cm²  T-score  class")
            for femur in hip.femurs {
                for region in femur.regions {
                    let aBMD = region.valid ? String(format: "%.3f", region.aBMDGPerCM2) : "—"
                    lines.append([pad(region.region.displayName, 18), pad(femur.side.rawValue, 5), pad(aBMD, 11),
                                  pad(String(format: "%.1f", region.areaCM2), 8), pad(region.tScore.display, 7),
                                  region.densityClass?.rawValue ?? (region.invalidReason ?? "—")].joined(separator: "  "))
                }
                for f in femur.findings { lines.append("  \(femur.side.rawValue) femur: \(f)") }
            }
            if let lowest = hip.lowestTScore {
                lines.append("lowest hip T-score: \(lowest.tScore.display) (\(lowest.side.rawValue) \(lowest.region.displayName)) — \(lowest.densityClass?.rawValue ?? "no class")")
            }
            for n in hip.notes { lines.append("note: \(n)") }
        }
        for f in r.segmentationFindings { lines.append("finding: \(f)") }
        return lines.joined(separator: "\n")
    }
}

/// Wall-clock and process-CPU laps of a command's stages (CPU time shows the work done when the
/// machine is shared and wall time is inflated by other processes).
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageClock.cpuSeconds()
    private(set) var laps: [(name: String, wall: Double, cpu: Double)] = []

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds, cpu = Self.cpuSeconds()
        laps.append((name, Double(now - last) / 1e9, cpu - lastCPU)); last = now; lastCPU = cpu
    }

    /// CPU seconds used by every thread of this process so far.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    var summary: String { laps.map { String(format: "%@ %.2f s (cpu %.2f s)", $0.name, $0.wall, $0.cpu) }.joined(separator: ", ") }
}
