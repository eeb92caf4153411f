// Tangent moduli dσ/dε of the elastic–perfectly plastic laws at one integration point, in principal-frame form.
//
// Every tangent used here is isotropic in the principal frame n₀, n₁, n₂ of the trial elastic strain: in
// that frame its normal block maps the normal strains e'_bb to the normal stresses (σ'_aa = Σ_b A_ab·e'_bb),
// and each shear pair is scaled alone (σ'_ab = S_ab·e'_ab, tensor components). So a point stores the frame
// (9 numbers), A (9) and S (3) — 21 floats instead of the 36 of the 6×6 Voigt matrix — and the product
// rotates the strain into the frame, applies A and S, and rotates back (`stress`).
//
// Principal-strain law: the return is eᵢ' = clamp(eᵢ, −ε_yc, ε_yt). Its exact derivative P is δᵢ
// (1 unclamped, 0 clamped) on the normal components and θᵢⱼ = (eᵢ' − eⱼ')/(eᵢ − eⱼ) ∈ [0, 1] on the
// shear components; the consistent tangent C·P (A_ab = λ·δ_b + 2μ·δ_a·[a = b]) is not symmetric (the law
// is not associated): it needs GMRES. The symmetric variant (for PCG) uses Pᵀ·C·P on the normal block
// (A_ab = λ·δ_a·δ_b + 2μ·δ_a²·[a = b]; it drops only the Poisson coupling of a free direction into a held
// one); both use the exact S_ab = 2μ·θ_ab on the shear block.
// Von Mises: the consistent tangent of the radial return for perfect plasticity,
// κ·1⊗1 + 2μβ·(I_dev − n̂⊗n̂), β = σ_y/q_trial, n̂ = s/‖s‖ (Simo & Hughes 1998, box 3.2); n̂ shares the
// frame of the trial elastic strain, n̂ = Σ m_a·n_a⊗n_a, so A_ab = κ − 2μβ/3 + 2μβ·[a = b] − 2μβ·m_a·m_b
// and S_ab = 2μβ.
// Both keep a floor `residual` (a fraction of the elastic stiffness) in the directions the yield
// removes, so the tangent stays positive definite when a whole cross-section yields at once.

/// The 8 Gauss points of an element as lanes: symmetric tensor components xx, yy, zz, yz, xz, xy
/// (tensor, not engineering, shear).
typealias TensorLanes = (xx: SIMD8<Float>, yy: SIMD8<Float>, zz: SIMD8<Float>, yz: SIMD8<Float>, xz: SIMD8<Float>, xy: SIMD8<Float>)

enum TangentModuli {
    /// Entries per integration point: frame n_a (entries 3a + c), normal block A (9 + 3a + b), shear
    /// S₀₁, S₀₂, S₁₂ (18, 19, 20).
    static let count = 21

    /// Where one point's entries go: entry k of lane `lane` of `entries[k]` (8 points as lanes).
    struct Destination {
        let entries: UnsafeMutablePointer<SIMD8<Float>>, lane: Int
        @inline(__always) func set(_ k: Int, _ v: Double) { entries[k][lane] = Float(v) }

        @inline(__always) func set(frame n: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>), normal a: (Int, Int) -> Double,
                                   shear: SIMD3<Double>) {
            for c in 0..<3 { set(c, n.0[c]); set(3 + c, n.1[c]); set(6 + c, n.2[c]) }
            for i in 0..<3 { for j in 0..<3 { set(9 + 3 * i + j, a(i, j)) } }
            set(18, shear.x); set(19, shear.y); set(20, shear.z)
        }
    }

    static let identity = (SIMD3<Double>(1, 0, 0), SIMD3<Double>(0, 1, 0), SIMD3<Double>(0, 0, 1))

    /// The isotropic elasticity tensor.
    @inline(__always)
    static func elastic(lambda: Double, mu: Double, into d: Destination) {
        d.set(frame: identity, normal: { a, b in lambda + (a == b ? 2 * mu : 0) }, shear: SIMD3(repeating: 2 * mu))
    }

    /// Tangent of the principal-strain return, from the principal values `e` and directions `n` of the
    /// trial elastic strain ε − εₚ.
    static func principalStrain(values e: SIMD3<Double>, vectors n: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>),
                                lambda: Double, mu: Double, tension: Double, compression: Double, residual: Double,
                                consistent: Bool, into d: Destination) {
        let capped = pointwiseMin(pointwiseMax(e, SIMD3(repeating: -compression)), SIMD3(repeating: tension))
        // The symmetric form applies P twice, so its floor is the square root of the stiffness share.
        let floor = consistent ? residual : residual.squareRoot()
        var delta = SIMD3<Double>()
        for a in 0..<3 { delta[a] = max(capped[a] == e[a] ? 1 : 0, floor) }
        @inline(__always) func theta(_ a: Int, _ b: Int) -> Double {
            let gap = e[a] - e[b], scale = max(abs(e[a]), abs(e[b]), 1e-30)
            let t = abs(gap) > 1e-9 * scale ? (capped[a] - capped[b]) / gap : (delta[a] + delta[b]) / 2
            return min(1, max(t, residual))
        }
        let shear = 2 * mu * SIMD3(theta(0, 1), theta(0, 2), theta(1, 2))
        d.set(frame: n, normal: { a, b in
            let da = delta[a], db = delta[b], diagonal = a == b
            return consistent ? lambda * db + (diagonal ? 2 * mu * da : 0) : lambda * da * db + (diagonal ? 2 * mu * da * da : 0)
        }, shear: shear)
    }

    /// Consistent tangent of the von Mises radial return (perfect plasticity) at ε with plastic εₚ.
    static func vonMises(strain: SymmetricTensor, plastic: SymmetricTensor, lambda: Double, mu: Double,
                         yieldStress: Double, residual: Double, into d: Destination) {
        let trialStrain = strain - plastic
        let q = PlasticReturn.elasticStress(trialStrain, lambda: lambda, mu: mu).vonMises
        guard q > yieldStress else { elastic(lambda: lambda, mu: mu, into: d); return }
        let (values, vectors) = trialStrain.eigenDecomposition
        let deviator = values - (values.sum() / 3)
        let m = deviator / (deviator * deviator).sum().squareRoot()
        let kappa = lambda + 2 * mu / 3, g = 2 * mu * yieldStress / q
        d.set(frame: vectors, normal: { a, b in
            kappa - g / 3 + (a == b ? g : 0) - g * (1 - residual) * m[a] * m[b]
        }, shear: SIMD3(repeating: g))
    }

    /// σ = D·ε at 8 points from their stored entries `m` (TensorLanes: tensor shear in and out).
    @inline(__always)
    static func stress(_ e: TensorLanes, _ m: UnsafePointer<SIMD8<Float>>) -> TensorLanes {
        typealias V = SIMD8<Float>
        let n0 = (m[0], m[1], m[2]), n1 = (m[3], m[4], m[5]), n2 = (m[6], m[7], m[8])
        @inline(__always) func times(_ n: (V, V, V)) -> (V, V, V) {
            ((e.xx * n.0).addingProduct(e.xy, n.1).addingProduct(e.xz, n.2),
             (e.xy * n.0).addingProduct(e.yy, n.1).addingProduct(e.yz, n.2),
             (e.xz * n.0).addingProduct(e.yz, n.1).addingProduct(e.zz, n.2))
        }
        @inline(__always) func dot(_ a: (V, V, V), _ b: (V, V, V)) -> V {
            (a.0 * b.0).addingProduct(a.1, b.1).addingProduct(a.2, b.2)
        }
        // Strain in the frame: e'_ab = n_a·E·n_b.
        let t0 = times(n0), t1 = times(n1), t2 = times(n2)
        let e00 = dot(n0, t0), e11 = dot(n1, t1), e22 = dot(n2, t2)
        let s00 = (m[9] * e00).addingProduct(m[10], e11).addingProduct(m[11], e22)
        let s11 = (m[12] * e00).addingProduct(m[13], e11).addingProduct(m[14], e22)
        let s22 = (m[15] * e00).addingProduct(m[16], e11).addingProduct(m[17], e22)
        let s01 = m[18] * dot(n0, t1), s02 = m[19] * dot(n0, t2), s12 = m[20] * dot(n1, t2)
        // Back: σ = Σ_a n_a⊗g_a with g_a = Σ_b σ'_ab·n_b.
        @inline(__always) func combine(_ a: V, _ b: V, _ c: V) -> (V, V, V) {
            ((a * n0.0).addingProduct(b, n1.0).addingProduct(c, n2.0),
             (a * n0.1).addingProduct(b, n1.1).addingProduct(c, n2.1),
             (a * n0.2).addingProduct(b, n1.2).addingProduct(c, n2.2))
        }
        let g0 = combine(s00, s01, s02), g1 = combine(s01, s11, s12), g2 = combine(s02, s12, s22)
        return ((n0.0 * g0.0).addingProduct(n1.0, g1.0).addingProduct(n2.0, g2.0),
                (n0.1 * g0.1).addingProduct(n1.1, g1.1).addingProduct(n2.1, g2.1),
                (n0.2 * g0.2).addingProduct(n1.2, g1.2).addingProduct(n2.2, g2.2),
                (n0.1 * g0.2).addingProduct(n1.1, g1.2).addingProduct(n2.1, g2.2),
                (n0.0 * g0.2).addingProduct(n1.0, g1.2).addingProduct(n2.0, g2.2),
                (n0.0 * g0.1).addingProduct(n1.0, g1.1).addingProduct(n2.0, g2.1))
    }
}
