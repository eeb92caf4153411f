// Timing of the bare stiffness operator, for benchmarks (`openbct fe-bench`).
import Foundation

/// Measures the matrix-free operator of a model in isolation.
public enum OperatorBenchmark {
    /// Seconds per product y = K·x: the minimum over `repetitions` timed products after one warm-up.
    public static func secondsPerProduct(_ model: FEModel, repetitions: Int = 10) throws -> Double {
        let system = try ModelSystem(model)
        let x = SolverVector(count: system.op.dofCount, repeating: 1e-3), y = SolverVector(count: system.op.dofCount)
        system.op.apply(x, into: y)
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let t = Date()
            system.op.apply(x, into: y)
            best = min(best, Date().timeIntervalSince(t))
        }
        return best
    }
}
