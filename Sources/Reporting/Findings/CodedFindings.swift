// The coded findings of one analysis: what the SR and the FHIR bundle both encode.

/// One coded measurement (value with UCUM unit, unrounded).
struct CodedMeasurement: Sendable {
    var concept: CodedConcept
    var value: Double
    var unit: CodedConcept
    /// Extra words a reader needs with the number ("CT-derived; CT→DXA scale not cross-calibrated").
    var note: String?
}

/// One coded qualitative evaluation (a class, a category).
struct CodedEvaluation: Sendable {
    var concept: CodedConcept
    var value: CodedConcept
    var note: String?
}

/// The measurements and evaluations of one bone or site (a TID 1501 measurement group; a set of
/// FHIR Observations with one body site).
struct FindingGroup: Sendable {
    /// Human-readable tracking identifier ("left femur", "L1", "lumbar spine").
    var trackingID: String
    var trackingUID: String
    var findingSite: CodedConcept
    var laterality: CodedConcept?
    var measurements: [CodedMeasurement]
    var evaluations: [CodedEvaluation]
}

/// Everything the machine-readable renderings carry.
struct CodedFindings: Sendable {
    var groups: [FindingGroup]
    /// Whole-patient evaluations (the overall fracture-risk category).
    var overall: [CodedEvaluation]
    /// The interpretation sentences (also printed in the PDF).
    var interpretation: [String]
}
