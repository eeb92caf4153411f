// Displacement-controlled elastic–perfectly plastic solve: the force–displacement curve and strength.
//
// Loading: the constraint values are the displacements at the deformation limit; the load factor λ
// runs from 0 to 1 in adaptive increments. Each increment starts from the previous equilibrium plus
// the previous increment's displacement rate (the elastic rate at first) and iterates inexact Newton:
// K_T·δ = r(u) solved by GMRES (PCG for the symmetric tangent) to a forcing tolerance η_k
// (Eisenstat–Walker), K_T the tangent stiffness of the current iterate applied matrix-free
// (TangentStiffness), preconditioned by the multigrid V-cycle built once on the elastic stiffness whose
// fine level smooths with K_T (TangentSmoothing); then a non-monotone backtracking line search on ‖r‖.
// An increment has converged when it meets the equilibrium criterion (`EquilibriumCriterion`); the
// plastic state is then committed
// and the next increment grows (few iterations) or shrinks (many), a growth that raised the cost per unit
// load being undone (`IncrementControl`). An increment that does not
// converge is retried at half the size; below the smallest allowed increment the solve throws —
// never a number.
import Foundation
import OpenBCTCore

/// Options of the nonlinear solver.
public struct NonlinearOptions: Sendable, Codable, Equatable {
    /// The first increment is 1/steps of the deformation limit; later ones adapt.
    public var steps: Int
    /// The reaction node set whose force is the load (e.g. the loaded cap's face).
    public var forceSet: String
    /// Unit direction (lattice axes) in which the load force and displacement are measured; the
    /// direction of the prescribed displacement of `forceSet`.
    public var loadDirection: Vec3
    /// When an increment is in equilibrium (`EquilibriumCriterion`).
    public var convergence: EquilibriumCriterion
    /// The default criterion, ‖r‖₂ ≤ 10⁻³·‖reactions‖₂, chosen by measurement against a 10⁻⁵ reference
    /// (docs/fe-methods.md, "Equilibrium criterion"): its strength is within +0.29 % on the phantom and
    /// fixture femurs and the L4; looser tolerances over-estimate more (+0.46 % at 2·10⁻³, +0.8 % at 5·10⁻³)
    /// without being measurably cheaper, CalculiX's criterion is more accurate at 2–3× the Newton iterations.
    public static let defaultConvergence = EquilibriumCriterion.relativeResidual(tolerance: 1e-3)
    /// Newton iterations allowed per increment before it is retried at half the size.
    public var maxIterationsPerStep: Int
    /// Largest and smallest increment (shares of the deformation limit).
    public var maxIncrement: Double
    public var minIncrement: Double
    /// How the next increment is sized from the last ones (`IncrementControl`).
    public var incrementControl: IncrementControl = .costAwareDefault
    /// Stiffness kept in yielded directions of the tangent (fraction of the elastic stiffness): keeps
    /// K_T positive definite when a whole cross-section yields at once.
    public var residualStiffness: Double
    /// Krylov iterations allowed per Newton correction. Converging corrections need 1–20 at the
    /// forcing tolerances used; a tangent the elastic multigrid cannot precondition (right after
    /// yield spreads over a large increment) stalls GMRES for hundreds, and its correction then fails
    /// the line search anyway: the increment is retried at half the size sooner.
    public var maxKrylovIterations: Int
    /// The line search's sufficient decrease is measured against the largest residual of the last
    /// this many iterates (1: monotone backtracking).
    public var lineSearchWindow: Int = 3
    /// Whether the multigrid's fine level smooths with the current tangent stiffness (its product and
    /// diagonal, refreshed before every Newton correction) instead of the elastic stiffness it was built
    /// on; the coarse levels stay elastic (`TangentSmoothing`).
    public var tangentSmoothing: Bool = true
    /// Whether the multigrid's coarse levels (all but the coarsest) are re-derived from the tangent at the
    /// first correction of every increment attempt — each yielded element weighted by its tangent's mean
    /// diagonal stiffness — instead of staying elastic (`TangentSmoothing`; only with `tangentSmoothing`).
    /// On by default since 2026-11-30 (lead): over four first increments −15 % / −9 % Krylov + force passes on
    /// the left / right phantom femur, −19 % / +1 % on analyze's path — and with the femurs solved side by side
    /// the pair ends with the slower one; peaks within 0.22 %, towards the tight 10⁻⁵ reference
    /// (docs/fe-methods.md, "Tangent-aware coarse levels").
    public var tangentCoarseLevels: Bool = true
    /// Which tangent the Newton corrections solve with.
    public var tangent: Tangent
    public enum Tangent: String, Sendable, Codable, CaseIterable {
        /// Symmetric tangent (Pᵀ·C·P for the principal-strain law), solved by PCG.
        case symmetric
        /// Consistent tangent (C·P, nonsymmetric for the principal-strain law), solved by GMRES(20).
        case consistent
    }
    /// Linear solver for the initial elastic solution.
    public var linear: SolverOptions
    /// When set, the solve ends once the curve has passed its peak by this rule (the strength is then the
    /// peak reached so far: a curve that rose again above it later would be missed). nil: always load to the limit.
    public var stopAfterDecline: DeclineStop? = nil

    public init(steps: Int = 10, forceSet: String, loadDirection: Vec3, convergence: EquilibriumCriterion = defaultConvergence,
                maxIterationsPerStep: Int = 15, maxIncrement: Double = 0.25, minIncrement: Double = 1e-3,
                residualStiffness: Double = 1e-2, maxKrylovIterations: Int = 50, tangent: Tangent = .consistent,
                linear: SolverOptions = .init(), stopAfterDecline: DeclineStop? = nil) {
        self.steps = steps; self.forceSet = forceSet; self.loadDirection = loadDirection
        self.stopAfterDecline = stopAfterDecline
        self.convergence = convergence; self.maxIterationsPerStep = maxIterationsPerStep
        self.maxIncrement = maxIncrement; self.minIncrement = minIncrement
        self.residualStiffness = residualStiffness; self.maxKrylovIterations = maxKrylovIterations
        self.tangent = tangent
        self.linear = linear
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
        /// Newton iterations of this increment and PCG iterations summed over its corrections.
        public var iterations: Int
        public var pcgIterations: Int
        /// Final ‖out-of-balance force‖ / ‖reactions‖.
        public var relativeResidual: Double
        /// Internal-force evaluations of this increment (one per Newton iteration plus line-search trials).
        public var residualEvaluations: Int = 0
        /// Attempts of this increment retried at half the size before it converged, and the Newton and
        /// Krylov iterations those failed attempts spent (not included in `iterations`/`pcgIterations`).
        public var cutbacks: Int = 0
        public var failedIterations: Int = 0
        public var failedPcgIterations: Int = 0
        /// Wall-clock seconds of this increment, its failed attempts included.
        public var seconds: Double = 0
    }

    /// The origin, then one point per converged increment.
    public var points: [Point]
    /// Index of the largest force.
    public var peakIndex: Int
    /// Peak force within the deformation limit (N): the strength.
    public var strength: Double { points[peakIndex].force }
    /// Displacement at the peak (mm).
    public var displacementAtPeak: Double { points[peakIndex].displacement }
    /// Initial (linear elastic) stiffness along the load direction (N/mm).
    public var linearStiffness: Double
    /// PCG iterations of the initial elastic solve.
    public var linearIterations: Int
    /// Per element: the fraction of its Gauss points that had yielded at the peak (failed-tissue map).
    public var failedTissue: [Float]
    /// Increments retried at half the size.
    public var cutbacks: Int
    /// Wall-clock seconds in internal-force and tangent evaluations, and in the tangent Krylov solves.
    public var internalForceSeconds: Double
    public var krylovSeconds: Double
    /// Wall-clock seconds of the whole solve.
    public var seconds: Double
    /// The solve ended before the deformation limit because the curve had passed its peak
    /// (`NonlinearOptions.stopAfterDecline`).
    public var stoppedAfterPeak = false
}

/// Elastic–perfectly plastic solver (small strain).
public enum NonlinearSolver {
    /// - Throws: `FEError.notConverged` when an increment fails to converge even at the smallest
    ///   increment, or the elastic solve fails; `FEError.invalidModel` for missing yield data or an
    ///   unknown `forceSet`.
    public static func solve(_ model: FEModel, criterion: YieldCriterion = .principalStrain,
                             options: NonlinearOptions) throws -> ForceDisplacementCurve {
        let start = Date()
        guard options.lineSearchWindow >= 1 else { throw FEError.invalidModel("lineSearchWindow must be at least 1") }
        guard options.steps >= 1 else { throw FEError.invalidModel("nonlinear solve needs at least one load step") }
        if let problem = options.stopAfterDecline?.problem { throw FEError.invalidModel(problem) }
        guard options.minIncrement > 0, options.maxIncrement >= options.minIncrement else {
            throw FEError.invalidModel("increments need 0 < minIncrement ≤ maxIncrement")
        }
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
        let (linear, linearStats, linearForce) = try LinearSolver.solveLattice(system, pcg, factor: 1, options: options.linear)
        func along(_ totals: [String: Vec3]) -> Double { dot(totals[options.forceSet] ?? .zero, direction) }
        let linearStiffness = along(system.totals(linearForce)) / reference

        let state = PlasticState(elementCount: model.elements.count)
        let tangent = TangentStiffness(system: system, gradients: internalForce.gradients)
        let newton = NewtonIteration(system: system, internalForce: internalForce, state: state, tangent: tangent,
                                     pcg: pcg, options: options)
        let u = system.op.makeVector(), previous = system.op.makeVector(), rate = system.op.makeVector()
        var points = [ForceDisplacementCurve.Point(factor: 0, displacement: 0, force: 0,
                                                   reactionTotals: model.reactionNodeSets.mapValues { _ in .zero },
                                                   yieldedElementFraction: 0, iterations: 0, pcgIterations: 0, relativeResidual: 0)]
        var failedTissue = [Float](repeating: 0, count: model.elements.count)
        var peakIndex = 0, cutbacks = 0, stoppedAfterPeak = false
        var factor = 0.0, increment = min(options.maxIncrement, 1 / Double(options.steps))
        rate.copy(from: linear)                          // displacement per unit load factor
        var incrementStart = Date(), incrementCutbacks = 0, failedIterations = 0, failedPcgIterations = 0, failedEvaluations = 0
        var controller = IncrementController(control: options.incrementControl, maxIncrement: options.maxIncrement,
                                             minIncrement: options.minIncrement)
        while factor < 1 - 1e-12 {
            // The last increment ends exactly at the limit (a sum of steps can round a hair below 1).
            let last = increment >= 1 - factor - 1e-12
            let step = last ? 1 - factor : increment, target = last ? 1 : factor + step
            // Predictor: the last converged increment's rate (the elastic rate at first), with the
            // prescribed DOFs set exactly.
            previous.copy(from: u)
            u.add(step, rate)
            u.multiply(by: system.free)
            u.add(target, system.prescribed)
            let outcome = newton.equilibrate(u, start: previous)
            guard outcome.converged else {
                u.copy(from: previous)
                cutbacks += 1; incrementCutbacks += 1
                failedIterations += outcome.iterations; failedPcgIterations += outcome.pcgIterations
                failedEvaluations += outcome.evaluations
                increment = step / 2
                guard increment >= options.minIncrement else {
                    throw FEError.notConverged(iterations: outcome.iterations, residual: outcome.measure,
                                               tolerance: outcome.bound, measure: options.convergence.measureName)
                }
                continue
            }
            let totals = newton.commit()
            rate.copy(from: u); rate.add(-1, previous); rate.scaleAdd(rate, 1 / step - 1)
            factor = target
            let point = ForceDisplacementCurve.Point(
                factor: factor, displacement: factor * reference, force: along(totals), reactionTotals: totals,
                yieldedElementFraction: Double(state.yieldedElementCount) / Double(max(1, model.elements.count)),
                iterations: outcome.iterations, pcgIterations: outcome.pcgIterations, relativeResidual: outcome.relativeResidual,
                residualEvaluations: outcome.evaluations, cutbacks: incrementCutbacks, failedIterations: failedIterations,
                failedPcgIterations: failedPcgIterations, seconds: Date().timeIntervalSince(incrementStart))
            let cost = outcome.pcgIterations + outcome.evaluations + failedPcgIterations + failedEvaluations
            incrementStart = Date(); incrementCutbacks = 0; failedIterations = 0; failedPcgIterations = 0; failedEvaluations = 0
            points.append(point)
            if point.force > points[peakIndex].force {
                peakIndex = points.count - 1
                failedTissue = state.yieldedFractions
            }
            if let stop = options.stopAfterDecline,
               stop.ends(sincePeak: points.count - 1 - peakIndex, peakFactor: points[peakIndex].factor, factor: factor) {
                stoppedAfterPeak = true; break
            }
            increment = controller.next(after: step, newton: outcome.iterations, cost: cost)
        }
        return ForceDisplacementCurve(points: points, peakIndex: peakIndex, linearStiffness: linearStiffness,
                                      linearIterations: linearStats.iterations, failedTissue: failedTissue,
                                      cutbacks: cutbacks, internalForceSeconds: newton.internalForceSeconds,
                                      krylovSeconds: newton.krylovSeconds, seconds: Date().timeIntervalSince(start),
                                      stoppedAfterPeak: stoppedAfterPeak)
    }
}
