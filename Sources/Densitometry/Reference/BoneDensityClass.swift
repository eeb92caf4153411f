// The WHO densitometric categories of a T-score (methods.md §5).

/// WHO category of a T-score: ≤ −2.5 osteoporosis; > −2.5 and < −1.0 low bone mass (osteopenia);
/// ≥ −1.0 normal [C]. Classified on the unrounded value (methods.md §10).
public enum BoneDensityClass: String, Sendable, Codable {
    case osteoporosis
    case lowBoneMass
    case normal

    public init(tScore t: Double) {
        if t <= -2.5 { self = .osteoporosis } else if t < -1.0 { self = .lowBoneMass } else { self = .normal }
    }

    /// The label a report prints.
    public var label: String {
        switch self {
        case .osteoporosis: "osteoporosis (WHO)"
        case .lowBoneMass: "low bone mass (WHO: osteopenia)"
        case .normal: "normal (WHO)"
        }
    }
}
