// Bone strength of a built load case: linear stiffness, nonlinear strength with its force–displacement
// curve, the failed-tissue map and the provenance a result document needs. This is the entry point
// the pipeline uses after a protocol (VertebralCompression, HipLoadCase) has built the model.
import Foundation
import OpenBCTCore

/// Which elastic–perfectly plastic law the strength analysis uses.
public enum StrengthCriterion: String, Sendable, Codable, CaseIterable {
    /// Asymmetric principal-strain limits (ε_yt, ε_yc) per element from the material law (methods.md §10).
    case principalStrain = "principal-strain"
    /// Von Mises with σ_y = E·ε_yc per element (symmetric; for comparison with CalculiX `*PLASTIC`).
    case vonMises = "von-mises"
}

/// Options of a strength analysis.
public struct StrengthOptions: Sendable, Codable, Equatable {
    /// Deformation limit as a share of the protocol's reference length; nil: the site default of
    /// methods.md §10 (vertebra 2 %, hip 4 %).
    public var deformationLimit: Double?
    public var criterion: StrengthCriterion
    /// First increment = limit / steps (increments then adapt).
    public var steps: Int
    /// When a load increment is in equilibrium (`NonlinearOptions.convergence`).
    public var convergence: EquilibriumCriterion
    /// The linear elastic solve.
    public var linear: SolverOptions
    /// End the curve once it has passed its peak by this rule (`NonlinearOptions`); nil (default): load to
    /// the deformation limit.
    public var stopAfterDecline: DeclineStop? = nil

    public init(deformationLimit: Double? = nil, criterion: StrengthCriterion = .principalStrain, steps: Int = 10,
                convergence: EquilibriumCriterion = NonlinearOptions.defaultConvergence, linear: SolverOptions = .init(), stopAfterDecline: DeclineStop? = nil) {
        self.deformationLimit = deformationLimit; self.criterion = criterion; self.steps = steps
        self.convergence = convergence; self.linear = linear; self.stopAfterDecline = stopAfterDecline
    }

    /// The deformation limit of methods.md §10 for a protocol.
    public static func defaultDeformationLimit(protocolName: String) -> Double {
        protocolName.hasPrefix("vertebra") ? 0.02 : 0.04
    }
}

/// The outcome of a strength analysis.
public struct StrengthResult: Sendable {
    /// The load case as built (frame, materials, caps, constraints).
    public var loadCase: LoadCaseSummary
    /// The model solved at the deformation limit.
    public var model: FEModel
    /// Linear elastic stiffness along the load axis (N/mm).
    public var stiffness: Double
    /// Peak reaction force within the deformation limit (N).
    public var strength: Double
    /// Displacement of the loaded face at the peak (mm).
    public var displacementAtPeak: Double
    /// Deformation limit (share of the reference length) and the displacement it means (mm).
    public var deformationLimit: Double
    public var limitDisplacement: Double
    /// The whole curve with its solver statistics per increment.
    public var curve: ForceDisplacementCurve
    public var options: StrengthOptions
    /// Human-readable description of the yield law.
    public var criterionDescription: String

    /// The failed-tissue map (per voxel: share of the element's integration points that had yielded
    /// at the peak; `outside` where no element covers the voxel), e.g. on the density image's grid.
    public func failedTissueMap(on grid: ImageGrid, outside: Float = 0) -> Volume<Float> {
        model.field(curve.failedTissue, on: grid, outside: outside)
    }
}

/// Linear stiffness and nonlinear strength of a load case.
public enum StrengthAnalysis {
    /// Scales the protocol's constraints from its linear endpoint to the deformation limit and runs
    /// the nonlinear solver on the loaded node set.
    /// - Throws: `InputError` when the material law defines no yield; `FEError` from the solvers
    ///   (an unconverged increment or linear solve is an error, never a number).
    public static func run(_ loadCase: LoadCaseModel, options: StrengthOptions = .init()) throws -> StrengthResult {
        try run(loadCase, options: options) { _ in }
    }

    /// As `run(_:options:)`, with `adjust` changing the solver options that `StrengthOptions` does not
    /// set (benchmarks and reference solves: increment bounds, Newton iterations per increment).
    public static func run(_ loadCase: LoadCaseModel, options: StrengthOptions,
                           adjust: (inout NonlinearOptions) -> Void) throws -> StrengthResult {
        let summary = loadCase.summary
        guard summary.displacementFraction > 0, summary.appliedDisplacement != 0 else {
            throw InputError(location: "load case '\(summary.protocolName)'", "has no linear endpoint to scale to the deformation limit")
        }
        guard let yieldStrain = loadCase.model.yieldStrain else {
            throw InputError(location: "material law '\(summary.materials.law.name)'",
                             "defines no yield; the strength needs femur-morgan, vertebra-kopperdahl or vertebra-morgan")
        }
        let limit = options.deformationLimit ?? StrengthOptions.defaultDeformationLimit(protocolName: summary.protocolName)
        guard limit > 0, limit < 0.5 else { throw InputError(location: "deformationLimit", "must lie in (0, 0.5), got \(limit)") }
        var model = loadCase.model
        let scale = limit / summary.displacementFraction
        for i in model.constraints.indices { model.constraints[i].value *= scale }
        var direction = Vec3.zero
        direction[summary.loadAxis] = summary.appliedDisplacement < 0 ? -1 : 1
        let criterion: YieldCriterion, description: String
        switch options.criterion {
        case .principalStrain:
            criterion = .principalStrain
            description = "principal strain, asymmetric (ε_yt, ε_yc per element), elastic–perfectly plastic"
        case .vonMises:
            criterion = .vonMises(yieldStress: zip(model.youngsModulus, yieldStrain).map { $0 * $1.y })
            description = "von Mises, σ_y = E·ε_yc per element, elastic–perfectly plastic"
        }
        var solverOptions = NonlinearOptions(steps: options.steps, forceSet: loadedNodeSet, loadDirection: direction,
                                             convergence: options.convergence, linear: options.linear,
                                             stopAfterDecline: options.stopAfterDecline)
        adjust(&solverOptions)
        let curve = try NonlinearSolver.solve(model, criterion: criterion, options: solverOptions)
        return StrengthResult(loadCase: summary, model: model, stiffness: curve.linearStiffness, strength: curve.strength,
                              displacementAtPeak: curve.displacementAtPeak, deformationLimit: limit,
                              limitDisplacement: abs(summary.appliedDisplacement * scale), curve: curve,
                              options: options, criterionDescription: description)
    }
}
