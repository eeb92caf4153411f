// Symmetric 3×3 tensors in Voigt form: principal values and principal directions.
import Foundation

/// A symmetric 3×3 tensor stored as (xx, yy, zz, yz, xz, xy) tensor components (not engineering shear).
public struct SymmetricTensor: Sendable, Equatable {
    public var xx, yy, zz, yz, xz, xy: Double

    public init(xx: Double, yy: Double, zz: Double, yz: Double, xz: Double, xy: Double) {
        self.xx = xx; self.yy = yy; self.zz = zz; self.yz = yz; self.xz = xz; self.xy = xy
    }

    /// From a Voigt strain with engineering shear (γ = 2ε): halves the shear entries.
    public init(engineeringStrain v: (Double, Double, Double, Double, Double, Double)) {
        self.init(xx: v.0, yy: v.1, zz: v.2, yz: v.3 / 2, xz: v.4 / 2, xy: v.5 / 2)
    }

    /// Principal values, largest first (closed form: trigonometric solution of the characteristic cubic).
    public var principalValues: (Double, Double, Double) {
        let p1 = yz * yz + xz * xz + xy * xy
        let mean = (xx + yy + zz) / 3
        if p1 <= 1e-30 * max(1, mean * mean) {
            let v = [xx, yy, zz].sorted(by: >)
            return (v[0], v[1], v[2])
        }
        let a = xx - mean, b = yy - mean, c = zz - mean
        let p2 = a * a + b * b + c * c + 2 * p1
        let p = (p2 / 6).squareRoot()
        // det((A − mean·I)/p) / 2
        let det = (a * (b * c - yz * yz) - xy * (xy * c - yz * xz) + xz * (xy * yz - b * xz)) / (p * p * p)
        let r = max(-1, min(1, det / 2))
        let phi = acos(r) / 3
        let e1 = mean + 2 * p * cos(phi), e3 = mean + 2 * p * cos(phi + 2 * Double.pi / 3)
        return (e1, 3 * mean - e1 - e3, e3)
    }

    /// Principal values, largest first, and unit principal directions (closed form, allocation-free;
    /// used per yielded integration point by the plastic return).
    public var eigenDecomposition: (values: SIMD3<Double>, vectors: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) {
        eigenDecomposition(principal: principalValues)
    }

    /// As `eigenDecomposition`, from the principal values already computed (largest first).
    ///
    /// The direction of the value farthest from its neighbour is the largest cross product of two rows
    /// of A − λI: that gap is at least half the spread of the values, so the product is well
    /// conditioned. The other two directions diagonalise A restricted to the plane normal to it, by one
    /// rotation of a 2×2 matrix — exact for equal or nearly equal values (every direction of that plane
    /// is then principal). Only the deviator is used, so the tolerances scale with it.
    func eigenDecomposition(principal: (Double, Double, Double))
        -> (values: SIMD3<Double>, vectors: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) {
        let mean = (xx + yy + zz) / 3
        let a = xx - mean, b = yy - mean, c = zz - mean
        let d1 = principal.0 - mean, d2 = principal.1 - mean, d3 = principal.2 - mean
        let identity = (SIMD3<Double>(1, 0, 0), SIMD3<Double>(0, 1, 0), SIMD3<Double>(0, 0, 1))
        let spread = d1 - d3
        let values = SIMD3(principal.0, principal.1, principal.2)
        // Three equal values (to rounding): every direction is principal.
        guard spread > 1e-14 * max(abs(d1), abs(d3), abs(xy), abs(xz), abs(yz)), spread > 0 else { return (values, identity) }
        let topIsApart = d1 - d2 >= d2 - d3
        let lambda = topIsApart ? d1 : d3
        let r0 = SIMD3(a - lambda, xy, xz), r1 = SIMD3(xy, b - lambda, yz), r2 = SIMD3(xz, yz, c - lambda)
        @inline(__always) func cross(_ p: SIMD3<Double>, _ q: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(p.y * q.z - p.z * q.y, p.z * q.x - p.x * q.z, p.x * q.y - p.y * q.x)
        }
        @inline(__always) func dot(_ p: SIMD3<Double>, _ q: SIMD3<Double>) -> Double { (p * q).sum() }
        var v = cross(r0, r1), best = dot(v, v)
        let c02 = cross(r0, r2), c12 = cross(r1, r2)
        if dot(c02, c02) > best { v = c02; best = dot(c02, c02) }
        if dot(c12, c12) > best { v = c12; best = dot(c12, c12) }
        guard best > 0, best.isFinite else { return (values, identity) }
        v /= best.squareRoot()
        // An orthonormal pair (u, w) of the plane normal to v.
        var u = abs(v.x) > abs(v.y) ? SIMD3(-v.z, 0, v.x) : SIMD3(0, v.z, -v.y)
        u /= dot(u, u).squareRoot()
        let w = cross(v, u)
        @inline(__always) func deviatorTimes(_ x: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(a * x.x + xy * x.y + xz * x.z, xy * x.x + b * x.y + yz * x.z, xz * x.x + yz * x.y + c * x.z)
        }
        let au = deviatorTimes(u), aw = deviatorTimes(w)
        let p = dot(u, au), q = dot(w, aw), r = dot(u, aw)
        // The rotation by φ = ½·atan2(2r, p − q) ∈ [−π/2, π/2] puts the larger plane value on n1. Its cosine
        // and sine come from cos 2φ and sin 2φ by the half-angle formulas (no trigonometric calls), each
        // from the larger of 1 ± cos 2φ so that neither loses precision.
        let radius = ((p - q) * (p - q) / 4 + r * r).squareRoot()
        var cs = 1.0, sn = 0.0
        if radius > 0 {
            let cos2 = (p - q) / (2 * radius), sin2 = r / radius
            if cos2 >= 0 {
                cs = ((1 + cos2) / 2).squareRoot(); sn = sin2 / (2 * cs)
            } else {
                sn = Double(signOf: sin2, magnitudeOf: ((1 - cos2) / 2).squareRoot()); cs = sin2 / (2 * sn)
            }
        }
        let n1 = cs * u + sn * w, n2 = cs * w - sn * u
        let high = mean + (p + q) / 2 + radius
        let low = mean + p + q - (high - mean)
        let apart = lambda + mean
        return topIsApart ? (SIMD3(apart, high, low), (v, n1, n2)) : (SIMD3(high, low, apart), (n1, n2, v))
    }

    /// Σ λ_i·n_i⊗n_i.
    public static func fromSpectral(_ values: SIMD3<Double>, _ n: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) -> SymmetricTensor {
        // Columns of the three directions scaled by their values: t = Σ (λ_i·n_i)⊗n_i, no allocation.
        let s0 = values.x * n.0, s1 = values.y * n.1, s2 = values.z * n.2
        let diagonal = s0 * n.0 + s1 * n.1 + s2 * n.2
        return SymmetricTensor(xx: diagonal.x, yy: diagonal.y, zz: diagonal.z,
                               yz: s0.y * n.0.z + s1.y * n.1.z + s2.y * n.2.z,
                               xz: s0.x * n.0.z + s1.x * n.1.z + s2.x * n.2.z,
                               xy: s0.x * n.0.y + s1.x * n.1.y + s2.x * n.2.y)
    }

    /// Von Mises equivalent of a stress tensor.
    public var vonMises: Double {
        let d1 = xx - yy, d2 = yy - zz, d3 = zz - xx
        return ((d1 * d1 + d2 * d2 + d3 * d3) / 2 + 3 * (yz * yz + xz * xz + xy * xy)).squareRoot()
    }
}
