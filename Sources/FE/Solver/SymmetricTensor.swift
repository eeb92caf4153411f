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

    /// Principal values (any order) and unit principal directions by cyclic Jacobi rotations; robust
    /// for repeated values. Allocation-free (used per integration point by the plastic return).
    public var eigenDecomposition: (values: SIMD3<Double>, vectors: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) {
        // Rows of the working matrix and of the accumulated rotation (columns = eigenvectors).
        var m = (SIMD3(xx, xy, xz), SIMD3(xy, yy, yz), SIMD3(xz, yz, zz))
        var v = (SIMD3<Double>(1, 0, 0), SIMD3<Double>(0, 1, 0), SIMD3<Double>(0, 0, 1))
        @inline(__always) func row(_ t: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>), _ r: Int) -> SIMD3<Double> {
            r == 0 ? t.0 : r == 1 ? t.1 : t.2
        }
        @inline(__always) func setRow(_ t: inout (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>), _ r: Int, _ x: SIMD3<Double>) {
            if r == 0 { t.0 = x } else if r == 1 { t.1 = x } else { t.2 = x }
        }
        let scale = max(abs(xx), abs(yy), abs(zz), abs(yz), abs(xz), abs(xy), 1e-300)
        for _ in 0..<30 {
            let off = m.0.y * m.0.y + m.0.z * m.0.z + m.1.z * m.1.z
            if off <= 1e-30 * scale * scale { break }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] {
                let mpq = row(m, p)[q]
                if mpq == 0 { continue }
                let theta = (row(m, q)[q] - row(m, p)[p]) / (2 * mpq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                // M ← Jᵀ M J: columns p, q then rows p, q.
                for k in 0..<3 {
                    var r = row(m, k)
                    let mkp = r[p], mkq = r[q]
                    r[p] = c * mkp - s * mkq; r[q] = s * mkp + c * mkq
                    setRow(&m, k, r)
                    var w = row(v, k)
                    let vkp = w[p], vkq = w[q]
                    w[p] = c * vkp - s * vkq; w[q] = s * vkp + c * vkq
                    setRow(&v, k, w)
                }
                let rp = row(m, p), rq = row(m, q)
                setRow(&m, p, c * rp - s * rq); setRow(&m, q, s * rp + c * rq)
            }
        }
        return (SIMD3(m.0.x, m.1.y, m.2.z),
                (SIMD3(v.0.x, v.1.x, v.2.x), SIMD3(v.0.y, v.1.y, v.2.y), SIMD3(v.0.z, v.1.z, v.2.z)))
    }

    /// Σ λ_i·n_i⊗n_i.
    public static func fromSpectral(_ values: SIMD3<Double>, _ n: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) -> SymmetricTensor {
        var t = SymmetricTensor(xx: 0, yy: 0, zz: 0, yz: 0, xz: 0, xy: 0)
        for (l, v) in [(values.x, n.0), (values.y, n.1), (values.z, n.2)] {
            t.xx += l * v.x * v.x; t.yy += l * v.y * v.y; t.zz += l * v.z * v.z
            t.yz += l * v.y * v.z; t.xz += l * v.x * v.z; t.xy += l * v.x * v.y
        }
        return t
    }

    /// Von Mises equivalent of a stress tensor.
    public var vonMises: Double {
        let d1 = xx - yy, d2 = yy - zz, d3 = zz - xx
        return ((d1 * d1 + d2 * d2 + d3 * d3) / 2 + 3 * (yz * yz + xz * xz + xy * xy)).squareRoot()
    }
}
