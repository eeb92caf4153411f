// Gross-error gate on a solved bone: a strength or stiffness far outside what whole bones show is a
// failed model (cut or mis-segmented bone, misplaced caps), not a measurement, and is not reported.
import ResultModel

/// Physiological ranges a solved strength record must fall in to be reported (docs/analysis.md).
///
/// The bounds are deliberately wide: ex vivo whole-bone tests report roughly 1–10 kN for sideways-fall
/// femoral strength and 1–15 kN for vertebral compressive strength, and the methods.md §6 reference
/// stiffnesses are 1,603 N/mm (femur, sideways fall) and 23,297 N/mm (L4). A value outside these
/// ranges is a modelling failure. Design ranges [U], not confirmed by methods.md.
struct StrengthPlausibility: Sendable {
    var strength_N: ClosedRange<Double>
    var stiffness_N_per_mm: ClosedRange<Double>

    static let hip = StrengthPlausibility(strength_N: 500...20_000, stiffness_N_per_mm: 200...50_000)
    static let spine = StrengthPlausibility(strength_N: 500...30_000, stiffness_N_per_mm: 1_000...200_000)

    static func range(for site: AnalysisSite) -> StrengthPlausibility { site == .hip ? hip : spine }

    /// Why `record` is not physiological, or nil when it is.
    static func problem(_ record: StrengthRecord) -> String? {
        let r = range(for: record.site)
        var reasons: [String] = []
        if !r.strength_N.contains(record.strength_N) {
            reasons.append("strength \(Int(record.strength_N.rounded())) N outside \(Int(r.strength_N.lowerBound))–\(Int(r.strength_N.upperBound)) N")
        }
        if !r.stiffness_N_per_mm.contains(record.linearStiffness_N_per_mm) {
            reasons.append("stiffness \(Int(record.linearStiffness_N_per_mm.rounded())) N/mm outside "
                           + "\(Int(r.stiffness_N_per_mm.lowerBound))–\(Int(r.stiffness_N_per_mm.upperBound)) N/mm")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: ", ") + " (physiological range, docs/analysis.md)"
    }
}
