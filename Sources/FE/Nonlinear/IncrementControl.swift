// How large the next load increment is: from the last increment's Newton count and, optionally, from
// what the last increments cost per unit of load.
import Foundation

/// The rule that sizes the next load increment of the nonlinear solve (`NonlinearOptions.incrementControl`).
public enum IncrementControl: Sendable, Codable, Equatable {
    /// By the last increment's Newton count alone: ≤ 4 iterations grow the step 1.5×, ≥ 10 shrink it 0.7×,
    /// otherwise keep it.
    case newtonCount
    /// The Newton-count rule, plus a check on what the growth bought: an increment that was grown and cost
    /// more per unit of load than the increment before it (cost = Krylov iterations + internal-force
    /// evaluations, its failed attempts included; over the step) by more than the factor `tolerance` sends
    /// the next increment back to the previous step, and the step is not grown again for `hold` increments.
    case costAware(tolerance: Double, hold: Int)

    /// The default (docs/fe-methods.md, "Cost-aware increments"): any rise in cost per unit load undoes a growth, and the
    /// step holds for 4 increments (3, 4 and 6 measured alike; tolerances 1.25 and 1.5 kept the dear steps).
    public static let costAwareDefault = IncrementControl.costAware(tolerance: 1, hold: 4)
}

/// The state of the increment rule across one solve: fed every converged increment, it returns the next step.
struct IncrementController {
    let control: IncrementControl
    let maxIncrement: Double, minIncrement: Double
    /// The previous converged increment's step and cost per unit load factor (nil before the second).
    private var previous: (step: Double, rate: Double)?
    /// Increments left during which the step may not grow.
    private var holding = 0

    init(control: IncrementControl, maxIncrement: Double, minIncrement: Double) {
        self.control = control; self.maxIncrement = maxIncrement; self.minIncrement = minIncrement
    }

    /// The next step after a converged increment of `step` (share of the limit) that took `newton` iterations
    /// and cost `cost` (Krylov iterations + internal-force evaluations, failed attempts included).
    mutating func next(after step: Double, newton: Int, cost: Int) -> Double {
        var next = newton <= 4 ? min(maxIncrement, 1.5 * step) : newton >= 10 ? max(minIncrement, 0.7 * step) : step
        guard case let .costAware(tolerance, hold) = control else { return next }
        let rate = Double(cost) / step
        if holding > 0 { holding -= 1; next = min(next, step) }
        // A grown step (the predictor's larger jump makes yield spread further per increment) that costs
        // more per unit load than the smaller step before it did not pay: return to that step.
        if let previous, step > 1.01 * previous.step, rate > tolerance * previous.rate {
            next = min(next, max(minIncrement, previous.step))
            holding = hold
        }
        previous = (step, rate)
        return next
    }
}
