// The billing summary of an analysis (coding.md, with its corrections applied).
import ResultModel

/// Who performed each component of the service. Equal (or all nil) performers bill the global 0554T;
/// different ones split into 0555T (retrieval), 0556T (computation), 0557T (interpretation).
public struct ServicePerformers: Sendable, Equatable {
    public var retrieval: String?
    public var analysis: String?
    public var interpretation: String?
    public init(retrieval: String? = nil, analysis: String? = nil, interpretation: String? = nil) {
        self.retrieval = retrieval; self.analysis = analysis; self.interpretation = interpretation
    }
    /// One entity did everything.
    public var isGlobal: Bool { Set([retrieval, analysis, interpretation].compactMap { $0 }).count <= 1 }
}

public enum BillingCoder {
    static let global = ("0554T", "Quantitative assessment of bone strength and fracture risk with computational (finite element) models " +
                         "applied to CT bone-mineral-density data: retrieval and transmission of the scan data, the computation, and an " +
                         "interpreted report of bone strength, fracture risk and BMD")
    static let components = [
        ("0555T", "retrieval and transmission of the scan data", "imaging site"),
        ("0556T", "assessment of bone strength and fracture risk and bone mineral density", "analysis facility"),
        ("0557T", "interpretation and report", "physician qualified to read bone densitometry"),
    ]

    /// The billing summary for a document's status, requested vs analysed sites and the indications given.
    public static func summarize(status: AnalysisStatus, requestedSites: [AnalysisSite], analysedSites: Set<AnalysisSite>,
                                 indications: [String], performers: ServicePerformers = ServicePerformers(),
                                 discontinuedReason: String? = nil) -> BillingSummary {
        var notes: [String] = []
        var modifiers: [String] = [], reasons: [String] = []
        if status == .discontinued {
            modifiers.append("53"); reasons.append("53 discontinued: \(discontinuedReason ?? "the analysis was stopped before a result")")
        } else {
            let missing = requestedSites.filter { !analysedSites.contains($0) }
            if !missing.isEmpty {
                modifiers.append("52")
                reasons.append("52 reduced services: requested site(s) not analysed: \(missing.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var lines: [BillingLine] = []
        if performers.isGlobal {
            lines.append(BillingLine(cpt: global.0, descriptor: global.1, performer: performers.analysis ?? "one facility (global service)",
                                     modifiers: modifiers, modifierReasons: reasons))
        } else {
            let who = [performers.retrieval, performers.analysis, performers.interpretation]
            for (i, c) in components.enumerated() {
                // Retrieval is complete even when a site is missing; the reduction concerns the computation and report.
                let reduced = i == 0 && modifiers == ["52"]
                lines.append(BillingLine(cpt: c.0, descriptor: c.1, performer: who[i] ?? c.2, modifiers: reduced ? [] : modifiers,
                                         modifierReasons: reduced ? [] : reasons))
            }
        }
        let checks = indications.map(check)
        if !checks.contains(where: { $0.verdict == .supported }) {
            notes.append(indications.isEmpty ? "No ICD-10-CM indication given: medical necessity is not documented."
                                             : "No complete supported ICD-10-CM indication: medical necessity is not documented.")
        }
        notes.append("Modifiers 22, 23, 54, 55, 56, 62, AS, QK, QX, QY and FX do not apply to a CT analysis (coding.md corrections); 0554T's components are billed as 0555T/0556T/0557T, not with 26/TC.")
        return BillingSummary(lines: lines, indications: checks, notes: notes)
    }

    /// Checks one indication: exact match of a complete supported code, or a supported category
    /// without its required characters ("incomplete"), or unsupported with the reason.
    public static func check(_ given: String) -> IndicationCheck {
        let code = SupportedIndications.normalise(given)
        for e in SupportedIndications.table {
            if e.accepted.contains(code) {
                return IndicationCheck(code: code, verdict: .supported, description: e.description, message: "supported indication (coding.md)")
            }
            if e.incompletePrefixes.contains(code) {
                return IndicationCheck(code: code, verdict: .incomplete, description: e.description,
                                       message: "incomplete code: \(e.correction ?? "required characters missing"); accepted with this finding")
            }
            if code == e.sourceCode, let correction = e.correction {
                return IndicationCheck(code: code, verdict: .unsupported, description: nil, message: "rejected: \(correction)")
            }
        }
        return IndicationCheck(code: code, verdict: .unsupported, description: nil,
                               message: "not on the supported list of coding.md (M80.00X-, M81.0, M84.40X-, Z79.899, R29.6, M48.50X-)")
    }
}
