// The overall fracture-risk category from the per-site classes (methods.md §7).
import ResultModel

extension RiskCategory {
    /// high: fragile strength or BMD osteoporosis at any measured site; notIncreased: every measured
    /// site normal in both strength and BMD; increased otherwise. Nil (with the reason) when no site
    /// is classed, or when the "not increased" verdict would rest on a missing class.
    public static func overall(_ sites: [SiteAssessment]) -> (RiskCategory?, String) {
        let classed = sites.filter { $0.strengthClass != nil || $0.bmdClass != nil }
        guard !classed.isEmpty else { return (nil, "No site could be classed.") }
        let high = classed.filter { $0.strengthClass == .fragile || $0.bmdClass == .osteoporosis }
        if !high.isEmpty {
            return (.high, "Fragile strength or BMD in the osteoporosis range at: \(high.map(\.site.rawValue).joined(separator: ", ")).")
        }
        let lowered = classed.filter { $0.strengthClass == .low || $0.bmdClass == .lowBoneMass }
        if !lowered.isEmpty {
            return (.increased, "Low strength or low bone mass at: \(lowered.map(\.site.rawValue).joined(separator: ", ")); no fragile or osteoporotic site.")
        }
        let incomplete = sites.filter { $0.strengthClass == nil || $0.bmdClass == nil }
        if !incomplete.isEmpty {
            return (nil, "Every available class is normal, but \(incomplete.map(\.site.rawValue).joined(separator: ", ")) lacks a strength or BMD class: 'not increased' needs both.")
        }
        return (.notIncreased, "Every measured site is normal in both strength and BMD.")
    }
}
