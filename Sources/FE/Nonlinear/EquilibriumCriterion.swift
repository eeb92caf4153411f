// When a load increment is in equilibrium: the convergence criteria of the Newton iteration.
import Foundation

/// When a load increment's Newton iteration has reached equilibrium (`NonlinearOptions.convergence`).
/// r is the out-of-balance force on the free DOFs, the reactions the internal force on the constrained
/// ones; iterate 0 is the increment's predictor.
public enum EquilibriumCriterion: Sendable, Codable, Equatable {
    /// ‖r‖₂ ≤ tolerance·‖reactions‖₂ (the default until 2026-11-30, with 10⁻³).
    case relativeResidual(tolerance: Double)
    /// CalculiX's field criterion (ccx manual, "Convergence criteria"; `*CONTROLS, PARAMETERS=FIELD`):
    /// the largest |r_i| ≤ c₁·q̃, with q̃ the mean, over this increment's earlier iterates, of q̄ = the
    /// average |element nodal force| component (Σ over elements, their nodes and DOFs / their count),
    /// c₁ = `force` (R_n) up to iteration `lateAfter` (I_p) and `lateForce` (R_p) after it; AND the
    /// largest entry of the iteration's correction, or its estimate for the next iteration
    /// (r_i·c_i / min(r_{i−1}, r_{i−2}) in largest entries), ≤ `correction` (C_n) × the largest
    /// displacement change since the start of the increment. The predictor, which has no correction,
    /// is accepted on the force test alone (ccx always solves once); r ≤ 10⁻⁸·q̃ (R_l) skips the
    /// correction test as ccx does. ccx's zero-flux branch does not arise under displacement control.
    case calculix(force: Double, lateForce: Double, lateAfter: Int, correction: Double)
    /// The quantity of interest: the load force (`NonlinearOptions.forceSet` along `loadDirection`)
    /// changed by at most `change`·|F| in the last iteration, AND ‖r‖₂ ≤ `residual`·‖reactions‖₂. The
    /// predictor has no previous force: it must meet ‖r‖₂ ≤ `change`·‖reactions‖₂ instead.
    case loadForce(change: Double, residual: Double)

    /// CalculiX's defaults: R_n = 0.005, R_p = 0.02 after I_p = 9 iterations, C_n = 0.02.
    public static let calculixDefaults = EquilibriumCriterion.calculix(force: 0.005, lateForce: 0.02, lateAfter: 9, correction: 0.02)

    /// What `EquilibriumCheck.measure` is for this criterion (named in `FEError.notConverged`).
    var measureName: String {
        if case .calculix = self { "largest residual over the mean element force (max|r_i|/q̃)" } else { "relative residual ‖r‖/‖reactions‖" }
    }

    /// Whether the test needs the largest entries of r, the correction and the increment, and q̄.
    var needsLargestEntries: Bool { if case .calculix = self { true } else { false } }
    /// Whether the test needs the load force of every iterate.
    var needsLoadForce: Bool { if case .loadForce = self { true } else { false } }
}

/// One accepted iterate, measured as the criteria need it (entries a criterion does not need are 0).
struct EquilibriumMeasures {
    /// ‖r‖₂ and ‖reactions‖₂.
    var residualNorm: Double, reactionNorm: Double
    /// max_i |r_i|; q̄ (N); the largest entry of the correction that produced this iterate (0 for the
    /// predictor) and of the displacement change since the increment's start (mm).
    var largestResidual = 0.0, meanElementForce = 0.0, largestCorrection = 0.0, largestIncrement = 0.0
    /// Load force (N).
    var loadForce = 0.0
}

/// The convergence test of one increment, fed its accepted iterates in order, the predictor first.
struct EquilibriumCheck {
    let criterion: EquilibriumCriterion
    private var history: [EquilibriumMeasures] = []
    /// The last iterate's force measure and the bound it must meet (for `relativeResidual` and
    /// `loadForce` ‖r‖₂/‖reactions‖₂, for `calculix` max|r_i|/q̃): their ratio drives the Krylov forcing
    /// floor and the stagnation rule, and both go into `FEError.notConverged`.
    private(set) var measure = Double.infinity, bound = 1.0
    /// Whether the last iterate is in equilibrium.
    private(set) var converged = false

    init(_ criterion: EquilibriumCriterion) { self.criterion = criterion }

    /// The last iterate's force measure over its bound (≤ 1 where the force part holds).
    var ratio: Double { measure / bound }

    mutating func accept(_ m: EquilibriumMeasures) {
        let i = history.count
        history.append(m)
        let relative = m.residualNorm / m.reactionNorm
        switch criterion {
        case .relativeResidual(let tolerance):
            (measure, bound) = (relative, tolerance)
            converged = relative <= tolerance
        case let .calculix(force, lateForce, lateAfter, correction):
            let earlier = i == 0 ? history[...] : history[..<i]
            let qTilde = earlier.reduce(0) { $0 + $1.meanElementForce } / Double(earlier.count)
            (measure, bound) = (m.largestResidual / qTilde, i <= lateAfter ? force : lateForce)
            if measure > bound { converged = false; return }
            if i == 0 || measure <= 1e-8 { converged = true; return }
            let allowed = correction * m.largestIncrement
            let before = history[max(0, i - 2) ..< i].map(\.largestResidual).min()!
            converged = m.largestCorrection <= allowed || m.largestResidual * m.largestCorrection < allowed * before
        case let .loadForce(change, residual):
            if i == 0 {
                (measure, bound) = (relative, change)
                converged = relative <= change
            } else {
                (measure, bound) = (relative, residual)
                converged = relative <= residual && abs(m.loadForce - history[i - 1].loadForce) <= change * abs(m.loadForce)
            }
        }
    }
}
