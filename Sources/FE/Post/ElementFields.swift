// Per-element strain, stress, strain-energy density and von Mises stress of a solved model.
import OpenBCTCore

/// Element fields of a displacement solution, in `model.elements` order.
///
/// Strain and stress are evaluated at the element centroid (Voigt order xx, yy, zz, yz, xz, xy;
/// strains with engineering shear γ = 2ε; lattice axes). The strain-energy density is exact for
/// the element: SED_e = ½·u_eᵀ·K_e·u_e / h³ (MPa), i.e. the element's energy over its volume —
/// what CalculiX's ELSE divided by the volume gives.
public struct ElementFields: Sendable {
    /// 6 per element.
    public var strain: [Double]
    /// 6 per element (MPa).
    public var stress: [Double]
    /// MPa (= mJ/mm³).
    public var strainEnergyDensity: [Double]
    /// MPa.
    public var vonMises: [Double]

    /// The strain tensor of element `e`.
    public func strainTensor(_ e: Int) -> SymmetricTensor {
        let s = strain[6 * e ..< 6 * e + 6].map { $0 }
        return SymmetricTensor(engineeringStrain: (s[0], s[1], s[2], s[3], s[4], s[5]))
    }

    /// Computes the fields of `solution` on `model` (the model that was solved).
    public static func compute(model: FEModel, solution: LinearSolution) -> ElementFields {
        compute(model: model, latticeDisplacement: latticeDisplacement(model: model, solution: solution))
    }

    /// The solution's displacement spread over the full node lattice (3 per lattice node).
    static func latticeDisplacement(model: FEModel, solution: LinearSolution) -> [Double] {
        var u = [Double](repeating: 0, count: 3 * model.nodeDims.x * model.nodeDims.y * model.nodeDims.z)
        for (i, n) in solution.nodes.enumerated() { for d in 0..<3 { u[3 * Int(n) + d] = solution.displacement[3 * i + d] } }
        return u
    }

    static func compute(model: FEModel, latticeDisplacement u: [Double]) -> ElementFields {
        let n = model.elements.count, h = model.voxelSize
        let b0 = HexElement.strainDisplacement(at: SIMD3(0.5, 0.5, 0.5))
        let c = HexElement.elasticity(nu: model.poissonRatio)
        let k = HexElement.unitStiffness(nu: model.poissonRatio)
        var strain = [Double](repeating: 0, count: 6 * n), stress = [Double](repeating: 0, count: 6 * n)
        var sed = [Double](repeating: 0, count: n), vm = [Double](repeating: 0, count: n)
        let nx = model.dims.x, ny = model.dims.y, NX = nx + 1, NY = ny + 1
        strain.withUnsafeMutableBufferPointer { sb in stress.withUnsafeMutableBufferPointer { tb in
        sed.withUnsafeMutableBufferPointer { eb in vm.withUnsafeMutableBufferPointer { vb in
        u.withUnsafeBufferPointer { ub in
            let sp = SendablePointer(sb.baseAddress!), tp = SendablePointer(tb.baseAddress!)
            let ep = SendablePointer(eb.baseAddress!), vp = SendablePointer(vb.baseAddress!)
            let up = SendableConstPointer(ub.baseAddress!)
            parallelChunks(n, minimumChunk: 4096) { range in
                var ue = [Double](repeating: 0, count: 24), eps = [Double](repeating: 0, count: 6)
                for e in range {
                    let cell = Int(model.elements[e])
                    let i = cell % nx, j = (cell / nx) % ny, kk = cell / (nx * ny)
                    let n0 = i + NX * (j + NY * kk)
                    for l in 0..<8 {
                        let node = n0 + (l & 1) + NX * (l >> 1 & 1) + NX * NY * (l >> 2 & 1)
                        for d in 0..<3 { ue[3 * l + d] = up[3 * node + d] }
                    }
                    let E = Double(model.youngsModulus[e])
                    for r in 0..<6 { var s = 0.0; for q in 0..<24 { s += b0[r * 24 + q] * ue[q] }; eps[r] = s / h }
                    var energy = 0.0
                    for a in 0..<24 { var s = 0.0; for q in 0..<24 { s += k[a * 24 + q] * ue[q] }; energy += ue[a] * s }
                    for r in 0..<6 {
                        sp[6 * e + r] = eps[r]
                        var s = 0.0; for q in 0..<6 { s += c[r * 6 + q] * eps[q] }
                        tp[6 * e + r] = E * s
                    }
                    // ½·E·h·uᵀK̂u / h³
                    ep[e] = 0.5 * E * energy / (h * h)
                    vp[e] = SymmetricTensor(xx: tp[6 * e], yy: tp[6 * e + 1], zz: tp[6 * e + 2],
                                            yz: tp[6 * e + 3], xz: tp[6 * e + 4], xy: tp[6 * e + 5]).vonMises
                }
            }
        } } } } }
        return ElementFields(strain: strain, stress: stress, strainEnergyDensity: sed, vonMises: vm)
    }
}
