// Linear elastic solve of an FEModel: matrix-free PCG with Dirichlet DOFs eliminated.
import Foundation
import OpenBCTCore

/// Options of the iterative linear solver.
public struct SolverOptions: Sendable, Codable, Equatable {
    /// Stop when ‖r‖ ≤ relativeTolerance·‖b‖ (b: the load vector on the free DOFs).
    public var relativeTolerance: Double
    /// More iterations than this without convergence is an error (`FEError.notConverged`).
    public var maxIterations: Int
    public var preconditioner: Preconditioner

    public init(relativeTolerance: Double = 1e-6, maxIterations: Int = 5000, preconditioner: Preconditioner = .multigrid) {
        self.relativeTolerance = relativeTolerance; self.maxIterations = maxIterations; self.preconditioner = preconditioner
    }
}

/// Wall-clock seconds spent in the phases of a solve.
public struct SolverTimings: Sendable, Codable, Equatable {
    /// Operator, mask and preconditioner construction.
    public var setup: Double
    /// PCG iterations.
    public var iterations: Double
    /// Reaction forces and compaction of the result.
    public var post: Double
}

/// The converged linear solution of an FEModel.
public struct LinearSolution: Sendable {
    /// Lattice indices of the nodes that belong to an element, increasing.
    public var nodes: [Int32]
    /// Displacement (mm) along the lattice axes, 3 per entry of `nodes`.
    public var displacement: [Double]
    /// Reaction force (N, lattice axes) summed over each of the model's `reactionNodeSets`: the force
    /// the supports exert on the model, i.e. K·u summed over the set's nodes.
    public var reactionTotals: [String: Vec3]
    public var iterations: Int
    /// ‖K_ff·u_f + K_fc·u_c‖ / ‖K_fc·u_c‖ recomputed from the final displacement.
    public var relativeResidual: Double
    public var converged: Bool
    public var preconditioner: Preconditioner
    /// Number of multigrid levels (1 for Jacobi).
    public var levels: Int
    public var timings: SolverTimings

    /// Displacement of a lattice node, or nil when the node belongs to no element.
    public func displacement(ofNode node: Int32) -> Vec3? {
        guard let i = binarySearch(nodes, node) else { return nil }
        return Vec3(displacement[3 * i], displacement[3 * i + 1], displacement[3 * i + 2])
    }
}

func binarySearch(_ a: [Int32], _ key: Int32) -> Int? {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if a[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo < a.count && a[lo] == key ? lo : nil
}

/// The linear elastic solver.
public enum LinearSolver {
    /// Solves K·u = 0 on the free DOFs with u prescribed by `model.constraints`.
    /// - Throws: `FEError.notConverged` when PCG does not reach the tolerance (never a number),
    ///   `FEError.invalidModel` / `InputError` for an inconsistent model.
    public static func solve(_ model: FEModel, options: SolverOptions = .init()) throws -> LinearSolution {
        let t0 = Date()
        let system = try ModelSystem(model)
        let pcg = try PreconditionedSystem(system: system, preconditioner: options.preconditioner)
        let (u, stats, force) = try solveLattice(system, pcg, factor: 1, options: options)
        let t2 = Date()
        let reactions = system.totals(force)
        let solution = LinearSolution(
            nodes: system.usedNodes, displacement: system.compact(u), reactionTotals: reactions,
            iterations: stats.iterations, relativeResidual: stats.relativeResidual, converged: true,
            preconditioner: options.preconditioner, levels: pcg.levelCount,
            timings: SolverTimings(setup: stats.setupEnd.timeIntervalSince(t0), iterations: t2.timeIntervalSince(stats.setupEnd),
                                   post: Date().timeIntervalSince(t2)))
        return solution
    }

    struct LatticeStats { var iterations: Int; var relativeResidual: Double; var setupEnd: Date }

    /// Solves on the lattice with the constraint values scaled by `factor`; returns the displacement,
    /// statistics and the nodal force K·u (reactions at constrained DOFs, residual elsewhere).
    static func solveLattice(_ system: ModelSystem, _ pcg: PreconditionedSystem, factor: Double,
                             options: SolverOptions) throws -> (SolverVector, LatticeStats, SolverVector) {
        let setupEnd = Date()
        let u = system.prescribed(scaledBy: factor)
        let b = system.op.makeVector()
        system.op.apply(u, into: b)
        b.multiply(by: system.free)
        b.scaleAdd(b, -2)                    // b = −K_fc·u_c
        let x = system.op.makeVector()
        let result = pcg.solve(b, x, tolerance: options.relativeTolerance, maxIterations: options.maxIterations)
        guard result.converged else {
            throw FEError.notConverged(iterations: result.iterations, residual: result.relativeResidual,
                                       tolerance: options.relativeTolerance)
        }
        u.add(1, x)
        let force = system.op.makeVector()
        system.op.apply(u, into: force)
        // True residual on the free DOFs, relative to the load.
        let residual = system.op.makeVector()
        residual.setProduct(system.free, force)
        let bnorm = b.norm
        let relative = bnorm > 0 ? residual.norm / bnorm : 0
        return (u, LatticeStats(iterations: result.iterations, relativeResidual: relative, setupEnd: setupEnd), force)
    }
}
