// Elastic–perfectly plastic stress updates at one integration point (small strain, tensor components).
//
// Principal-strain criterion (methods.md §10): the elastic strain εₑ = ε − εₚ is decomposed into
// principal values e₁ ≥ e₂ ≥ e₃ and directions nᵢ. The point is elastic while every eᵢ lies in
// [−ε_yc, ε_yt]. Otherwise each principal elastic strain beyond a limit is held at it,
// eᵢ' = min(ε_yt, max(−ε_yc, eᵢ)), the excess flows into the plastic strain along nᵢ
// (Δεₚ = Σ (eᵢ − eᵢ')·nᵢ⊗nᵢ), and σ = C·Σ eᵢ'·nᵢ⊗nᵢ. Under uniaxial stress this holds the stress at
// E·ε_y = σ_y: perfectly plastic in the yielded direction, elastic in the others.
//
// Von Mises (for comparison with CalculiX *PLASTIC): radial return of the trial deviatoric stress
// to the yield surface √(3/2·s:s) = σ_y; Δεₚ = (1 − σ_y/q)·s_trial/(2μ).

/// Which elastic–perfectly plastic law the nonlinear solver uses.
public enum YieldCriterion: Sendable {
    /// Asymmetric principal-strain limits per element from `FEModel.yieldStrain` (tension, compression).
    case principalStrain
    /// Von Mises with a yield stress per element (MPa, `model.elements` order).
    case vonMises(yieldStress: [Float])
}

/// The stress of one integration point and its updated plastic strain.
struct PlasticReturn {
    var stress: SymmetricTensor
    var plasticStrain: SymmetricTensor
    var yielded: Bool
    /// Principal values and directions of the trial elastic strain (principal-strain law, yielded
    /// points only), reused by the tangent.
    var principal: (values: SIMD3<Double>, vectors: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>))? = nil

    /// σ = λ·tr(ε)·I + 2μ·ε.
    @inline(__always)
    static func elasticStress(_ e: SymmetricTensor, lambda: Double, mu: Double) -> SymmetricTensor {
        let l = lambda * (e.xx + e.yy + e.zz), m2 = 2 * mu
        return SymmetricTensor(xx: l + m2 * e.xx, yy: l + m2 * e.yy, zz: l + m2 * e.zz, yz: m2 * e.yz, xz: m2 * e.xz, xy: m2 * e.xy)
    }

    @inline(__always)
    static func principalStrain(strain: SymmetricTensor, plastic: SymmetricTensor, lambda: Double, mu: Double,
                                tension: Double, compression: Double) -> PlasticReturn {
        let trial = strain - plastic
        // Cheap bound first: every eigenvalue lies within √(2/3)·‖dev‖ of the mean, so most points
        // are proven elastic without the trigonometric solution.
        let mean = (trial.xx + trial.yy + trial.zz) / 3
        let a = trial.xx - mean, b = trial.yy - mean, c = trial.zz - mean
        let spread = (2.0 / 3.0 * (a * a + b * b + c * c + 2 * (trial.yz * trial.yz + trial.xz * trial.xz + trial.xy * trial.xy))).squareRoot()
        if mean + spread <= tension && mean - spread >= -compression {
            return PlasticReturn(stress: elasticStress(trial, lambda: lambda, mu: mu), plasticStrain: plastic, yielded: false)
        }
        let principal = trial.principalValues
        if principal.0 <= tension && principal.2 >= -compression {
            return PlasticReturn(stress: elasticStress(trial, lambda: lambda, mu: mu), plasticStrain: plastic, yielded: false)
        }
        let (values, vectors) = trial.eigenDecomposition(principal: principal)
        let capped = pointwiseMin(pointwiseMax(values, SIMD3(repeating: -compression)), SIMD3(repeating: tension))
        let elastic = SymmetricTensor.fromSpectral(capped, vectors)
        return PlasticReturn(stress: elasticStress(elastic, lambda: lambda, mu: mu), plasticStrain: strain - elastic, yielded: true,
                             principal: (values, vectors))
    }

    @inline(__always)
    static func vonMises(strain: SymmetricTensor, plastic: SymmetricTensor, lambda: Double, mu: Double,
                         yieldStress: Double) -> PlasticReturn {
        let trial = elasticStress(strain - plastic, lambda: lambda, mu: mu)
        let q = trial.vonMises
        if q <= yieldStress { return PlasticReturn(stress: trial, plasticStrain: plastic, yielded: false) }
        let p = (trial.xx + trial.yy + trial.zz) / 3
        let s = SymmetricTensor(xx: trial.xx - p, yy: trial.yy - p, zz: trial.zz - p, yz: trial.yz, xz: trial.xz, xy: trial.xy)
        let k = yieldStress / q
        let stress = SymmetricTensor(xx: p + k * s.xx, yy: p + k * s.yy, zz: p + k * s.zz, yz: k * s.yz, xz: k * s.xz, xy: k * s.xy)
        return PlasticReturn(stress: stress, plasticStrain: plastic + s * ((1 - k) / (2 * mu)), yielded: true)
    }
}

extension SymmetricTensor {
    static func - (a: SymmetricTensor, b: SymmetricTensor) -> SymmetricTensor {
        SymmetricTensor(xx: a.xx - b.xx, yy: a.yy - b.yy, zz: a.zz - b.zz, yz: a.yz - b.yz, xz: a.xz - b.xz, xy: a.xy - b.xy)
    }
    static func + (a: SymmetricTensor, b: SymmetricTensor) -> SymmetricTensor {
        SymmetricTensor(xx: a.xx + b.xx, yy: a.yy + b.yy, zz: a.zz + b.zz, yz: a.yz + b.yz, xz: a.xz + b.xz, xy: a.xy + b.xy)
    }
    static func * (a: SymmetricTensor, k: Double) -> SymmetricTensor {
        SymmetricTensor(xx: a.xx * k, yy: a.yy * k, zz: a.zz * k, yz: a.yz * k, xz: a.xz * k, xy: a.xy * k)
    }
}
