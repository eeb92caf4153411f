// The equilibrium criteria against their definitions (CalculiX's from the ccx manual, "Convergence criteria").
import Testing
@testable import FE

@Suite("Newton equilibrium criteria")
struct EquilibriumCriterionTests {
    func measures(relative: Double = 1, largest: Double = 0, mean: Double = 0, correction: Double = 0,
                  increment: Double = 0, force: Double = 0) -> EquilibriumMeasures {
        EquilibriumMeasures(residualNorm: relative, reactionNorm: 1, largestResidual: largest, meanElementForce: mean,
                            largestCorrection: correction, largestIncrement: increment, loadForce: force)
    }

    @Test("relative residual: ‖r‖ ≤ tolerance·‖reactions‖, from the predictor on")
    func relativeResidual() {
        var check = EquilibriumCheck(.relativeResidual(tolerance: 1e-3))
        check.accept(measures(relative: 2e-3))
        #expect(!check.converged && abs(check.ratio - 2) < 1e-12)
        check.accept(measures(relative: 1e-3))
        #expect(check.converged)
    }

    @Test("CalculiX: the predictor passes on the force test alone, against its own q̄")
    func calculixPredictor() {
        var check = EquilibriumCheck(.calculixDefaults)
        check.accept(measures(largest: 0.0049, mean: 1))
        #expect(check.converged)
        var failing = EquilibriumCheck(.calculixDefaults)
        failing.accept(measures(largest: 0.0051, mean: 1))
        #expect(!failing.converged && abs(failing.ratio - 0.0051 / 0.005) < 1e-12)
    }

    @Test("CalculiX: q̃ averages the earlier iterates' q̄, and the correction test needs c ≤ C_n·Δu or its estimate")
    func calculixIterations() {
        // Iterate 1's own q̄ (100) must not enter q̃ = (2 + 4) / 2 = 3 at iterate 2.
        var check = EquilibriumCheck(.calculixDefaults)
        check.accept(measures(largest: 1, mean: 2))
        check.accept(measures(largest: 0.5, mean: 4, correction: 1, increment: 1))
        #expect(!check.converged)
        check.accept(measures(largest: 0.0149, mean: 100, correction: 0.019, increment: 1))
        #expect(check.converged)                              // r ≤ 0.005·3, c ≤ 0.02·Δu
        var large = EquilibriumCheck(.calculixDefaults)
        large.accept(measures(largest: 1, mean: 2)); large.accept(measures(largest: 0.5, mean: 4, correction: 1, increment: 1))
        large.accept(measures(largest: 0.0149, mean: 100, correction: 0.5, increment: 1))
        // c = 0.5 > 0.02, but the next correction's estimate 0.0149·0.5 / min(1, 0.5) = 0.0149 < 0.02.
        #expect(large.converged)
        var slow = EquilibriumCheck(.calculixDefaults)
        slow.accept(measures(largest: 1, mean: 2)); slow.accept(measures(largest: 0.02, mean: 4, correction: 1, increment: 1))
        slow.accept(measures(largest: 0.0149, mean: 100, correction: 0.9, increment: 1))
        // Estimate 0.0149·0.9 / 0.02 = 0.67 > 0.02: not converged although the force test holds.
        #expect(!slow.converged && slow.ratio < 1)
    }

    @Test("CalculiX: R_p replaces R_n after I_p iterations")
    func calculixLateIterations() {
        var check = EquilibriumCheck(.calculixDefaults)
        check.accept(measures(largest: 1, mean: 1))
        for i in 1...9 { check.accept(measures(largest: 0.01, mean: 1, correction: 1, increment: 1)); #expect(!check.converged, "iteration \(i)") }
        check.accept(measures(largest: 0.01, mean: 1, correction: 0.01, increment: 1))
        #expect(check.converged && abs(check.bound - 0.02) < 1e-15)
    }

    @Test("load force: the change between iterates and the residual bound; the predictor needs ‖r‖ ≤ change·‖reactions‖")
    func loadForce() {
        var check = EquilibriumCheck(.loadForce(change: 1e-4, residual: 1e-2))
        check.accept(measures(relative: 1e-3, force: 1000))
        #expect(!check.converged)
        check.accept(measures(relative: 5e-3, force: 1000.05))
        #expect(check.converged)
        var loose = EquilibriumCheck(.loadForce(change: 1e-4, residual: 1e-2))
        loose.accept(measures(relative: 1, force: 1000)); loose.accept(measures(relative: 2e-2, force: 1000))
        #expect(!loose.converged)
        var predictor = EquilibriumCheck(.loadForce(change: 1e-4, residual: 1e-2))
        predictor.accept(measures(relative: 1e-4, force: 1000))
        #expect(predictor.converged)
    }

    @Test("an unconverged solve names the quantity its criterion measures, not always the relative residual")
    func notConvergedNamesTheMeasure() {
        let ccx = FEError.notConverged(iterations: 9, residual: 0.03, tolerance: 0.02,
                                       measure: EquilibriumCriterion.calculixDefaults.measureName)
        #expect(ccx.description.contains("(max|r_i|/q̃) 0.03") && !ccx.description.contains("relative residual"), "\(ccx)")
        let l2 = FEError.notConverged(iterations: 9, residual: 2e-3, tolerance: 1e-3,
                                      measure: EquilibriumCriterion.relativeResidual(tolerance: 1e-3).measureName)
        #expect(l2.description.contains("relative residual ‖r‖/‖reactions‖ 0.002"), "\(l2)")
    }
}
