// Displacement-controlled elastic–perfectly plastic solve: the force–displacement curve and strength.
//
// Loading: the constraint values are the displacements at the deformation limit; step n of N
// prescribes n/N of them. Each step starts from the previous equilibrium plus the previous step's
// rate of displacement (the elastic rate on the first step) and iterates u ← u + K₀⁻¹·r(u)
// (initial-stiffness method; r = the out-of-balance force on the free DOFs; K₀⁻¹ approximated by one
// multigrid V-cycle, or by PCG to a loose tolerance), accelerated by Anderson mixing of the last
// iterates (history restarted when the residual stagnates). A step has converged when
// ‖r‖ ≤ tolerance·‖reactions‖; the plastic state is then committed. A step that does not converge
// is bisected (up to maxBisections times in a row), then the solve throws — never a number.
import Foundation
import OpenBCTCore

/// Options of the nonlinear solver.
public struct NonlinearOptions: Sendable {
    /// Equal displacement increments up to the constraint values (the deformation limit).
    public var steps: Int
    /// The reaction node set whose force is the load (e.g. the loaded cap's face).
    public var forceSet: String
    /// Unit direction (lattice axes) in which the load force and displacement are measured; the
    /// direction of the prescribed displacement of `forceSet`.
    public var loadDirection: Vec3
    /// Equilibrium: ‖out-of-balance force‖ ≤ equilibriumTolerance·‖reaction forces‖.
    public var equilibriumTolerance: Double
    public var maxIterationsPerStep: Int
    /// A step that does not converge is split in two halves, at most this many times in a row.
    public var maxBisections: Int
    /// Linear solver for the initial elastic solution.
    public var linear: SolverOptions
    /// How each correction K₀⁻¹·r is approximated (inexact corrections are fine: they are iterated).
    public var correction: Correction
    /// Approximations of K₀⁻¹ for the equilibrium corrections.
    public enum Correction: Sendable, Equatable {
        /// One application of the preconditioner (a multigrid V-cycle): a fixed SPD operator, the
        /// cheapest per iteration; Anderson mixing supplies the Krylov-like acceleration.
        case preconditioner
        /// PCG to this relative tolerance.
        case pcg(relativeTolerance: Double)
    }

    /// Anderson acceleration depth (0: plain initial-stiffness iterations).
    public var andersonDepth: Int

    public init(steps: Int = 20, forceSet: String, loadDirection: Vec3, equilibriumTolerance: Double = 1e-3,
                maxIterationsPerStep: Int = 200, maxBisections: Int = 3, linear: SolverOptions = .init(), correction: Correction = .preconditioner,
                andersonDepth: Int = 10) {
        self.steps = steps; self.forceSet = forceSet; self.loadDirection = loadDirection
        self.equilibriumTolerance = equilibriumTolerance; self.maxIterationsPerStep = maxIterationsPerStep
        self.maxBisections = maxBisections
        self.linear = linear; self.correction = correction; self.andersonDepth = andersonDepth
    }
}

/// The result of a nonlinear solve.
public struct ForceDisplacementCurve: Sendable {
    public struct Point: Sendable, Equatable {
        /// Share of the constraint values applied.
        public var factor: Double
        /// Displacement of the load (mm): factor × the largest prescribed displacement of `forceSet`
        /// along `loadDirection`.
        public var displacement: Double
        /// Reaction of `forceSet` along `loadDirection` (N): the force the support exerts on the model.
        public var force: Double
        /// Reaction totals of every reaction node set (N, lattice axes).
        public var reactionTotals: [String: Vec3]
        /// Elements with at least one yielded Gauss point, as a fraction of all elements.
        public var yieldedElementFraction: Double
        /// Equilibrium iterations of this step, and preconditioner applications / PCG iterations
        /// summed over its corrections.
        public var iterations: Int
        public var pcgIterations: Int
        /// Final ‖out-of-balance force‖ / ‖reactions‖.
        public var relativeResidual: Double
    }

    /// The origin, then one point per load step.
    public var points: [Point]
    /// Index of the largest force.
    public var peakIndex: Int
    /// Peak force within the deformation limit (N): the strength.
    public var strength: Double { points[peakIndex].force }
    /// Displacement at the peak (mm).
    public var displacementAtPeak: Double { points[peakIndex].displacement }
    /// Initial (linear elastic) stiffness along the load direction (N/mm).
    public var linearStiffness: Double
    /// Per element: the fraction of its Gauss points that had yielded at the peak (failed-tissue map).
    public var failedTissue: [Float]
    /// Wall-clock seconds of the whole solve.
    public var seconds: Double
}

/// Elastic–perfectly plastic solver (small strain).
public enum NonlinearSolver {
    /// - Throws: `FEError.notConverged` when a step's equilibrium or a PCG solve fails,
    ///   `FEError.invalidModel` for missing yield data or an unknown `forceSet`.
    public static func solve(_ model: FEModel, criterion: YieldCriterion = .principalStrain,
                             options: NonlinearOptions) throws -> ForceDisplacementCurve {
        let start = Date()
        guard options.steps >= 1 else { throw FEError.invalidModel("nonlinear solve needs at least one load step") }
        guard let setNodes = model.reactionNodeSets[options.forceSet] else {
            throw FEError.invalidModel("no reaction node set named '\(options.forceSet)'")
        }
        let direction = normalize(options.loadDirection)
        let inSet = Set(setNodes)
        let reference = model.constraints.filter { inSet.contains($0.node) }.map { $0.value * direction[Int($0.dof)] }.max() ?? 0
        guard reference > 0 else {
            throw FEError.invalidModel("set '\(options.forceSet)' has no prescribed displacement along the load direction")
        }
        let system = try ModelSystem(model)
        let internalForce = try InternalForce(system: system, criterion: criterion)
        let pcg = try PreconditionedSystem(system: system, preconditioner: options.linear.preconditioner)
        let (linear, _, linearForce) = try LinearSolver.solveLattice(system, pcg, factor: 1, options: options.linear)
        func along(_ totals: [String: Vec3]) -> Double { dot(totals[options.forceSet] ?? .zero, direction) }
        let linearStiffness = along(system.totals(linearForce)) / reference

        let n = system.op.dofCount
        let state = PlasticState(elementCount: model.elements.count)
        let u = SolverVector(count: n), f = SolverVector(count: n), r = SolverVector(count: n)
        let correction = SolverVector(count: n), reaction = SolverVector(count: n)
        let previous = SolverVector(count: n), rate = SolverVector(count: n)
        let constrained = SolverVector(count: n)   // 1 at constrained DOFs of used nodes
        for node in system.usedNodes { for d in 0..<3 { let i = 3 * Int(node) + d; constrained[i] = 1 - system.free[i] } }
        var points = [ForceDisplacementCurve.Point(factor: 0, displacement: 0, force: 0,
                                                   reactionTotals: model.reactionNodeSets.mapValues { _ in .zero },
                                                   yieldedElementFraction: 0, iterations: 0, pcgIterations: 0, relativeResidual: 0)]
        var failedTissue = [Float](repeating: 0, count: model.elements.count)
        var peakIndex = 0
        // Load increments as a stack of targets; a step that fails to converge is replaced by its
        // two halves (up to `maxBisections` times) before the solve gives up.
        var pending = (1...options.steps).reversed().map { (target: Double($0) / Double(options.steps), depth: 0) }
        var factor = 0.0
        rate.copy(from: linear)                          // displacement per unit load factor
        while let (target, depth) = pending.popLast() {
            let increment = target - factor
            // Predictor: the last converged increment's rate (secant; the elastic rate at first),
            // with the prescribed DOFs set exactly.
            previous.copy(from: u)
            u.add(increment, rate)
            u.multiply(by: system.free)
            u.add(target, system.prescribed)
            var anderson = AndersonMixing(depth: options.andersonDepth, count: n)
            var iterations = 0, pcgIterations = 0, relative = Double.infinity
            var best = Double.infinity, sinceBest = 0, converged = false
            while iterations <= options.maxIterationsPerStep {
                internalForce.evaluate(u, into: f, state: state, commit: false)
                r.setProduct(system.free, f)
                reaction.setProduct(constrained, f)
                relative = r.norm / max(reaction.norm, .leastNormalMagnitude)
                if relative <= options.equilibriumTolerance { converged = true; break }
                if relative < 0.9 * best { best = relative; sinceBest = 0 } else { sinceBest += 1 }
                if sinceBest >= 20 {                     // stagnating: restart the Anderson history
                    anderson = AndersonMixing(depth: options.andersonDepth, count: n)
                    best = relative; sinceBest = 0
                }
                iterations += 1
                r.scaleAdd(r, -2)                        // r = −f on the free DOFs
                switch options.correction {
                case .preconditioner:
                    pcg.precondition(r, into: correction)
                    pcgIterations += 1
                case .pcg(let tolerance):
                    correction.fill(0)
                    let result = pcg.solve(r, correction, tolerance: tolerance, maxIterations: options.linear.maxIterations)
                    guard result.converged else {
                        throw FEError.notConverged(iterations: result.iterations, relativeResidual: result.relativeResidual,
                                                   tolerance: tolerance)
                    }
                    pcgIterations += result.iterations
                }
                anderson.update(u, correction)
            }
            guard converged else {
                guard depth < options.maxBisections else {
                    throw FEError.notConverged(iterations: iterations, relativeResidual: relative, tolerance: options.equilibriumTolerance)
                }
                u.copy(from: previous)
                pending.append((target, depth + 1))
                pending.append((factor + increment / 2, depth + 1))
                continue
            }
            internalForce.evaluate(u, into: f, state: state, commit: true)
            rate.copy(from: u); rate.add(-1, previous); rate.scaleAdd(rate, 1 / increment - 1)
            factor = target
            let totals = system.totals(f)
            let point = ForceDisplacementCurve.Point(
                factor: factor, displacement: factor * reference, force: along(totals), reactionTotals: totals,
                yieldedElementFraction: Double(state.yieldedElementCount) / Double(max(1, model.elements.count)),
                iterations: iterations, pcgIterations: pcgIterations, relativeResidual: relative)
            points.append(point)
            if point.force > points[peakIndex].force {
                peakIndex = points.count - 1
                failedTissue = state.yieldedFractions
            }
        }
        return ForceDisplacementCurve(points: points, peakIndex: peakIndex, linearStiffness: linearStiffness,
                                      failedTissue: failedTissue, seconds: Date().timeIntervalSince(start))
    }
}
