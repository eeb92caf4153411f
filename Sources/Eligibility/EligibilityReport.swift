// The answer of the eligibility check: per site, accept or refuse, and every rule with its value.
import Anatomy

/// How one rule came out.
public enum RuleStatus: String, Codable, Sendable {
    /// The rule was checked and is met.
    case pass
    /// The rule was checked and is violated: the site is refused.
    case fail
    /// The rule could not be checked (e.g. no DICOM header): reported as a finding, never a silent pass.
    case notVerifiable
    /// The rule is met but with a caveat the report must carry (e.g. contrast at the hip).
    case flagged
}

/// The rules of methods.md §2.
public enum EligibilityRule: String, Codable, Sendable, CaseIterable {
    case kvp, kernel, sliceThickness, contrast, coverage, metal, fieldOfView
}

/// One rule applied to one site.
public struct RuleOutcome: Codable, Sendable, Equatable {
    public var rule: EligibilityRule
    public var status: RuleStatus
    /// What the scan has ("120 kVp", "kernel B70f (sharp)", "L1, L2 whole").
    public var value: String
    /// What the rule requires ("100–140 kVp").
    public var requirement: String
    /// Where the requirement comes from.
    public var source: String

    public init(_ rule: EligibilityRule, _ status: RuleStatus, value: String, requirement: String, source: String) {
        self.rule = rule; self.status = status; self.value = value; self.requirement = requirement; self.source = source
    }

    /// One line: "kvp: fail — 80 kVp (requires 100–140 kVp)".
    public var summary: String { "\(rule.rawValue): \(status.rawValue) — \(value) (requires \(requirement))" }
}

/// The decision for one site.
public struct SiteEligibility: Codable, Sendable {
    public var site: Site
    /// True when no rule failed. Not-verifiable and flagged rules do not refuse; they are listed in `findings`.
    public var accepted: Bool
    public var outcomes: [RuleOutcome]
    /// The failed rules, one line each (empty when accepted).
    public var reasons: [String]
    /// Not-verifiable and flagged rules, one line each: the report must show them next to the numbers.
    public var findings: [String]

    public init(site: Site, outcomes: [RuleOutcome]) {
        self.site = site
        self.outcomes = outcomes
        reasons = outcomes.filter { $0.status == .fail }.map(\.summary)
        findings = outcomes.filter { $0.status == .notVerifiable || $0.status == .flagged }.map(\.summary)
        accepted = reasons.isEmpty
    }

    public func outcome(_ rule: EligibilityRule) -> RuleOutcome? { outcomes.first { $0.rule == rule } }
}

/// Eligibility of a scan for every site asked for.
public struct EligibilityReport: Codable, Sendable {
    public var sites: [SiteEligibility]
    /// The contrast assessment the contrast rule used.
    public var contrast: ContrastFinding
    /// True when the acquisition facts came from a DICOM header; false for a bare volume (NIfTI, MetaImage).
    public var acquisitionFromDICOM: Bool
    public var criteria: EligibilityCriteria

    public subscript(site: Site) -> SiteEligibility? { sites.first { $0.site == site } }
}
