// What one analysis is asked to do: the input, the sites, patient facts that override the header,
// a prior result, indications, who performs which billing component, and the analysis options.
import Assessment
import FE
import Foundation
import ResultModel

/// Patient facts given by the user or the order; each non-nil value overrides the DICOM header.
public struct PatientOverrides: Sendable, Equatable {
    public var id: String?
    public var name: String?
    /// "F" or "M".
    public var sex: String?
    public var ageYears: Double?
    public var heightCM: Double?
    public var weightKG: Double?
    public init(id: String? = nil, name: String? = nil, sex: String? = nil, ageYears: Double? = nil, heightCM: Double? = nil, weightKG: Double? = nil) {
        self.id = id; self.name = name; self.sex = sex; self.ageYears = ageYears; self.heightCM = heightCM; self.weightKG = weightKG
    }
}

/// How the HU → density calibration is made.
public enum CalibrationChoice: Sendable, Equatable {
    /// The patient's own tissues, effective-energy method (two-point fallback when too few tissues are found).
    case `internal`
    /// Rods of the QRM cardiac-calcification insert, detected automatically.
    case qrmPhantom
    /// A phantom definition JSON (Calibration's `PhantomDefinition`).
    case phantomFile(String)
    /// Asynchronous: a calibration JSON saved by `openbct calibrate --json` from a phantom scan of the same
    /// scanner and protocol, transferred to this scan (`AsynchronousCalibration`; refused when the two scans
    /// are known to differ in scanner or protocol).
    case saved(String)
}

/// Options with their documented defaults (docs/analysis.md).
public struct AnalysisOptions: Sendable, Equatable {
    /// FE element edge (mm) for every site: 1.5 mm, the element size of VirtuOst, whose thresholds give the
    /// strength classes (methods.md §6 option; a decision for the ≤ 30 s time budget, docs/analysis.md "Decisions").
    /// `openbct fe` keeps methods.md §6's 1.0 mm default for the peer comparisons.
    public var feVoxelSize = AnalysisOptions.defaultFEVoxelSize
    /// The default FE element edge of an analysis (mm).
    public static let defaultFEVoxelSize = 1.5
    /// Class-driving sideways fall (methods.md §10).
    public var hipAlpha = 10.0
    public var hipBeta = 15.0
    /// Extra fall directions solved linearly for the interval's direction component (empty: component omitted).
    public var directionSpread: [FallDirectionAngles] = []
    /// Nonlinear load steps up to the deformation limit.
    public var nonlinearSteps = 12
    /// Where a nonlinear curve may end before the deformation limit: 3 increments and 5 % of the limit past
    /// its peak (docs/analysis.md "Decisions": the strength is the peak, and no measured curve rose above its
    /// peak again); nil loads every curve to the limit (`analyze --full-curve`).
    public var stopAfterDecline: DeclineStop? = .analysis
    public var solverTolerance = 1e-6
    /// Re-solve each bone linearly with its mask eroded and dilated by one voxel for the interval's
    /// segmentation component (docs/analysis.md; two linear solves per bone). Off by default: on the real
    /// femur the change is dominated by the caps moving with the mask surface, not by the bone (docs/validation.md).
    public var segmentationPerturbation = false
    public var calibration: CalibrationChoice = .internal
    /// Solve the bones' FE jobs (each femur, the spine's level chain) at once, one per core, each job's
    /// loops serial while others run, the femurs' from the moment the hip is segmented beside the spine
    /// (docs/analysis.md, Performance). False: everything one after the other — the hip's segmentation after
    /// the spine's, the FE after densitometry — each step's loops on all cores; the same results to the last
    /// bit (`analyze --sequential-fe`, for comparisons).
    public var solveBonesConcurrently = true
    /// Write the renderings (PDF, DICOM, FHIR) when the Reporting module provides them.
    public var renderings = true
    public init() {}
}

/// One analysis request.
public struct AnalysisRequest: Sendable {
    /// A DICOM folder or file, or a HU volume (.nii/.nii.gz/.mha/.mhd).
    public var input: String
    /// DICOM series to analyse (nil: the default rule of `SeriesCatalog.pick`).
    public var series: String?
    public var outputDirectory: URL
    public var sites: [AnalysisSite]
    public var patient: PatientOverrides
    /// A prior result document for change analysis.
    public var prior: URL?
    /// ICD-10-CM indications of the order.
    public var indications: [String]
    public var performers: ServicePerformers
    public var options: AnalysisOptions

    public init(input: String, series: String? = nil, outputDirectory: URL, sites: [AnalysisSite] = [.hip, .spine],
                patient: PatientOverrides = PatientOverrides(), prior: URL? = nil, indications: [String] = [],
                performers: ServicePerformers = ServicePerformers(), options: AnalysisOptions = AnalysisOptions()) {
        self.input = input; self.series = series; self.outputDirectory = outputDirectory; self.sites = sites; self.patient = patient
        self.prior = prior; self.indications = indications; self.performers = performers; self.options = options
    }
}

/// A progress report: the stage running, overall fraction done (0…1) and a short message.
public struct AnalysisProgress: Sendable, Equatable {
    public var stage: String
    public var fraction: Double
    public var message: String
    public init(stage: String, fraction: Double, message: String) { self.stage = stage; self.fraction = fraction; self.message = message }
}

/// Receives progress reports (called on the analysing thread, and on the FE job threads while the bones
/// are solved concurrently: a handler must be thread-safe).
public typealias ProgressHandler = @Sendable (AnalysisProgress) -> Void

/// Times pipeline stages and reports progress as each starts. Thread-safe: concurrent jobs time their
/// stages with `measure` and the caller records those timings in a fixed order (`record`).
final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [StageTiming] = []
    let progress: ProgressHandler?
    init(progress: ProgressHandler?) { self.progress = progress }

    /// The recorded stage times, in the order recorded.
    var timings: [StageTiming] { lock.withLock { recorded } }

    /// Runs `body` as stage `name`, reporting `fraction` done before it starts, and records its time.
    func time<T>(_ name: String, _ fraction: Double, _ message: String, _ body: () throws -> T) rethrows -> T {
        progress?(AnalysisProgress(stage: name, fraction: fraction, message: message))
        let t = Date()
        defer { record([StageTiming(stage: name, seconds: Date().timeIntervalSince(t))]) }
        return try body()
    }

    /// Runs `body` as stage `name` like `time`, but returns its time instead of recording it.
    func measure<T>(_ name: String, _ fraction: Double, _ message: String, _ body: () throws -> T) -> (Result<T, Error>, StageTiming) {
        progress?(AnalysisProgress(stage: name, fraction: fraction, message: message))
        let t = Date()
        let result = Result { try body() }
        return (result, StageTiming(stage: name, seconds: Date().timeIntervalSince(t)))
    }

    /// Appends stage times measured elsewhere.
    func record(_ timings: [StageTiming]) { lock.withLock { recorded += timings } }
}
