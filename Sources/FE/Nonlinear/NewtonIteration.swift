// Equilibrium of one load increment by inexact Newton–Krylov with a backtracking line search.
import Foundation
import OpenBCTCore

/// The Newton machinery of one nonlinear solve (work vectors, tangent, multigrid) reused across increments.
final class NewtonIteration {
    struct Outcome {
        var converged: Bool; var iterations: Int; var pcgIterations: Int
        /// ‖r‖₂/‖reactions‖₂ of the last iterate.
        var relativeResidual: Double
        /// The criterion's force measure and its bound at the last iterate (`EquilibriumCheck`).
        var measure: Double, bound: Double
        /// Internal-force evaluations (the first residual, then every line-search trial).
        var evaluations: Int
    }

    let system: ModelSystem
    let internalForce: InternalForce
    let state: PlasticState
    let tangent: TangentStiffness
    let pcg: PreconditionedSystem
    let options: NonlinearOptions
    private let f: SolverVector, r: SolverVector, reaction: SolverVector, delta: SolverVector, trial: SolverVector
    /// 1 at constrained DOFs of used nodes.
    private let constrained: SolverVector
    /// The load direction's components at the DOFs of `options.forceSet` (only for `loadForce`).
    private let loadWeights: SolverVector?
    private let krylov: GMRESWorkspace
    /// Smooths the multigrid's fine level with the tangent (`NonlinearOptions.tangentSmoothing`).
    private let smoothing: TangentSmoothing?
    /// The committed plastic state: every evaluation writes its return into `state` and is undone from this
    /// before the next one, so the converged iterate's evaluation is its commit (`PlasticStateBackup`).
    private let committed: PlasticStateBackup
    /// Whether `state` holds the last evaluation's return instead of the committed state.
    private var written = false
    /// Wall-clock seconds spent in internal-force (and tangent) evaluations and in the Krylov solves.
    private(set) var internalForceSeconds = 0.0, krylovSeconds = 0.0

    init(system: ModelSystem, internalForce: InternalForce, state: PlasticState, tangent: TangentStiffness,
         pcg: PreconditionedSystem, options: NonlinearOptions) {
        self.system = system; self.internalForce = internalForce; self.state = state; self.tangent = tangent
        self.pcg = pcg; self.options = options
        committed = PlasticStateBackup(state)
        let n = system.op.dofCount
        let op = system.op
        f = op.makeVector(); r = op.makeVector(); reaction = op.makeVector()
        delta = op.makeVector(); trial = op.makeVector()
        constrained = op.makeVector()
        krylov = GMRESWorkspace(count: n, support: op.support)
        // A one-level "hierarchy" is a direct solve: no smoother to point at the tangent.
        smoothing = options.tangentSmoothing ? pcg.multigrid.flatMap { $0.levels.count > 1 ? TangentSmoothing(tangent: tangent, multigrid: $0, coarseLevels: options.tangentCoarseLevels) : nil } : nil
        for node in system.usedNodes { for d in 0..<3 { let i = 3 * Int(node) + d; constrained[i] = 1 - system.free[i] } }
        if options.convergence.needsLoadForce, let nodes = system.model.reactionNodeSets[options.forceSet] {
            let weights = op.makeVector(), direction = normalize(options.loadDirection)
            for node in nodes { for d in 0..<3 { weights[3 * Int(node) + d] = direction[d] } }
            loadWeights = weights
        } else {
            loadWeights = nil
        }
    }

    /// Evaluates f_int(u) with the tangent; r = −f on the free DOFs. Returns what the convergence
    /// criterion measures of u but the correction and increment entries (`EquilibriumMeasures`). The plastic
    /// return at u is written into `state` (the previous evaluation's undone first): `commit` keeps it.
    private func residual(at u: SolverVector) -> EquilibriumMeasures {
        let t0 = Date()
        defer { internalForceSeconds += Date().timeIntervalSince(t0) }
        undoLastEvaluation()
        let evaluation = internalForce.evaluate(u, into: f, state: state, commit: true, tangent: tangent,
                                                residual: options.residualStiffness, consistent: options.tangent == .consistent)
        written = true
        r.setProduct(system.free, f)
        r.scaleAdd(r, -2)
        reaction.setProduct(constrained, f)
        var m = EquilibriumMeasures(residualNorm: r.norm, reactionNorm: max(reaction.norm, .leastNormalMagnitude))
        if options.convergence.needsLargestEntries {
            m.largestResidual = r.largestDifference()
            m.meanElementForce = evaluation.elementForceMagnitude / Double(24 * max(1, system.model.elements.count))
        }
        if let loadWeights { m.loadForce = loadWeights.dot(f) }
        return m
    }

    /// Iterates u (prescribed DOFs already at their increment's values; `start`: the last equilibrium)
    /// to equilibrium by `options.convergence`. Stops unconverged when the iteration limit is reached,
    /// the Krylov solve or the line search fails, or the residual stagnates (`stagnates`): the caller
    /// then retries a smaller increment.
    func equilibrate(_ u: SolverVector, start: SolverVector) -> Outcome {
        var check = EquilibriumCheck(options.convergence)
        var current = residual(at: u)
        if options.convergence.needsLargestEntries { current.largestIncrement = u.largestDifference(from: start) }
        check.accept(current)
        var norm = current.residualNorm
        var evaluations = 1
        var iterations = 0, pcgIterations = 0
        var eta = 0.1
        var norms = [norm], ratios = [check.ratio]
        while !check.converged {
            guard iterations < options.maxIterationsPerStep,
                  !(check.ratio > 1 && Self.stagnates(ratios, tolerance: 1, limit: options.maxIterationsPerStep)) else { break }
            iterations += 1
            // K_T·δ = r to the forcing tolerance, never tighter than the force target needs; once the force
            // part holds (a criterion's second test failing), no floor: a loose solve would only halve that test's
            // quantity per iteration.
            delta.fill(0)
            let t0 = Date()
            smoothing?.refresh(firstCorrection: iterations == 1)
            let forcing = min(0.5, check.ratio > 1 ? max(eta, 0.5 / check.ratio) : eta)
            let solve = options.tangent == .symmetric
                ? pcg.solve(r, delta, tolerance: forcing, maxIterations: options.maxKrylovIterations, operator: tangent.apply)
                : pcg.solveGMRES(r, delta, tolerance: forcing, maxIterations: options.maxKrylovIterations, workspace: krylov,
                                 operator: tangent.apply, singlePrecision: tangent.apply)
            pcgIterations += solve.iterations
            krylovSeconds += Date().timeIntervalSince(t0)
            guard solve.relativeResidual < 0.9, solve.relativeResidual.isFinite else { break }
            // Backtracking on ‖r‖: full step first, halve up to 5 times. Sufficient decrease (1e-4·α)
            // against the largest of the last `lineSearchWindow` residuals (non-monotone, Grippo et al.
            // 1986): a full step that briefly raises ‖r‖ while the plastic zone settles is kept.
            let reference = norms.suffix(options.lineSearchWindow).max()!
            var alpha = 1.0, accepted = false
            var next = current
            for _ in 0..<6 {
                trial.copy(from: u); trial.add(alpha, delta)
                next = residual(at: trial)
                evaluations += 1
                if next.residualNorm <= (1 - 1e-4 * alpha) * reference { accepted = true; break }
                alpha /= 2
            }
            guard accepted else { break }
            u.copy(from: trial)
            if options.convergence.needsLargestEntries {
                next.largestCorrection = alpha * delta.largestDifference()
                next.largestIncrement = u.largestDifference(from: start)
            }
            let newNorm = next.residualNorm
            // Eisenstat–Walker choice 2 (γ 0.9, exponent 2) with its safeguard.
            var nextEta = 0.9 * (newNorm / norm) * (newNorm / norm)
            if 0.9 * eta * eta > 0.1 { nextEta = max(nextEta, 0.9 * eta * eta) }
            eta = min(0.5, max(1e-4, nextEta))
            current = next; norm = newNorm
            check.accept(current)
            norms.append(norm); ratios.append(check.ratio)
        }
        smoothing?.release()
        if !check.converged { undoLastEvaluation() }
        return Outcome(converged: check.converged, iterations: iterations, pcgIterations: pcgIterations,
                       relativeResidual: current.residualNorm / current.reactionNorm, measure: check.measure, bound: check.bound,
                       evaluations: evaluations)
    }

    /// Whether an attempt is not worth finishing: after at least 8 iterations, the residual measure
    /// (`relatives`, over `tolerance`) has not halved over the last three and, extrapolated at that
    /// rate, would not reach the tolerance within the iteration limit. Earlier iterations are exempt
    /// (right after yield spreads, short line-search steps often precede the fast phase), and the best
    /// of the last three residuals is used because the non-monotone line search lets ‖r‖ rise for an
    /// iteration. Not applied once the force part holds (only a criterion's second test failing).
    static func stagnates(_ relatives: [Double], tolerance: Double, limit: Int) -> Bool {
        let k = relatives.count - 1
        guard k >= 8 else { return false }
        let best = relatives[(k - 2)...k].min()!, before = relatives[k - 3]
        guard best > 0.5 * before else { return false }
        guard best < before else { return true }
        let rate = pow(best / before, 1.0 / 3)
        return Double(k) + log(tolerance / best) / log(rate) > Double(limit)
    }

    /// Commits the plastic state at the iterate `equilibrate` just converged at (its last evaluation wrote that
    /// iterate's return and f_int); returns the reaction totals.
    func commit() -> [String: Vec3] {
        precondition(written, "commit follows a converged equilibrate")
        committed.update(from: state, elements: tangent.slabs)
        written = false
        return system.totals(f)
    }

    /// Puts the committed state back where the last evaluation wrote its return.
    private func undoLastEvaluation() {
        guard written else { return }
        committed.restore(state, elements: tangent.slabs)
        written = false
    }
}
