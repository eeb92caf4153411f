// The increment rules against their definitions, and the cost-aware rule on a closed-form plateau.
import Testing
@testable import FE
import OpenBCTCore

@Suite("Newton increment control")
struct IncrementControlTests {
    func controller(_ control: IncrementControl) -> IncrementController {
        IncrementController(control: control, maxIncrement: 0.25, minIncrement: 1e-3)
    }

    @Test("Newton-count rule: ≤ 4 iterations grow 1.5×, ≥ 10 shrink 0.7×, otherwise hold; within the bounds")
    func newtonCount() {
        var c = controller(.newtonCount)
        #expect(c.next(after: 0.1, newton: 4, cost: 1_000) == 0.1 * 1.5)
        #expect(c.next(after: 0.1, newton: 5, cost: 1) == 0.1)
        #expect(c.next(after: 0.1, newton: 9, cost: 1) == 0.1)
        #expect(abs(c.next(after: 0.1, newton: 10, cost: 1) - 0.07) < 1e-15)
        #expect(c.next(after: 0.2, newton: 0, cost: 0) == 0.25)
        #expect(c.next(after: 0.0012, newton: 12, cost: 1) == 1e-3)
    }

    @Test("cost-aware rule: a grown step that costs more per unit load returns to the step before and holds")
    func costAwareReturn() {
        var c = controller(.costAware(tolerance: 1, hold: 2))
        // 0.1 at 100 per 0.1 (1,000 per unit); grown to 0.15 (4 Newton) at 300: 2,000 per unit → back to 0.1.
        #expect(c.next(after: 0.1, newton: 4, cost: 100) == 1.5 * 0.1)
        #expect(c.next(after: 0.15, newton: 7, cost: 300) == 0.1)
        // Two increments held: few iterations do not grow the step.
        #expect(c.next(after: 0.1, newton: 3, cost: 100) == 0.1)
        #expect(c.next(after: 0.1, newton: 3, cost: 100) == 0.1)
        // Hold over: growth again; many iterations still shrink.
        #expect(c.next(after: 0.1, newton: 3, cost: 100) == 1.5 * 0.1)
        var d = controller(.costAware(tolerance: 1, hold: 2))
        _ = d.next(after: 0.1, newton: 4, cost: 100)
        #expect(abs(d.next(after: 0.1, newton: 10, cost: 100) - 0.07) < 1e-15)
    }

    @Test("cost-aware rule: a grown step that is cheaper per unit load, or a step that was not grown, follows the Newton count")
    func costAwareKeeps() {
        var c = controller(.costAware(tolerance: 1, hold: 2))
        _ = c.next(after: 0.1, newton: 4, cost: 100)
        // Grown to 0.15 at 140 (933 per unit, cheaper than 1,000): grows on.
        #expect(c.next(after: 0.15, newton: 4, cost: 140) == 1.5 * 0.15)
        // Not grown (a cut-back halved it): a dearer rate alone does not shrink it.
        #expect(c.next(after: 0.1125, newton: 6, cost: 500) == 0.1125)
        // With a tolerance of 2, a grown step 1.5× dearer per unit is kept.
        var d = controller(.costAware(tolerance: 2, hold: 2))
        _ = d.next(after: 0.1, newton: 4, cost: 100)
        #expect(d.next(after: 0.15, newton: 6, cost: 225) == 0.15)
    }

    @Test("the cost-aware rule reaches the closed-form plateau of a two-modulus bar as the Newton-count rule does")
    func costAwarePlateau() throws {
        let E = 1000.0, area = 9.0, length = 6.0, eyt = 0.006, eyc = 0.008
        var model = SolverTestModels.block(SIMD3(3, 3, 6), h: 1, E: Float(E))
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: 6)
        model.constraints = bottom.map { Constraint(node: $0, dof: 2, value: 0) } + top.map { Constraint(node: $0, dof: 2, value: -2.5 * eyc * length) }
        model.constraints += [Constraint(node: 0, dof: 0, value: 0), Constraint(node: 0, dof: 1, value: 0),
                              Constraint(node: model.nodeIndex(3, 0, 0), dof: 1, value: 0)]
        model.reactionNodeSets = ["top": top, "bottom": bottom]
        model.youngsModulus = model.elements.map { cell -> Float in model.cellCoordinates(cell).x == 0 ? 2000 : 1000 }
        model.yieldStrain = [SIMD2<Float>](repeating: SIMD2(Float(eyt), Float(eyc)), count: model.elements.count)
        var options = NonlinearOptions(steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, -1))
        options.incrementControl = .costAwareDefault
        let curve = try NonlinearSolver.solve(model, options: options)
        let plateau = eyc * area * (2 * E + 2 * E) / 3
        #expect(abs(curve.strength / plateau - 1) < 1e-3, "strength \(curve.strength) N, ε_y·Σ E·A \(plateau) N")
        #expect(curve.points.last!.factor == 1)
    }
}
