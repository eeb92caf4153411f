// Elastic–perfectly plastic solver against closed-form plateaus of a bar under uniaxial stress.
import Foundation
import Testing
@testable import FE
import OpenBCTCore

@Suite("Nonlinear solver")
struct NonlinearSolverTests {
    /// A 3×3×6 prism (h = 1 mm) loaded along z by `delta` at the top face, bottom held in z.
    func bar(E: Float, delta: Double) -> FEModel {
        let dims = SIMD3(3, 3, 6)
        var model = SolverTestModels.block(dims, h: 1, E: E)
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        model.constraints = bottom.map { Constraint(node: $0, dof: 2, value: 0) } + top.map { Constraint(node: $0, dof: 2, value: delta) }
        model.constraints += [Constraint(node: 0, dof: 0, value: 0), Constraint(node: 0, dof: 1, value: 0),
                              Constraint(node: model.nodeIndex(dims.x, 0, 0), dof: 1, value: 0)]
        model.reactionNodeSets = ["top": top, "bottom": bottom]
        return model
    }

    @Test("principal-strain EPP: compression and tension plateaus equal E·ε_y·A, linear before yield")
    func principalStrainPlateaus() throws {
        let E = 1000.0, area = 9.0, length = 6.0, eyt = 0.006, eyc = 0.008
        for (sign, limit) in [(-1.0, eyc), (1.0, eyt)] {
            var model = bar(E: Float(E), delta: sign * 2.5 * limit * length)
            model.yieldStrain = [SIMD2<Float>](repeating: SIMD2(Float(eyt), Float(eyc)), count: model.elements.count)
            let curve = try NonlinearSolver.solve(model, options: NonlinearOptions(
                steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, sign), equilibriumTolerance: 1e-6))
            let plateau = E * limit * area
            #expect(abs(curve.strength / plateau - 1) < 1e-4, "strength \(curve.strength) N, E·ε_y·A \(plateau) N")
            #expect(abs(curve.linearStiffness / (E * area / length) - 1) < 1e-6)
            // Step 3 of 10 is at 0.75·ε_y: still elastic.
            #expect(abs(curve.points[3].force / (0.75 * plateau) - 1) < 1e-6)
            #expect(curve.points[3].yieldedElementFraction == 0)
            #expect(curve.points.last!.yieldedElementFraction == 1)
            #expect(curve.failedTissue.allSatisfy { $0 == 1 })
        }
    }

    @Test("von Mises EPP: uniaxial plateau equals σ_y·A")
    func vonMisesPlateau() throws {
        let E = 2000.0, sy = 12.0, area = 9.0, length = 6.0
        let model = bar(E: Float(E), delta: -3 * sy / E * length)
        let curve = try NonlinearSolver.solve(model, criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count)),
                                              options: NonlinearOptions(steps: 6, forceSet: "top", loadDirection: Vec3(0, 0, -1),
                                                                        equilibriumTolerance: 1e-6))
        #expect(abs(curve.strength / (sy * area) - 1) < 1e-4, "strength \(curve.strength) N")
        #expect(abs(curve.points[1].force / (0.5 * sy * area) - 1) < 1e-6)   // 0.5·ε_y: elastic
    }

    @Test("a step that does not converge is bisected, and the plateau is unchanged; beyond the bisection limit it throws")
    func bisection() throws {
        let E = 2000.0, sy = 12.0
        var model = bar(E: Float(E), delta: -3 * sy / E * 6)
        model.youngsModulus = model.elements.map { cell -> Float in model.cellCoordinates(cell).x == 0 ? 4000 : 2000 }
        let criterion = YieldCriterion.vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count))
        let reference = try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
            steps: 12, forceSet: "top", loadDirection: Vec3(0, 0, -1), equilibriumTolerance: 1e-6))
        let needed = reference.points.map(\.iterations).max()!
        // Two big steps with too few iterations allowed: only bisected steps converge.
        let split = try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
            steps: 2, forceSet: "top", loadDirection: Vec3(0, 0, -1), equilibriumTolerance: 1e-6,
            maxIterationsPerStep: needed, maxBisections: 4))
        #expect(split.points.count > 3)
        #expect(abs(split.strength / reference.strength - 1) < 1e-4)
        #expect(throws: FEError.self) {
            try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
                steps: 1, forceSet: "top", loadDirection: Vec3(0, 0, -1), equilibriumTolerance: 1e-6,
                maxIterationsPerStep: 1, maxBisections: 1))
        }
    }

    @Test("a model without yield strains is refused for the principal-strain criterion")
    func missingYield() {
        let model = bar(E: 1000, delta: -0.1)
        #expect(throws: FEError.self) {
            try NonlinearSolver.solve(model, options: NonlinearOptions(forceSet: "top", loadDirection: Vec3(0, 0, -1)))
        }
    }
}
