// Eligibility stage: the acquisition rules of methods.md §2 per site (module Eligibility), as document records.
import Anatomy
import DICOM
import Eligibility
import OpenBCTCore
import ResultModel

enum EligibilityStage {
    static func evaluate(sites: [AnalysisSite], hu: Volume<Float>, segmentation: AnatomySegmentation,
                         facts: AcquisitionFacts?) -> EligibilityReport {
        Eligibility.evaluate(sites: sites.map { $0 == .hip ? Site.hip : Site.spine }, hu: hu, labels: segmentation.labels,
                             anatomy: segmentation.result, acquisition: facts)
    }

    static func records(_ report: EligibilityReport) -> [ResultModel.SiteEligibility] {
        report.sites.map { s in
            let checks = s.outcomes.map { o -> EligibilityCheck in
                let outcome: EligibilityCheck.Outcome
                switch o.status {
                case .pass: outcome = .pass
                case .fail: outcome = .fail
                case .notVerifiable: outcome = .notVerifiable
                case .flagged: outcome = .flag
                }
                return EligibilityCheck(rule: o.rule.rawValue, outcome: outcome, value: o.value, requirement: o.requirement, message: o.summary)
            }
            let verdict: ResultModel.SiteEligibility.Verdict = !s.accepted ? .refused
                : checks.contains { $0.outcome == .notVerifiable } ? .eligibleUnverified : .eligible
            return ResultModel.SiteEligibility(site: s.site == .hip ? .hip : .spine, verdict: verdict, checks: checks)
        }
    }

    static func findings(_ report: EligibilityReport) -> [QualityFinding] {
        report.sites.flatMap { s in
            s.findings.map { QualityFinding(stage: "eligibility", site: s.site == .hip ? .hip : .spine, severity: .warning, code: "eligibilityFinding", message: $0) }
            + s.reasons.map { QualityFinding(stage: "eligibility", site: s.site == .hip ? .hip : .spine, severity: .blocking, code: "siteRefused", message: $0) }
        }
    }
}
