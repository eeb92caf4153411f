// `openbct bmd INPUT [--labels FILE] [--json]`: ingest, calibrate, segment (or import labels), check
// eligibility, measure spine vBMD. Human-readable table or the JSON document.
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
        abstract: "Bone mineral density: calibrate, check eligibility, and measure spine trabecular vBMD (mg/cm³ K2HPO4).",
        discussion: """
        INPUT is a DICOM folder/file or a HU volume. Without --labels the spine is segmented automatically; with \
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

    @Option(name: .long, help: "Levels averaged for the spine site value (default L1,L2).")
    var levels: String = "L1,L2"

    @Option(name: .long, help: "Patient age in years (under 20: values without classes). Default: DICOM PatientAge.")
    var age: Double?

    @Flag(name: .long, help: "Print the result document as JSON.")
    var json = false

    @Flag(name: .long, help: "Print the wall time of each stage on stderr (load, segment, calibrate, eligibility, densitometry).")
    var timings = false

    /// The `bmd --json` document.
    struct Report: Codable {
        var software = "\(OpenBCT.name) \(OpenBCT.version)"
        var notice = OpenBCT.researchUseNotice
        var input: String
        var calibration: Calibration
        var eligibility: EligibilityReport
        var segmentationFindings: [Finding]
        /// nil when the spine was refused (see `eligibility`).
        var spine: SpineBMDResult?
    }

    func run() throws {
        do {
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
                segmentation = AnatomySegmenter().segment(hu: ct.volume, sites: [.spine])
            }
            clock.lap(labels == nil ? "segment" : "import labels")
            let calibration = try calibrationOptions.calibrate(ct, path: input, tissueLabels: tissueLabels)
            clock.lap("calibrate")
            let eligibility = Eligibility.evaluate(sites: [.spine], hu: ct.volume, labels: segmentation.labels, anatomy: segmentation.result,
                                                   acquisition: ct.facts, totalSegmentatorLabels: tissueLabels)
            clock.lap("eligibility")
            var spine: SpineBMDResult?
            if eligibility[.spine]?.accepted == true {
                spine = try SpineDensitometry.measure(density: calibration.apply(ct.volume), labels: segmentation.labels,
                                                      anatomy: segmentation.result, hu: ct.volume, options: options)
            }
            clock.lap("densitometry")
            if timings { FileHandle.standardError.write(Data("timings: \(clock.summary)\n".utf8)) }
            let report = Report(input: input, calibration: calibration, eligibility: eligibility,
                                segmentationFindings: segmentation.result.findings, spine: spine)
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

    static func table(_ r: Report) -> String {
        var lines = [OpenBCT.researchUseNotice]
        let c = r.calibration
        lines.append(String(format: "calibration: %@, HU = %.2f + %.4f·ρ (mg/cm³ %@)", c.method.rawValue, c.line.intercept, c.line.slope, c.equivalent.rawValue))
        lines.append("contrast: \(r.eligibility.contrast.summary)")
        for site in r.eligibility.sites {
            lines.append("\(site.site.rawValue): \(site.accepted ? "eligible" : "REFUSED")")
            for reason in site.reasons { lines.append("  refused — \(reason)") }
            for finding in site.findings { lines.append("  finding — \(finding)") }
        }
        if let spine = r.spine {
            lines.append("level  vBMD mg/cm³  median   SD    mean HU  VOI mm³  note")
            for v in spine.vertebrae {
                let value = { (x: Double?, f: String) in x.map { String(format: f, $0) } ?? "—" }
                lines.append(String(format: "%-5@  %11@  %6@  %5@  %7@  %7@  %@", v.level ?? "#\(v.ordinal)",
                                    value(v.vBMD, "%.1f"), value(v.medianDensity, "%.1f"), value(v.standardDeviation, "%.1f"),
                                    value(v.meanHU, "%.1f"), value(v.voi?.volumeMM3, "%.0f"), v.notes.joined(separator: "; ")))
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
        for f in r.segmentationFindings { lines.append("finding: \(f)") }
        return lines.joined(separator: "\n")
    }
}

/// Wall-clock laps of a command's stages.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [(String, Double)] = []

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((name, Double(now - last) / 1e9)); last = now
    }

    var summary: String { laps.map { String(format: "%@ %.2f s", $0.0, $0.1) }.joined(separator: ", ") }
}
