// The result document: one versioned, Codable record of one analysis, from which every rendering is made.
import Foundation
import OpenBCTCore

/// Everything one analysis produced and everything needed to audit it: identifiers, inputs (hashed),
/// acquisition facts, every parameter, every number with its provenance, QC findings, figure files
/// (referenced by SHA-256), billing, timings, software version and the research-use notice.
///
/// Renderings (PDF, DICOM SR/SEG/Encapsulated PDF, FHIR, the web page) read this document and the figure
/// files it references in the same folder — nothing else. Field names ending in a unit (`_N`, `_mm`,
/// `_mgcm3`, …) carry that unit; the schema is `schemas/result-document-1.schema.json`.
public struct ResultDocument: Codable, Sendable, Equatable {
    /// The schema version this build writes. Minor versions only add optional fields.
    public static let currentSchemaVersion = "1.1"

    public var schemaVersion: String
    /// A fresh UUID per analysis.
    public var analysisID: String
    /// ISO 8601 UTC time the analysis finished.
    public var createdAt: String
    public var software: SoftwareInfo
    /// `OpenBCT.researchUseNotice`: printed on every rendering.
    public var notice: String
    public var status: AnalysisStatus

    public var patient: PatientInfo
    public var study: StudyInfo
    public var inputs: InputInfo
    public var acquisition: AcquisitionInfo
    public var parameters: AnalysisParameters

    public var calibration: CalibrationRecord?
    public var eligibility: [SiteEligibility]
    public var anatomy: AnatomyRecord?
    public var densitometry: DensitometryRecord
    public var strength: [StrengthRecord]
    public var assessment: AssessmentRecord?
    /// Parts that were not computed, each with the reason (never a silent gap).
    public var omissions: [Omission]
    public var qualityFindings: [QualityFinding]
    public var figures: [FigureReference]
    public var billing: BillingSummary?
    public var timings: [StageTiming]

    public init(analysisID: String = UUID().uuidString.lowercased(), createdAt: String = ResultDocument.timestamp(Date()),
                status: AnalysisStatus = .completed, patient: PatientInfo = .init(), study: StudyInfo = .init(),
                inputs: InputInfo, acquisition: AcquisitionInfo = .init(), parameters: AnalysisParameters) {
        schemaVersion = Self.currentSchemaVersion
        self.analysisID = analysisID; self.createdAt = createdAt
        software = SoftwareInfo(name: OpenBCT.name, version: OpenBCT.version)
        notice = OpenBCT.researchUseNotice
        self.status = status; self.patient = patient; self.study = study; self.inputs = inputs
        self.acquisition = acquisition; self.parameters = parameters
        eligibility = []; densitometry = DensitometryRecord(); strength = []
        omissions = []; qualityFindings = []; figures = []; timings = []
    }

    /// ISO 8601 UTC with seconds ("2026-11-29T20:01:02Z").
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}

/// The program that made the document.
public struct SoftwareInfo: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public init(name: String, version: String) { self.name = name; self.version = version }
}

/// How far the analysis got.
public enum AnalysisStatus: String, Codable, Sendable, Equatable {
    /// Every requested site was analysed.
    case completed
    /// Some requested site or part could not be analysed (see `omissions`): billing modifier 52.
    case partial
    /// Started and stopped before a result (see `omissions`): billing modifier 53.
    case discontinued
}

/// The anatomical sites of an analysis.
public enum AnalysisSite: String, Codable, Sendable, Equatable, CaseIterable, Comparable {
    case hip, spine
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Body side of a paired structure.
public enum BodySide: String, Codable, Sendable, Equatable, CaseIterable {
    case left, right
}

/// A part of the analysis that was not computed, and why.
public struct Omission: Codable, Sendable, Equatable {
    /// Which part: "hip strength", "spine vBMD", "renderings", ….
    public var part: String
    public var site: AnalysisSite?
    public var reason: String
    public init(part: String, site: AnalysisSite? = nil, reason: String) { self.part = part; self.site = site; self.reason = reason }
}

/// A quality-control observation from any stage. Findings never stop a run; `severity` says how much
/// they matter to the reader.
public struct QualityFinding: Codable, Sendable, Equatable {
    public enum Severity: String, Codable, Sendable, Equatable { case info, warning, blocking }
    /// The stage that noticed it: ingest, eligibility, calibration, anatomy, densitometry, fe, assessment, billing.
    public var stage: String
    public var site: AnalysisSite?
    public var severity: Severity
    /// A stable machine-readable code ("femurCutByFieldOfView", "contrastDetected", …).
    public var code: String
    public var message: String
    public init(stage: String, site: AnalysisSite? = nil, severity: Severity, code: String, message: String) {
        self.stage = stage; self.site = site; self.severity = severity; self.code = code; self.message = message
    }
}

/// Wall time of one pipeline stage.
public struct StageTiming: Codable, Sendable, Equatable {
    public var stage: String
    public var seconds: Double
    public init(stage: String, seconds: Double) { self.stage = stage; self.seconds = seconds }
}
