// Preconditioned conjugate gradients on the free DOFs of a lattice system.

/// A preconditioner choice for the PCG solver.
public enum Preconditioner: String, Sendable, Codable, CaseIterable {
    /// Geometric multigrid V-cycle (default: iteration counts nearly independent of model size).
    case multigrid
    /// Diagonal scaling (simple, iteration counts grow with model size and modulus contrast).
    case jacobi
}

/// The preconditioned system A·x = b with A = K restricted to the free DOFs.
final class PreconditionedSystem: @unchecked Sendable {
    let fine: MultigridLevel
    let multigrid: MultigridPreconditioner?

    init(system: ModelSystem, preconditioner: Preconditioner) throws {
        fine = MultigridLevel(op: system.op, free: system.free)
        multigrid = preconditioner == .multigrid ? try MultigridPreconditioner(fine: fine) : nil
    }

    var levelCount: Int { multigrid?.levels.count ?? 1 }

    func precondition(_ r: SolverVector, into z: SolverVector) {
        if let multigrid { multigrid.apply(r, into: z) } else { z.setProduct(fine.invDiag, r) }
    }

    /// The outcome of one PCG solve.
    struct Result { var iterations: Int; var relativeResidual: Double; var converged: Bool }

    /// Solves A·x = b (b zero at non-free DOFs) from the initial x given, to ‖r‖ ≤ tol·‖b‖.
    /// `operator` replaces A (it must be symmetric positive definite on the free DOFs and zero
    /// elsewhere, e.g. a tangent stiffness); the preconditioner stays the one built on K.
    func solve(_ b: SolverVector, _ x: SolverVector, tolerance: Double, maxIterations: Int,
               operator: ((SolverVector, SolverVector) -> Void)? = nil) -> Result {
        let applyA = `operator` ?? fine.applyMasked
        let n = b.count
        let bnorm = b.norm
        guard bnorm > 0 else { x.fill(0); return Result(iterations: 0, relativeResidual: 0, converged: true) }
        let s = b.support
        let r = SolverVector(count: n, support: s), z = SolverVector(count: n, support: s)
        let p = SolverVector(count: n, support: s), q = SolverVector(count: n, support: s)
        applyA(x, q)
        r.copy(from: b); r.add(-1, q)
        var residual = r.norm / bnorm
        if residual <= tolerance { return Result(iterations: 0, relativeResidual: residual, converged: true) }
        precondition(r, into: z)
        p.copy(from: z)
        var rz = r.dot(z)
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            applyA(p, q)
            let pq = p.dot(q)
            guard pq > 0, pq.isFinite else { break }   // A not positive definite on p: a free rigid mode
            let alpha = rz / pq
            x.add(alpha, p)
            r.add(-alpha, q)
            residual = r.norm / bnorm
            if residual <= tolerance { return Result(iterations: iteration, relativeResidual: residual, converged: true) }
            precondition(r, into: z)
            let rzNext = r.dot(z)
            p.scaleAdd(z, rzNext / rz)
            rz = rzNext
        }
        return Result(iterations: iteration, relativeResidual: residual, converged: false)
    }
}
