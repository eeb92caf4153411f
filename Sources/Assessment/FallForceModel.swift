// Sideways-fall impact force from height and weight (methods.md §7) and the hip load-to-strength ratio.
import Foundation
import ResultModel

/// A mass–spring impact model: the trochanter falls from hip height h onto the ground,
/// v = sqrt(2·g·h); the peak force of an undamped spring of stiffness k decelerating the effective
/// mass m_eff is F = v·sqrt(k·m_eff). h = hipHeightFraction·height, m_eff = effectiveMassFraction·weight.
public struct FallForceModel: Sendable, Equatable {
    public var parameters: FallForceParameters

    /// Defaults, all [U] (methods.md §9: the regression constants were not confirmed):
    /// h = 0.5·height (greater-trochanter height in standing adults is about half the stature);
    /// m_eff = 7/20 of body mass (the effective-mass fraction attributed to van den Kroonenberg 1995);
    /// k = 71 kN/m (the pelvis-release stiffness attributed to Robinovitch 1991). The result for a
    /// 165 cm, 60 kg woman (≈ 4.9 kN) lies within the measured lateral-fall hip forces 4.0 ± 1.7 kN [C].
    public static let defaultParameters = FallForceParameters(
        model: "mass–spring impact: F = sqrt(2·g·h)·sqrt(k·m_eff), no soft-tissue attenuation",
        hipHeightFraction: 0.5, effectiveMassFraction: 0.35, stiffness_N_per_m: 71_000, gravity_m_per_s2: 9.81,
        source: "[U] h = 0.5·height; m_eff = 7/20·weight (van den Kroonenberg 1995, not confirmed); k = 71 kN/m (Robinovitch 1991, not confirmed)")

    public init(parameters: FallForceParameters = Self.defaultParameters) { self.parameters = parameters }

    /// Impact velocity (m/s), effective mass (kg) and peak force (N).
    public func impact(heightCM: Double, weightKG: Double) -> (velocity: Double, effectiveMass: Double, force: Double) {
        let p = parameters
        let v = (2 * p.gravity_m_per_s2 * p.hipHeightFraction * heightCM / 100).squareRoot()
        let m = p.effectiveMassFraction * weightKG
        return (v, m, v * (p.stiffness_N_per_m * m).squareRoot())
    }

    /// Φ = F_fall / strength with its interpretation (threshold 1, ±20 % transition zone; methods.md §9).
    public func loadToStrength(strength: Double, heightCM: Double, weightKG: Double) -> LoadToStrengthRecord {
        let (v, m, f) = impact(heightCM: heightCM, weightKG: weightKG)
        let phi = f / strength
        let words = phi > 1.2 ? "fracture expected in a sideways fall (Φ > 1.2)"
            : phi >= 0.8 ? "transition zone (0.8 ≤ Φ ≤ 1.2)" : "fracture not expected in a sideways fall (Φ < 0.8)"
        return LoadToStrengthRecord(fallForce_N: f, strength_N: strength, ratio: phi, interpretation: words, heightCM: heightCM,
                                    weightKG: weightKG, impactVelocity_m_per_s: v, effectiveMass_kg: m, model: parameters.model)
    }
}
