// Restarted GMRES, right-preconditioned by the system's preconditioner, for nonsymmetric operators on
// the free DOFs (the consistent tangent of the principal-strain law).

/// GMRES work vectors kept between solves of one size: a Newton solve calls GMRES once per
/// iteration, and allocating (zero-filling) up to 43 lattice-wide vectors each time costs as much
/// memory traffic as several Krylov iterations.
final class GMRESWorkspace {
    let r: SolverVector, w: SolverVector
    /// The single-precision product A·z_k before its masked widening into w.
    let product: MultigridVector
    /// The Krylov basis v₀, v₁, …, grown on demand up to restart + 1 vectors.
    var basis: [SolverVector] = []
    /// The preconditioned basis z_k = M⁻¹·v_k, grown on demand up to restart vectors. Single precision:
    /// the V-cycle computes z_k in Float, so storing it so loses nothing and halves its memory and traffic.
    var preconditioned: [MultigridVector] = []

    let support: DofSupport

    init(count n: Int, support: DofSupport) {
        self.support = support
        r = SolverVector(count: n, support: support); w = SolverVector(count: n, support: support)
        product = MultigridVector(count: n, support: support)
    }

    func makeVector() -> SolverVector { SolverVector(count: r.count, support: support) }
}

extension PreconditionedSystem {
    /// Solves A·x = b (b zero at non-free DOFs, a lattice vector with its support) from the initial x given,
    /// to ‖b − A·x‖ ≤ tol·‖b‖, with GMRES(`restart`) on A·M⁻¹ (Saad 2003, alg. 9.5; Givens rotations, modified
    /// Gram–Schmidt), keeping the preconditioned vectors z_k = M⁻¹·v_k as flexible GMRES does (Saad 1993): the
    /// update x += Σ y_k·z_k then needs no V-cycle of its own, and the reported residual is the rotations'
    /// |g_k|, which is ‖b − A·x‖ up to rounding (A·Z_k = V_{k+1}·H̄_k holds for the z_k used), so no
    /// product recomputes it (docs/fe-methods.md, "Flexible-GMRES storage"). A restart recomputes the residual
    /// with `applyA` (double precision, masked to the free DOFs); the Krylov products A·z_k use
    /// `applySingle`, A in single precision over the support, unmasked (the mask is applied here), since
    /// z_k is single precision anyway and the correction only needs the forcing tolerance
    /// (docs/fe-methods.md, "Single-precision Krylov products"). `workspace` (vectors of b's size) is reused when given.
    func solveGMRES(_ b: SolverVector, _ x: SolverVector, tolerance: Double, maxIterations: Int, restart: Int = 20,
                    workspace: GMRESWorkspace? = nil, operator applyA: (SolverVector, SolverVector) -> Void,
                    singlePrecision applySingle: (MultigridVector, MultigridVector) -> Void) -> Result {
        let n = b.count, bnorm = b.norm
        guard bnorm > 0 else { x.fill(0); return Result(iterations: 0, relativeResidual: 0, converged: true) }
        guard let support = b.support else { Swift.preconditionFailure("GMRES solves on lattice vectors (with a support)") }
        let work = workspace ?? GMRESWorkspace(count: n, support: support)
        Swift.precondition(work.r.count == n, "GMRES workspace of another size")
        let r = work.r, w = work.w, product = work.product, free = system.free
        var basis = work.basis, preconditioned = work.preconditioned
        defer { work.basis = basis; work.preconditioned = preconditioned }
        var iterations = 0, relative = 1.0
        // A Newton correction starts from x = 0: then r = b, without the product A·0 (one per solve).
        var zeroStart = x.norm == 0
        while iterations < maxIterations {
            if !zeroStart { applyA(x, w) }
            let beta = zeroStart ? r.assign(b, plus: 0, times: b).squareRoot() : r.assign(b, plus: -1, times: w).squareRoot()
            zeroStart = false
            relative = beta / bnorm
            if relative <= tolerance { return Result(iterations: iterations, relativeResidual: relative, converged: true) }
            if basis.isEmpty { basis.append(work.makeVector()) }
            basis[0].assign(r, plus: 1 / beta - 1, times: r)
            var h = [[Double]](), cs = [Double](), sn = [Double](), g = [beta]
            var k = 0
            while k < restart && iterations < maxIterations {
                iterations += 1
                if preconditioned.count <= k { preconditioned.append(MultigridVector(count: n, support: support)) }
                precondition(basis[k], into: preconditioned[k])
                applySingle(preconditioned[k], product)
                // Modified Gram–Schmidt, each subtraction fused with the next projection (or the norm); the
                // first projection with the product's widening.
                var column = [Double](repeating: 0, count: k + 2)
                column[0] = w.assign(product, masked: free, thenDot: basis[0])
                for i in 0..<k { column[i + 1] = w.addThenDot(-column[i], basis[i], basis[i + 1]) }
                column[k + 1] = w.addThenDot(-column[k], basis[k], w).squareRoot()
                if basis.count < k + 2 { basis.append(work.makeVector()) }
                if column[k + 1] > 0 { basis[k + 1].assign(w, plus: 1 / column[k + 1] - 1, times: w) }
                for i in 0..<k {
                    let t = cs[i] * column[i] + sn[i] * column[i + 1]
                    column[i + 1] = -sn[i] * column[i] + cs[i] * column[i + 1]
                    column[i] = t
                }
                let rho = (column[k] * column[k] + column[k + 1] * column[k + 1]).squareRoot()
                guard rho > 0, rho.isFinite else { break }
                cs.append(column[k] / rho); sn.append(column[k + 1] / rho)
                column[k] = rho; column[k + 1] = 0
                g.append(-sn[k] * g[k]); g[k] *= cs[k]
                h.append(column)
                k += 1
                relative = abs(g[k]) / bnorm
                if relative <= tolerance { break }
            }
            guard k > 0 else { break }
            // y = H⁻¹g (upper triangular), x += Z·y.
            var y = [Double](repeating: 0, count: k)
            for i in stride(from: k - 1, through: 0, by: -1) {
                var s = g[i]
                for j in (i + 1)..<k { s -= h[j][i] * y[j] }
                y[i] = s / h[i][i]
            }
            x.addCombination(y, Array(preconditioned[0..<k]))
            if relative <= tolerance { return Result(iterations: iterations, relativeResidual: relative, converged: true) }
        }
        return Result(iterations: iterations, relativeResidual: relative, converged: false)
    }
}
