// Per-site acquisition eligibility (methods.md §2): accepted, refused with reasons, or not verifiable.

/// The eligibility verdict for one site.
public struct SiteEligibility: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable, Equatable {
        case eligible
        /// A rule failed: no number is produced for this site.
        case refused
        /// Eligible on what could be checked; some rules could not be (NIfTI input): see `checks`.
        case eligibleUnverified
    }
    public var site: AnalysisSite
    public var verdict: Verdict
    public var checks: [EligibilityCheck]
    public init(site: AnalysisSite, verdict: Verdict, checks: [EligibilityCheck]) {
        self.site = site; self.verdict = verdict; self.checks = checks
    }
    /// Whether the site may be measured.
    public var allowsMeasurement: Bool { verdict != .refused }
}

/// One eligibility rule applied.
public struct EligibilityCheck: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable, Equatable { case pass, fail, notVerifiable, flag }
    /// "kVp", "kernel", "sliceThickness", "contrast", "coverage", "metal", "fieldOfView", ….
    public var rule: String
    public var outcome: Outcome
    /// The value found ("120 kV", "B70f", "none").
    public var value: String?
    /// What the rule requires ("100–140 kV").
    public var requirement: String
    public var message: String
    public init(rule: String, outcome: Outcome, value: String?, requirement: String, message: String) {
        self.rule = rule; self.outcome = outcome; self.value = value; self.requirement = requirement; self.message = message
    }
}
