// Pipeline: one analysis from a CT to a result document (ingest → eligibility → calibration → anatomy →
// densitometry → FE → assessment → document + figures), callable by the CLI, the service and tests.
import Anatomy
import Assessment
import Calibration
import Densitometry
import FE
import Foundation
import OpenBCTCore
import Reporting
import ResultModel

/// Runs analyses. Every stage's time is recorded; a site that cannot be analysed is an omission with
/// its reason (billing modifier 52); a failure before any result writes a discontinued document (53).
public struct AnalysisPipeline: Sendable {
    public var assessor = Assessor()
    public init() {}

    /// The document file name inside the output folder.
    public static let documentFile = "result.json"

    /// Analyses `request`, writes `result.json` and the figures into its output folder, and returns the document.
    /// Throws only when nothing could be written (bad arguments, unreadable output folder, unreadable prior).
    @discardableResult
    public func run(_ request: AnalysisRequest, progress: ProgressHandler? = nil) throws -> ResultDocument {
        var run = AnalysisRun(request: request, progress: progress, assessor: assessor)
        try FileManager.default.createDirectory(at: request.outputDirectory, withIntermediateDirectories: true)
        let prior = try request.prior.map { try ResultDocument.read(contentsOf: $0) }
        do {
            try run.execute(prior: prior)
        } catch {
            run.discontinue(error)
        }
        run.finish(prior: prior)
        let documentURL = request.outputDirectory.appendingPathComponent(Self.documentFile)
        try run.document.write(to: documentURL)
        if request.options.renderings {
            // Renderings read the written document and its figure files only. What they could not make
            // is recorded in the document (rewritten), so the folder never claims more than it holds.
            progress?(AnalysisProgress(stage: "renderings", fraction: 0.97, message: "PDF, DICOM SR/SEG/Encapsulated PDF, FHIR"))
            let t = Date()
            var missing: [String] = []
            do {
                let out = try ReportRenderer.renderAll(document: run.document, documentDirectory: request.outputDirectory,
                                                       outputDirectory: request.outputDirectory)
                missing = out.skipped
            } catch {
                missing = ["all renderings: \(error)"]
            }
            run.document.timings.insert(StageTiming(stage: "renderings", seconds: Date().timeIntervalSince(t)), at: max(0, run.document.timings.count - 1))
            for m in missing { run.document.omissions.append(Omission(part: "rendering", reason: m)) }
            try run.document.write(to: documentURL)
        }
        progress?(AnalysisProgress(stage: "done", fraction: 1, message: "wrote \(Self.documentFile)"))
        return run.document
    }

    /// The parameters recorded for `request`.
    static func parameters(_ request: AnalysisRequest, assessor: Assessor) -> AnalysisParameters {
        let o = request.options
        let calibration: String
        switch o.calibration {
        case .internal: calibration = "internal-effective-energy"
        case .qrmPhantom: calibration = "phantom-qrm-auto"
        case .phantomFile(let p): calibration = "phantom-file:\(p)"
        case .saved(let p): calibration = "asynchronous-saved:\(p)"
        }
        return AnalysisParameters(
            requestedSites: request.sites, calibrationMethod: calibration, feVoxelSize_mm: o.feVoxelSize,
            hip: HipParameters(protocolName: "hip-sideways-fall", materialLaw: StrengthStage.hipLaw.name, alpha_deg: o.hipAlpha, beta_deg: o.hipBeta,
                               directionSpread: o.directionSpread, deformationLimit: StrengthStage.hipLimit, nonlinearSteps: o.nonlinearSteps),
            spine: SpineParameters(protocolName: "vertebra-compression", materialLaw: StrengthStage.spineLaw.name,
                                   deformationLimit: StrengthStage.spineLimit, nonlinearSteps: o.nonlinearSteps, vbmdLevels: ["L1", "L2"],
                                   strengthLevelOrder: SpineStrengthLevel.order.map(\.name)),
            fallForce: assessor.fallForce.parameters, change: assessor.change.parameters, classThresholdsSource: ClassThresholds.source,
            notes: ["deformation limits (hip 4 %, spine 2 %), fall-force constants and the strength precision CV are [U] defaults (methods.md §10)"],
            stopAfterDecline: o.stopAfterDecline.map { DeclineStopParameters(increments: $0.increments, limitShare: $0.limitShare) })
    }
}
