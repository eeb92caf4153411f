// `openbct analyze INPUT -o OUTDIR`: the whole analysis (docs/analysis.md), a progress line on a terminal.
import ArgumentParser
import Assessment
import Foundation
import OpenBCTCore
import Pipeline
import ResultModel

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a CT end to end: calibration, anatomy, BMD, FE strength, classes, risk, billing → OUTDIR/result.json and figures.",
        discussion: """
        Patient facts default to the DICOM header; --sex/--age/--height/--weight override them. --prior compares with an \
        earlier result.json (percent change and least significant change). --indication (repeatable) checks ICD-10-CM codes \
        against the supported list. The exit status is non-zero when the analysis was discontinued (the document is still \
        written, status "discontinued"). \(OpenBCT.researchUseNotice)
        """)

    @Argument(help: "A DICOM folder or file, or a HU volume (.nii/.nii.gz/.mha/.mhd).") var input: String
    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Sites: hip, spine or hip,spine.") var sites: String = "hip,spine"
    @Option(help: "DICOM series (SeriesInstanceUID or listing number); default: the default rule of `inspect`.") var series: String?
    @Option(help: "Patient sex F or M (overrides the header).") var sex: String?
    @Option(help: "Age in years (overrides the header).") var age: Double?
    @Option(help: "Height in cm (fall force).") var height: Double?
    @Option(help: "Weight in kg (fall force).") var weight: Double?
    @Option(help: "A prior result.json for change analysis.") var prior: String?
    @Option(parsing: .upToNextOption, help: "ICD-10-CM indications of the order.") var indication: [String] = []
    @Option(help: "Calibration: internal, qrm (auto-detected QRM insert) or a phantom definition JSON.") var calibration: String = "internal"
    @Option(help: "Asynchronous calibration: a calibration JSON saved by `openbct calibrate --json` from a phantom scan of the same scanner and protocol (replaces --calibration).") var savedCalibration: String?
    @Option(help: "FE element edge (mm) for every site; 1 gives the 1 mm elements of `openbct fe` (docs/analysis.md, Decisions).") var voxel: Double = AnalysisOptions.defaultFEVoxelSize
    @Option(help: "Nonlinear load steps.") var steps: Int = 12
    @Flag(help: "Load every nonlinear curve to the deformation limit (default: end it 3 increments and 5 % of the limit after its peak; same strength, for research on the falling branch).") var fullCurve = false
    @Flag(help: "Also solve the fall directions α 0/20°, β 0/30° (linear) for the direction part of the strength interval.") var directionSpread = false
    @Flag(help: "Also solve each bone linearly with its mask eroded and dilated by one voxel (segmentation part of the interval; experimental, docs/analysis.md).") var segmentationPerturbation = false
    @Flag(help: "Run every step one after the other, each with all cores: the hip's segmentation after the spine's, the bones' FE after densitometry (default: side by side, one core each, the femurs from the hip's segmentation on; same results — for timing comparisons).") var sequentialFe = false
    @Option(help: "Billing: who retrieved the scan (component split when performers differ).") var retrievedBy: String?
    @Option(help: "Billing: who ran the analysis.") var analysedBy: String?
    @Option(help: "Billing: who interprets and reports.") var interpretedBy: String?
    @Flag(help: "Print the result document on stdout instead of a summary.") var json = false

    func validate() throws {
        if let sex, !["F", "M"].contains(sex.uppercased()) { throw ValidationError("--sex: expected F or M, got '\(sex)'") }
        if let age, !(0...130).contains(age) { throw ValidationError("--age: expected 0–130 years") }
        if let height, !(50...250).contains(height) { throw ValidationError("--height: expected 50–250 cm") }
        if let weight, !(10...300).contains(weight) { throw ValidationError("--weight: expected 10–300 kg") }
        if !(0.3...3).contains(voxel) { throw ValidationError("--voxel: expected 0.3–3 mm") }
        if !(1...100).contains(steps) { throw ValidationError("--steps: expected 1–100") }
        if savedCalibration != nil && calibration != "internal" { throw ValidationError("give --calibration or --saved-calibration, not both") }
        _ = try parsedSites()
    }

    func parsedSites() throws -> [AnalysisSite] {
        var out: [AnalysisSite] = []
        for s in sites.split(separator: ",") {
            guard let site = AnalysisSite(rawValue: s.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--sites: unknown site '\(s)' (expected hip, spine)")
            }
            if !out.contains(site) { out.append(site) }
        }
        guard !out.isEmpty else { throw ValidationError("--sites: at least one site") }
        return out
    }

    func run() throws {
        var options = AnalysisOptions()
        options.feVoxelSize = voxel
        options.nonlinearSteps = steps
        if fullCurve { options.stopAfterDecline = nil }
        options.segmentationPerturbation = segmentationPerturbation
        options.solveBonesConcurrently = !sequentialFe
        options.calibration = savedCalibration.map { .saved($0) }
            ?? (calibration == "internal" ? .internal : calibration == "qrm" ? .qrmPhantom : .phantomFile(calibration))
        if directionSpread {
            options.directionSpread = [(0.0, 15.0), (20, 15), (10, 0), (10, 30)].map { FallDirectionAngles(alpha_deg: $0.0, beta_deg: $0.1) }
        }
        let request = AnalysisRequest(
            input: input, series: series, outputDirectory: URL(fileURLWithPath: output), sites: try parsedSites(),
            patient: PatientOverrides(sex: sex?.uppercased(), ageYears: age, heightCM: height, weightKG: weight),
            prior: prior.map { URL(fileURLWithPath: $0) }, indications: indication,
            performers: ServicePerformers(retrieval: retrievedBy, analysis: analysedBy, interpretation: interpretedBy), options: options)
        let display = ProgressDisplay(enabled: !json)
        let document: ResultDocument
        do {
            document = try AnalysisPipeline().run(request) { display.show($0) }
        } catch {
            display.clear()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        display.clear()
        if json {
            print(String(decoding: try document.jsonData(), as: UTF8.self))
        } else {
            print(AnalysisSummary.text(document, folder: output))
        }
        if document.status == .discontinued {
            FileHandle.standardError.write(Data("error: \(document.omissions.first { $0.part == "analysis" }?.reason ?? "analysis discontinued")\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// One rewritten status line on a terminal; plain lines otherwise (logs, pipes).
final class ProgressDisplay: @unchecked Sendable {
    let enabled: Bool
    let terminal = isatty(STDERR_FILENO) != 0
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: AnalysisProgress) {
        guard enabled else { return }
        let bar = String(repeating: "█", count: Int(p.fraction * 20)) + String(repeating: "░", count: 20 - Int(p.fraction * 20))
        let line = String(format: "%@ %3.0f%% %@: %@", bar, p.fraction * 100, p.stage, p.message)
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func clear() { if enabled && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}
