// Strength and BMD class thresholds (methods.md §5, §7) — classify on unrounded values.
import ResultModel

/// The published class thresholds. Strength thresholds were derived for VirtuOst (Keaveny 2020
/// Table 1); until OpenBCT derives its own, every use is labelled with `thresholdsLabel`.
public enum ClassThresholds {
    public static let thresholdsLabel = "Strength thresholds derived for another system (VirtuOst; Keaveny 2020 Table 1), " +
        "not re-derived for OpenBCT; BMD classes per ACR (spine vBMD) and WHO (hip T-score)."
    public static let source = "Keaveny et al. 2020, Table 1 (VirtuOst) [C]; methods.md §5, §7"

    /// (fragile upper bound, normal lower bound) in N, by site and sex.
    public static func strengthBounds(site: AnalysisSite, sex: String) -> (fragile: Double, normal: Double)? {
        switch (site, sex) {
        case (.hip, "F"): return (3000, 4000)
        case (.hip, "M"): return (3500, 5000)
        case (.spine, "F"): return (4500, 6000)
        case (.spine, "M"): return (6500, 8500)
        default: return nil
        }
    }

    /// Strength class: ≤ fragile bound → fragile; ≥ normal bound → normal; otherwise low. Nil for unknown sex.
    public static func strengthClass(_ strength: Double, site: AnalysisSite, sex: String?) -> StrengthClass? {
        guard let sex, let b = strengthBounds(site: site, sex: sex) else { return nil }
        if strength <= b.fragile { return .fragile }
        if strength >= b.normal { return .normal }
        return .low
    }

    /// Spine trabecular vBMD class (ACR): ≤ 80 osteoporosis, > 80 and < 120 low bone mass, ≥ 120 normal (mg/cm³).
    public static func spineClass(vBMD: Double) -> BMDClass {
        vBMD <= 80 ? .osteoporosis : vBMD < 120 ? .lowBoneMass : .normal
    }

    /// Hip T-score class (WHO): ≤ −2.5 osteoporosis, > −2.5 and < −1.0 low bone mass, ≥ −1.0 normal.
    public static func hipClass(tScore: Double) -> BMDClass {
        tScore <= -2.5 ? .osteoporosis : tScore < -1.0 ? .lowBoneMass : .normal
    }
}
