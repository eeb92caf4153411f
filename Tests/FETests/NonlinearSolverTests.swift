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
                steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, sign), convergence: .relativeResidual(tolerance: 1e-6)))
            let plateau = E * limit * area, stiffness = E * area / length
            #expect(abs(curve.strength / plateau - 1) < 1e-4, "strength \(curve.strength) N, E·ε_y·A \(plateau) N")
            #expect(abs(curve.linearStiffness / stiffness - 1) < 1e-6)
            // Every point below the yield displacement lies on the elastic line, every point beyond on the plateau.
            let yieldDisplacement = limit * length
            for p in curve.points.dropFirst() {
                let expected = p.displacement < yieldDisplacement ? stiffness * p.displacement : plateau
                #expect(abs(p.force / expected - 1) < 1e-4, "at \(p.displacement) mm: \(p.force) N, expected \(expected) N")
                #expect((p.yieldedElementFraction == 0) == (p.displacement < yieldDisplacement * (1 - 1e-9)))
            }
            #expect(curve.points.last!.yieldedElementFraction == 1)
            #expect(curve.failedTissue.allSatisfy { $0 == 1 })
        }
    }

    @Test("the CalculiX and load-force criteria reach the closed-form plateau of a two-modulus bar",
          arguments: [EquilibriumCriterion.calculixDefaults, .loadForce(change: 1e-4, residual: 1e-2)])
    func otherCriteria(_ convergence: EquilibriumCriterion) throws {
        let E = 1000.0, area = 9.0, length = 6.0, eyt = 0.006, eyc = 0.008
        // Two moduli across the section (3 of 9 columns twice as stiff), one yield strain: a plateau of ε_yc·Σ E·A.
        var model = bar(E: Float(E), delta: -2.5 * eyc * length)
        model.youngsModulus = model.elements.map { cell -> Float in model.cellCoordinates(cell).x == 0 ? 2000 : 1000 }
        model.yieldStrain = [SIMD2<Float>](repeating: SIMD2(Float(eyt), Float(eyc)), count: model.elements.count)
        let options = NonlinearOptions(steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: convergence)
        let curve = try NonlinearSolver.solve(model, options: options)
        var tight = options; tight.convergence = .relativeResidual(tolerance: 1e-8)
        let reference = try NonlinearSolver.solve(model, options: tight)
        let plateau = eyc * area * (2 * E + 2 * E) / 3
        #expect(abs(curve.strength / plateau - 1) < 1e-3, "\(convergence): strength \(curve.strength) N, E·ε_y·A \(plateau) N")
        #expect(abs(curve.strength / reference.strength - 1) < 1e-3)
        #expect(curve.points.dropFirst().allSatisfy { $0.relativeResidual < 0.02 })
    }

    @Test("von Mises EPP: uniaxial plateau equals σ_y·A")
    func vonMisesPlateau() throws {
        let E = 2000.0, sy = 12.0, area = 9.0, length = 6.0
        let model = bar(E: Float(E), delta: -3 * sy / E * length)
        let curve = try NonlinearSolver.solve(model, criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count)),
                                              options: NonlinearOptions(steps: 6, forceSet: "top", loadDirection: Vec3(0, 0, -1),
                                                                        convergence: .relativeResidual(tolerance: 1e-6)))
        #expect(abs(curve.strength / (sy * area) - 1) < 1e-4, "strength \(curve.strength) N")
        #expect(abs(curve.points[1].force / (0.5 * sy * area) - 1) < 1e-6)   // first increment, 0.5·ε_y: elastic
    }

    /// A 6×6×6 block, both end faces clamped in every direction, the top moved down: the whole
    /// cross-section yields at once (the end constraints make the stress triaxial near the faces).
    func clampedBox(E: Float, delta: Double) -> FEModel {
        let dims = SIMD3(6, 6, 6)
        var model = SolverTestModels.block(dims, h: 1, E: E)
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: d == 2 ? delta : 0)) } }
        model.constraints = constraints
        model.reactionNodeSets = ["top": top, "bottom": bottom]
        return model
    }

    @Test("a homogeneous box whose whole section yields at once converges, for both criteria, in few Newton iterations")
    func homogeneousBoxYieldsAtOnce() throws {
        let E: Float = 1000
        let sy = 10.0
        let vonMises = try NonlinearSolver.solve(
            clampedBox(E: E, delta: -0.2), criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: 216)),
            options: NonlinearOptions(steps: 5, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6)))
        // Side faces free: the plateau lies between σ_y·A (uniaxial stress) and the clamped-end bound.
        #expect(vonMises.points.last!.yieldedElementFraction == 1)
        #expect(vonMises.strength > sy * 36 && vonMises.strength < 1.3 * sy * 36, "plateau \(vonMises.strength) N")
        var model = clampedBox(E: E, delta: -0.2)
        model.yieldStrain = [SIMD2<Float>](repeating: SIMD2(0.0078, 0.0084), count: 216)
        let principal = try NonlinearSolver.solve(model, options: NonlinearOptions(
            steps: 5, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6)))
        // The confined end layers stay below yield while the middle layers flow (perfect plasticity
        // localises in the weakest, least confined layers).
        #expect(principal.points.last!.yieldedElementFraction >= 0.5)
        for curve in [vonMises, principal] {
            print("homogeneous box: plateau \(curve.strength) N, Newton iterations \(curve.points.map(\.iterations)), PCG \(curve.points.map(\.pcgIterations)), cut-backs \(curve.cutbacks)")
            #expect(curve.points.dropFirst().allSatisfy { $0.iterations <= 15 })
        }
    }

    @Test("an increment that does not converge is retried at half the size; below the smallest increment it throws")
    func cutBack() throws {
        let E = 2000.0, sy = 12.0
        var model = bar(E: Float(E), delta: -3 * sy / E * 6)
        model.youngsModulus = model.elements.map { cell -> Float in model.cellCoordinates(cell).x == 0 ? 4000 : 2000 }
        let criterion = YieldCriterion.vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count))
        let reference = try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
            steps: 12, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6)))
        // One big increment with a single Newton iteration allowed: only smaller increments converge.
        let split = try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
            steps: 1, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6),
            maxIterationsPerStep: 2, maxIncrement: 1, minIncrement: 1e-3))
        #expect(split.cutbacks > 0)
        // The per-increment statistics account for every cut-back and the failed attempts' iterations.
        #expect(split.points.map(\.cutbacks).reduce(0, +) == split.cutbacks)
        #expect(split.points.contains { $0.cutbacks > 0 && $0.failedIterations > 0 })
        #expect(abs(split.strength / reference.strength - 1) < 1e-4)
        #expect(throws: FEError.self) {
            try NonlinearSolver.solve(model, criterion: criterion, options: NonlinearOptions(
                steps: 1, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6),
                maxIterationsPerStep: 1, maxIncrement: 1, minIncrement: 0.4))
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
