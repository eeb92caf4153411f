// The billing summary: which CPT code(s), modifiers and checked ICD-10 indications (coding.md).

/// What the analysis may bill and why.
public struct BillingSummary: Codable, Sendable, Equatable {
    public var lines: [BillingLine]
    public var indications: [IndicationCheck]
    /// Observations for the biller (rejected codes, incomplete codes, reduced services).
    public var notes: [String]
    public init(lines: [BillingLine], indications: [IndicationCheck], notes: [String]) {
        self.lines = lines; self.indications = indications; self.notes = notes
    }
}

/// One CPT line.
public struct BillingLine: Codable, Sendable, Equatable {
    public var cpt: String
    public var descriptor: String
    /// Who performs the component ("imaging site", "analysis facility", "interpreting physician").
    public var performer: String
    public var modifiers: [String]
    public var modifierReasons: [String]
    public init(cpt: String, descriptor: String, performer: String, modifiers: [String], modifierReasons: [String]) {
        self.cpt = cpt; self.descriptor = descriptor; self.performer = performer; self.modifiers = modifiers
        self.modifierReasons = modifierReasons
    }
}

/// An ICD-10-CM indication as given and the verdict of the check against coding.md's supported list.
public struct IndicationCheck: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable, Equatable {
        case supported
        /// A category of a supported code without its required characters (accepted with a finding).
        case incomplete
        /// Not on the supported list, or not a valid code.
        case unsupported
    }
    public var code: String
    public var verdict: Verdict
    public var description: String?
    public var message: String
    public init(code: String, verdict: Verdict, description: String?, message: String) {
        self.code = code; self.verdict = verdict; self.description = description; self.message = message
    }
}
