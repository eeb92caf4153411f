// The trilinear 8-node hexahedron on a cube: shape-function gradients, B matrices and the
// unit-modulus stiffness K̂(ν), integrated with 2×2×2 Gauss points.
//
// Local node l sits at corner (l & 1, l >> 1 & 1, l >> 2 & 1) of the cube; local DOF 3·l + d is the
// displacement of node l along lattice axis d. Voigt order of strains and stresses is
// (xx, yy, zz, yz, xz, xy) with engineering shear strains (γ = 2ε).

/// Fixed element matrices of the voxel hexahedron.
public enum HexElement {
    /// Gauss points of the unit cube (2×2×2 rule), in the order g = a + 2b + 4c.
    public static let gaussPoints: [SIMD3<Double>] = {
        let lo = 0.5 - 0.5 / 3.0.squareRoot(), hi = 0.5 + 0.5 / 3.0.squareRoot()
        return (0..<8).map { g in SIMD3(g & 1 == 0 ? lo : hi, g >> 1 & 1 == 0 ? lo : hi, g >> 2 & 1 == 0 ? lo : hi) }
    }()

    /// Gradients ∂N_l/∂(x, y, z) of the 8 shape functions of the unit cube at point `p` ∈ [0,1]³.
    public static func shapeGradients(at p: SIMD3<Double>) -> [SIMD3<Double>] {
        (0..<8).map { l in
            let a = Double(l & 1), b = Double(l >> 1 & 1), c = Double(l >> 2 & 1)
            // N_l = fx·fy·fz with f = t (corner at 1) or 1 − t (corner at 0).
            let fx = a == 1 ? p.x : 1 - p.x, fy = b == 1 ? p.y : 1 - p.y, fz = c == 1 ? p.z : 1 - p.z
            let dx = a == 1 ? 1.0 : -1.0, dy = b == 1 ? 1.0 : -1.0, dz = c == 1 ? 1.0 : -1.0
            return SIMD3(dx * fy * fz, fx * dy * fz, fx * fy * dz)
        }
    }

    /// The shape-function gradients at the 8 Gauss points gathered per node and axis: entry 3·l + d
    /// holds ∂N_l/∂x_d at Gauss points g = 0…7 in its lanes, so that kernels treat the 8 points of an
    /// element as one SIMD vector.
    static let gaussGradientLanes: [SIMD8<Double>] = {
        let perPoint = gaussPoints.map { shapeGradients(at: $0) }
        return (0..<24).map { i in
            var lanes = SIMD8<Double>()
            for g in 0..<8 { lanes[g] = perPoint[g][i / 3][i % 3] }
            return lanes
        }
    }()

    /// The 6×24 strain–displacement matrix (row-major) of the unit cube at `p`; divide by the edge
    /// length h for a cube of edge h.
    public static func strainDisplacement(at p: SIMD3<Double>) -> [Double] {
        var b = [Double](repeating: 0, count: 6 * 24)
        for (l, g) in shapeGradients(at: p).enumerated() {
            let c = 3 * l
            b[0 * 24 + c] = g.x; b[1 * 24 + c + 1] = g.y; b[2 * 24 + c + 2] = g.z
            b[3 * 24 + c + 1] = g.z; b[3 * 24 + c + 2] = g.y   // γ_yz
            b[4 * 24 + c] = g.z; b[4 * 24 + c + 2] = g.x       // γ_xz
            b[5 * 24 + c] = g.y; b[5 * 24 + c + 1] = g.x       // γ_xy
        }
        return b
    }

    /// The 6×6 isotropic elasticity matrix (row-major) for Young's modulus `E` and Poisson's ratio `nu`.
    public static func elasticity(E: Double = 1, nu: Double) -> [Double] {
        let lambda = E * nu / ((1 + nu) * (1 - 2 * nu)), mu = E / (2 * (1 + nu))
        var c = [Double](repeating: 0, count: 36)
        for i in 0..<3 { for j in 0..<3 { c[i * 6 + j] = lambda + (i == j ? 2 * mu : 0) } }
        for i in 3..<6 { c[i * 6 + i] = mu }
        return c
    }

    /// The 24×24 stiffness K̂ (row-major, symmetric) of a unit cube with E = 1 and Poisson's ratio
    /// `nu`. A cube of edge h and modulus E has K_e = E·h·K̂.
    public static func unitStiffness(nu: Double) -> [Double] {
        let c = elasticity(nu: nu)
        var k = [Double](repeating: 0, count: 24 * 24)
        for p in gaussPoints {
            let b = strainDisplacement(at: p)
            // CB (6×24), then K += Bᵀ·CB·w with w = 1/8 (the unit cube's volume split over 8 points).
            var cb = [Double](repeating: 0, count: 6 * 24)
            for i in 0..<6 { for j in 0..<24 {
                var s = 0.0
                for m in 0..<6 { s += c[i * 6 + m] * b[m * 24 + j] }
                cb[i * 24 + j] = s
            } }
            for i in 0..<24 { for j in 0..<24 {
                var s = 0.0
                for m in 0..<6 { s += b[m * 24 + i] * cb[m * 24 + j] }
                k[i * 24 + j] += s / 8
            } }
        }
        return k
    }
}
