// The lattice form of an FEModel that all solvers share: operator, free-DOF mask, prescribed values.
import OpenBCTCore

/// An FEModel laid out on its node lattice (3 DOFs per lattice node, node n at offset 3n).
final class ModelSystem: @unchecked Sendable {
    let model: FEModel
    let op: LatticeOperator
    /// 1 at free DOFs, 0 at constrained DOFs and at lattice nodes no element touches.
    let free: SolverVector
    /// Prescribed displacement at constrained DOFs (constraint values), 0 elsewhere.
    let prescribed: SolverVector
    /// Lattice nodes touched by an element, increasing.
    let usedNodes: [Int32]

    init(_ model: FEModel) throws {
        try model.validate()
        guard !model.elements.isEmpty else { throw FEError.invalidModel("the model has no elements") }
        guard !model.constraints.isEmpty else {
            throw FEError.invalidModel("the model has no constraints: rigid-body motion is free")
        }
        self.model = model
        let h = model.voxelSize
        op = LatticeOperator(elementDims: model.dims, cells: model.elements,
                             scale: model.youngsModulus.map { Double($0) * h },
                             unitStiffness: HexElement.unitStiffness(nu: model.poissonRatio))
        let nodeCount = op.dofCount / 3
        var used = [Bool](repeating: false, count: nodeCount)
        let NX = op.nodeDims.x, NXY = op.nodeDims.x * op.nodeDims.y
        for n0 in op.cornerNode {
            let n = Int(n0)
            for o in [n, n + NX, n + NXY, n + NX + NXY] { used[o] = true; used[o + 1] = true }
        }
        usedNodes = used.indices.compactMap { used[$0] ? Int32($0) : nil }
        free = op.makeVector()
        for n in usedNodes { for d in 0..<3 { free[3 * Int(n) + d] = 1 } }
        prescribed = op.makeVector()
        var seen = [Int: Double]()
        for (i, c) in model.constraints.enumerated() {
            let dof = 3 * Int(c.node) + Int(c.dof)
            guard used[Int(c.node)] else {
                throw FEError.invalidModel("constraints[\(i)] holds node \(c.node), which belongs to no element")
            }
            if let v = seen[dof], v != c.value {
                throw FEError.invalidModel("node \(c.node) dof \(c.dof) is prescribed twice with different values (\(v), \(c.value))")
            }
            seen[dof] = c.value
            free[dof] = 0
            prescribed[dof] = c.value
        }
    }

    /// The prescribed displacement scaled by `factor` (load stepping).
    func prescribed(scaledBy factor: Double) -> SolverVector {
        let v = op.makeVector()
        v.copy(from: prescribed)
        if factor != 1 { v.scaleAdd(v, factor - 1) }
        return v
    }

    /// Sums the lattice force vector over each named node set (lattice axes, N).
    func totals(_ force: SolverVector) -> [String: Vec3] {
        model.reactionNodeSets.mapValues { nodes in
            var sum = Vec3()
            for n in nodes { let o = 3 * Int(n); sum += Vec3(force[o], force[o + 1], force[o + 2]) }
            return sum
        }
    }

    /// The compact displacement (3 per used node, `usedNodes` order) of a lattice vector.
    func compact(_ u: SolverVector) -> [Double] {
        var out = [Double](); out.reserveCapacity(3 * usedNodes.count)
        for n in usedNodes { let o = 3 * Int(n); out.append(u[o]); out.append(u[o + 1]); out.append(u[o + 2]) }
        return out
    }
}
