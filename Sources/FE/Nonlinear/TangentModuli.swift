// Tangent moduli dσ/dε of the elastic–perfectly plastic laws at one integration point.
//
// Stored as the 36 entries (row-major) of the 6×6 Voigt matrix that maps the strain increment with
// engineering shear (dε_xx, dε_yy, dε_zz, dγ_yz, dγ_xz, dγ_xy) to the stress increment (dσ_xx, …, dσ_xy).
//
// Principal-strain law: in the principal frame nᵢ of the trial elastic strain the return is
// eᵢ' = clamp(eᵢ, −ε_yc, ε_yt). Its exact derivative is P: δᵢ (1 unclamped, 0 clamped) on the normal
// components and θᵢⱼ = (eᵢ' − eⱼ')/(eᵢ − eⱼ) ∈ [0, 1] on the shear components; the consistent tangent
// C·P is not symmetric (the law is not associated): it needs GMRES. The symmetric variant (for PCG)
// uses Pᵀ·C·P on the normal block (it drops only the Poisson coupling of a free direction into a held
// one); both use the exact 2μ·θᵢⱼ on the shear block.
// Von Mises: the consistent tangent of the radial return for perfect plasticity,
// κ·1⊗1 + 2μβ·(I_dev − n̂⊗n̂), β = σ_y/q_trial, n̂ = s/‖s‖ (Simo & Hughes 1998, box 3.2).
// Both keep a floor `residual` (a fraction of the elastic stiffness) in the directions the yield
// removes, so the tangent stays positive definite when a whole cross-section yields at once.

enum TangentModuli {
    /// Entries per integration point.
    static let count = 36

    /// The isotropic elasticity matrix.
    @inline(__always)
    static func elastic(lambda: Double, mu: Double, into d: UnsafeMutablePointer<Float>) {
        for k in 0..<count { d[k] = 0 }
        for i in 0..<3 { for j in 0..<3 { d[6 * i + j] = Float(lambda + (i == j ? 2 * mu : 0)) } }
        for i in 3..<6 { d[6 * i + i] = Float(mu) }
    }

    /// The Voigt components (j = 0…5, γ = 1 for shear) of the basis strains, seen as principal-frame
    /// component (a, b): M_j(a, b) = sym(n_a ⊗ n_b)_j.
    @inline(__always)
    private static func frameComponents(_ na: SIMD3<Double>, _ nb: SIMD3<Double>) -> SIMD8<Double> {
        SIMD8(na.x * nb.x, na.y * nb.y, na.z * nb.z,
              (na.y * nb.z + na.z * nb.y) / 2, (na.x * nb.z + na.z * nb.x) / 2, (na.x * nb.y + na.y * nb.x) / 2, 0, 0)
    }

    /// Tangent of the principal-strain return, from the principal values `e` and directions `n` of the
    /// trial elastic strain ε − εₚ.
    static func principalStrain(values e: SIMD3<Double>, vectors n: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>),
                                lambda: Double, mu: Double, tension: Double, compression: Double, residual: Double,
                                consistent: Bool, into d: UnsafeMutablePointer<Float>) {
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
        // Normal block: consistent C·P = λ·S̄⊗S + 2μ·Σ_a δ_a·u_a⊗u_a (S̄ = Σ u_a, S = Σ δ_a u_a), symmetric
        // Pᵀ·C·P = λ·S⊗S + 2μ·Σ_a δ_a²·u_a⊗u_a, with u_a = M(a,a). Shear block: each principal pair
        // (ab and ba) with stress 2μθ·dε_ab → 4μθ·M(a,b)⊗M(a,b).
        let u0 = frameComponents(n.0, n.0), u1 = frameComponents(n.1, n.1), u2 = frameComponents(n.2, n.2)
        let right = u0 * delta.x + u1 * delta.y + u2 * delta.z
        let left = consistent ? u0 + u1 + u2 : right
        let w = consistent ? 2 * mu * delta : 2 * mu * delta * delta
        let b01 = frameComponents(n.0, n.1), b02 = frameComponents(n.0, n.2), b12 = frameComponents(n.1, n.2)
        let w01 = 4 * mu * theta(0, 1), w02 = 4 * mu * theta(0, 2), w12 = 4 * mu * theta(1, 2)
        for i in 0..<6 {
            var row = right * (lambda * left[i])
            row.addProduct(u0, SIMD8(repeating: w.x * u0[i])); row.addProduct(u1, SIMD8(repeating: w.y * u1[i]))
            row.addProduct(u2, SIMD8(repeating: w.z * u2[i]))
            row.addProduct(b01, SIMD8(repeating: w01 * b01[i])); row.addProduct(b02, SIMD8(repeating: w02 * b02[i]))
            row.addProduct(b12, SIMD8(repeating: w12 * b12[i]))
            for j in 0..<6 { d[6 * i + j] = Float(row[j]) }
        }
    }

    /// Consistent tangent of the von Mises radial return (perfect plasticity) at ε with plastic εₚ.
    static func vonMises(strain: SymmetricTensor, plastic: SymmetricTensor, lambda: Double, mu: Double,
                         yieldStress: Double, residual: Double, into d: UnsafeMutablePointer<Float>) {
        let trial = PlasticReturn.elasticStress(strain - plastic, lambda: lambda, mu: mu)
        let q = trial.vonMises
        guard q > yieldStress else { elastic(lambda: lambda, mu: mu, into: d); return }
        let p = (trial.xx + trial.yy + trial.zz) / 3
        let dev = SIMD8<Double>(trial.xx - p, trial.yy - p, trial.zz - p, trial.yz, trial.xz, trial.xy, 0, 0)
        let shearTwice = SIMD8<Double>(1, 1, 1, 2, 2, 2, 0, 0)
        let nhat = dev / ((dev * dev * shearTwice).sum()).squareRoot()
        let kappa = lambda + 2 * mu / 3, beta = yieldStress / q
        for i in 0..<6 { for j in 0..<6 {
            let volumetric = i < 3 && j < 3 ? kappa : 0
            let deviatoric = i < 3 && j < 3 ? (i == j ? 2.0 / 3 : -1.0 / 3) : (i == j ? 0.5 : 0)
            d[6 * i + j] = Float(volumetric + 2 * mu * beta * (deviatoric - (1 - residual) * nhat[i] * nhat[j]))
        } }
    }
}
