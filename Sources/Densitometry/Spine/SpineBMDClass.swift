// The vBMD classes of methods.md §5 and the opportunistic L1 HU thresholds.

/// Spine trabecular vBMD class (Keaveny 2020 Table 1, after the ACR QCT guideline) [C].
public enum SpineBMDClass: String, Codable, Sendable {
    case osteoporosis, lowBoneMass, normal

    /// ≤ 80 mg/cm³ osteoporosis; > 80 and < 120 low bone mass; ≥ 120 normal. On the unrounded value.
    public init(vBMD: Double) {
        if vBMD <= 80 { self = .osteoporosis } else if vBMD < 120 { self = .lowBoneMass } else { self = .normal }
    }

    public static let source = "Keaveny et al. 2020 Table 1 after ACR (methods.md §5) [C]: ≤ 80 osteoporosis, 80–120 low bone mass, ≥ 120 normal (mg/cm³)"
}

/// Opportunistic screening from L1 trabecular HU (Pickhardt et al. 2013) [C]. The thresholds were
/// derived on their scanners and protocols (120 kVp abdominal CT, with and without contrast), not on
/// OpenBCT's measurement: they are reported as published, labelled so.
public struct OpportunisticL1HU: Codable, Sendable, Equatable {
    public enum Band: String, Codable, Sendable {
        /// ≤ 110 HU: above 90 % specificity for osteoporosis.
        case osteoporosisLikely
        /// 110–160 HU: under the 90 %-sensitivity threshold but not specific.
        case indeterminate
        /// > 160 HU: osteoporosis unlikely (90 % of osteoporotic patients are ≤ 160).
        case osteoporosisUnlikely
    }
    /// Mean HU of the L1 trabecular VOI.
    public var meanHU: Double
    public var band: Band
    /// (HU − 236)/42: the published young-adult L1 reference 236 ± 42 HU [C].
    public var youngAdultZ: Double
    public var source = "Pickhardt et al. 2013 (methods.md §5) [C]: L1 ≤ 160 HU 90 % sensitive, ≤ 110 HU > 90 % specific; young-adult 236 ± 42 HU. Thresholds derived on another system and protocol."

    public init(meanHU: Double) {
        self.meanHU = meanHU
        band = meanHU <= 110 ? .osteoporosisLikely : (meanHU <= 160 ? .indeterminate : .osteoporosisUnlikely)
        youngAdultZ = (meanHU - 236) / 42
    }
}
