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
    let system: ModelSystem
    let multigrid: MultigridPreconditioner?
    /// 1/diag(K) at free DOFs (the Jacobi preconditioner), nil with multigrid.
    let inverseDiagonal: SolverVector?

    init(system: ModelSystem, preconditioner: Preconditioner) throws {
        self.system = system
        if preconditioner == .multigrid {
            multigrid = try MultigridPreconditioner(op: system.op, free: system.free)
            inverseDiagonal = nil
        } else {
            multigrid = nil
            let diag = system.op.diagonal(), inverse = system.op.makeVector()
            for i in 0..<diag.count where system.free[i] != 0 && diag[i] > 0 { inverse[i] = 1 / diag[i] }
            inverseDiagonal = inverse
        }
    }

    var levelCount: Int { multigrid?.levels.count ?? 1 }

    /// y = A·v: K restricted to the free DOFs (constrained rows and columns removed).
    func applyMasked(_ v: SolverVector, into y: SolverVector) {
        system.op.apply(v, into: y)
        y.multiply(by: system.free)
    }

    func precondition(_ r: SolverVector, into z: SolverVector) {
        if let multigrid { multigrid.apply(r, into: z) } else if let inverseDiagonal { z.setProduct(inverseDiagonal, r) }
    }

    /// z = M⁻¹·r rounded to single precision (flexible GMRES's stored basis; the V-cycle's own precision).
    func precondition(_ r: SolverVector, into z: MultigridVector) {
        if let multigrid { multigrid.apply(r, into: z) } else if let inverseDiagonal { z.assignProduct(inverseDiagonal, r) }
    }

    /// The outcome of one PCG solve.
    struct Result { var iterations: Int; var relativeResidual: Double; var converged: Bool }

    /// Solves A·x = b (b zero at non-free DOFs) from the initial x given, to ‖r‖ ≤ tol·‖b‖.
    /// `operator` replaces A (it must be symmetric positive definite on the free DOFs and zero
    /// elsewhere, e.g. a tangent stiffness); the preconditioner stays the one built on K.
    func solve(_ b: SolverVector, _ x: SolverVector, tolerance: Double, maxIterations: Int,
               operator: ((SolverVector, SolverVector) -> Void)? = nil) -> Result {
        let applyA = `operator` ?? applyMasked
        let n = b.count
        let bnorm = b.norm
        guard bnorm > 0 else { x.fill(0); return Result(iterations: 0, relativeResidual: 0, converged: true) }
        let s = b.support
        let r = SolverVector(count: n, support: s), z = SolverVector(count: n, support: s)
        let p = SolverVector(count: n, support: s), q = SolverVector(count: n, support: s)
        // From x = 0 (every Newton correction, the linear solve) r = b, without the product A·0.
        let zeroStart = x.norm == 0
        if !zeroStart { applyA(x, q) }
        var residual = (zeroStart ? r.assign(b, plus: 0, times: b) : r.assign(b, plus: -1, times: q)).squareRoot() / bnorm
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
            residual = r.addThenDot(-alpha, q, r).squareRoot() / bnorm
            if residual <= tolerance { return Result(iterations: iteration, relativeResidual: residual, converged: true) }
            precondition(r, into: z)
            let rzNext = r.dot(z)
            p.scaleAdd(z, rzNext / rz)
            rz = rzNext
        }
        return Result(iterations: iteration, relativeResidual: residual, converged: false)
    }
}
