// Small analytic models for the solver tests: solid blocks with prescribed face displacements.
import FE
import OpenBCTCore

enum SolverTestModels {
    /// A solid block of nx×ny×nz cubes of edge h and modulus E (no constraints yet).
    static func block(_ dims: SIMD3<Int>, h: Double = 1, E: Float = 1000, nu: Double = 0.3) -> FEModel {
        let n = dims.x * dims.y * dims.z
        return FEModel(voxelSize: h, dims: dims, elements: (0..<n).map { Int32($0) },
                       youngsModulus: [Float](repeating: E, count: n), poissonRatio: nu)
    }

    /// A yielding test block: moduli spread deterministically over [`lowest`, `lowest` + `spread`] MPa, yield
    /// strains 0.6 % tension / 0.8 % compression, the bottom face clamped and the top face clamped and moved
    /// down by `strain` × the height; the top face is the reaction set "top".
    static func compressedBlock(_ dims: SIMD3<Int>, lowest: Double, spread: Double, strain: Double) -> FEModel {
        var model = block(dims, h: 1, E: 1000)
        model.youngsModulus = model.elements.indices.map { Float(lowest + spread * Double(($0 * 7919) % 101) / 100) }
        model.yieldStrain = model.elements.indices.map { _ in SIMD2(0.006, 0.008) }
        let bottom = face(model, axis: 2, layer: 0), top = face(model, axis: 2, layer: dims.z)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: d == 2 ? -strain * Double(dims.z) : 0)) } }
        model.constraints = constraints
        model.reactionNodeSets = ["top": top]
        return model
    }

    /// Lattice nodes of the face `axis` = `layer`.
    static func face(_ model: FEModel, axis: Int, layer: Int) -> [Int32] {
        let nd = model.nodeDims
        var out: [Int32] = []
        for k in 0..<nd.z { for j in 0..<nd.y { for i in 0..<nd.x where SIMD3(i, j, k)[axis] == layer {
            out.append(model.nodeIndex(i, j, k))
        } } }
        return out
    }

    /// Symmetric eigenvalues by cyclic Jacobi rotations (independent of the solver code).
    static func eigenvalues(_ a: [Double], n: Int) -> [Double] {
        var m = a
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in 0..<n where p != q { off += m[p * n + q] * m[p * n + q] } }
            if off < 1e-26 { break }
            for p in 0..<n { for q in (p + 1)..<n where abs(m[p * n + q]) > 1e-300 {
                let theta = (m[q * n + q] - m[p * n + p]) / (2 * m[p * n + q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let mkp = m[k * n + p], mkq = m[k * n + q]
                    m[k * n + p] = c * mkp - s * mkq; m[k * n + q] = s * mkp + c * mkq
                }
                for k in 0..<n {
                    let mpk = m[p * n + k], mqk = m[q * n + k]
                    m[p * n + k] = c * mpk - s * mqk; m[q * n + k] = s * mpk + c * mqk
                }
            } }
        }
        return (0..<n).map { m[$0 * n + $0] }.sorted()
    }
}
