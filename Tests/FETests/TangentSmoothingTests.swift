// The tangent's diagonal (for the multigrid's tangent-aware fine-level smoother) against the tangent
// operator itself, probed with unit vectors.
import Foundation
import Testing
@testable import FE
import OpenBCTCore

@Suite("Tangent-aware smoothing")
struct TangentSmoothingTests {
    /// A 4×3×5 block with moduli varying per element, bottom face held, top face pushed down and
    /// sheared far past yield, free DOFs perturbed so the Gauss points differ.
    func yieldedBlock() throws -> (ModelSystem, SolverVector) {
        let dims = SIMD3(4, 3, 5)
        var model = SolverTestModels.block(dims, h: 0.5, E: 1000)
        model.youngsModulus = model.elements.indices.map { Float(500 + 137 * ($0 % 7)) }
        model.yieldStrain = model.elements.indices.map { SIMD2(Float(0.004 + 0.0003 * Double($0 % 5)), 0.006) }
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { constraints += [Constraint(node: n, dof: 0, value: 0.01), Constraint(node: n, dof: 2, value: -0.04)] }
        model.constraints = constraints
        model.reactionNodeSets = ["top": top]
        let system = try ModelSystem(model)
        let u = system.prescribed(scaledBy: 1)
        var seed: UInt64 = 12345
        for i in 0..<u.count where system.free[i] != 0 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            u[i] = 0.004 * (Double(seed >> 11) / Double(1 << 53) - 0.5)
        }
        return (system, u)
    }

    @Test("diag(K_T) equals e_iᵀ·K_T·e_i at every free DOF, for the consistent and symmetric principal-strain and the von Mises tangents")
    func diagonalMatchesOperator() throws {
        let (system, u) = try yieldedBlock()
        let criteria: [(YieldCriterion, Bool)] = [(.principalStrain, true), (.principalStrain, false),
                                                  (.vonMises(yieldStress: [Float](repeating: 4, count: system.model.elements.count)), true)]
        for (criterion, consistent) in criteria {
            let force = try InternalForce(system: system, criterion: criterion)
            let tangent = TangentStiffness(system: system, gradients: force.gradients)
            let yielding = force.evaluate(u, into: system.op.makeVector(), state: PlasticState(elementCount: system.model.elements.count),
                                          commit: false, tangent: tangent, residual: 1e-2, consistent: consistent).yielding
            let plastic = tangent.slabs.reduce(0) { $0 + $1.elements.count }
            #expect(yielding > 0 && plastic > 0 && plastic < system.model.elements.count, "\(plastic) plastic elements")
            let diagonal = system.op.makeVector()
            tangent.diagonal(elastic: system.op.diagonal(), into: diagonal)
            let unit = system.op.makeVector(), column = system.op.makeVector()
            var worst = 0.0
            for i in 0..<u.count {
                guard system.free[i] != 0 else { #expect(diagonal[i] == 0); continue }
                unit.fill(0); unit[i] = 1
                tangent.apply(unit, into: column)
                worst = max(worst, abs(diagonal[i] - column[i]) / abs(column[i]))
            }
            #expect(worst < 1e-6, "largest relative difference \(worst)")
        }
    }

    @Test("smoothing with the tangent leaves the converged curve unchanged within the equilibrium tolerance")
    func sameCurve() throws {
        var model = SolverTestModels.block(SIMD3(8, 8, 16), h: 1, E: 1000)
        model.youngsModulus = model.elements.indices.map { Float(600 + 90 * ($0 % 9)) }
        model.yieldStrain = model.elements.indices.map { _ in SIMD2(0.006, 0.008) }
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: 16)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: d == 2 ? -0.16 : 0)) } }
        model.constraints = constraints
        // A multigrid hierarchy, not only the direct coarsest solve: there is a fine level to smooth.
        #expect(try PreconditionedSystem(system: ModelSystem(model), preconditioner: .multigrid).levelCount > 1)
        model.reactionNodeSets = ["top": top]
        for kind in NonlinearOptions.Tangent.allCases {
            var options = NonlinearOptions(steps: 8, forceSet: "top", loadDirection: Vec3(0, 0, -1), tangent: kind)
            options.tangentSmoothing = false
            let elastic = try NonlinearSolver.solve(model, options: options)
            options.tangentSmoothing = true
            let tangent = try NonlinearSolver.solve(model, options: options)
            #expect(elastic.points.last!.yieldedElementFraction > 0.3)
            #expect(abs(tangent.strength / elastic.strength - 1) < 2e-3, "\(kind): \(tangent.strength) N vs \(elastic.strength) N")
            let krylov = { (c: ForceDisplacementCurve) in c.points.reduce(0) { $0 + $1.pcgIterations } }
            print("tangent smoothing, \(kind) tangent: Krylov \(krylov(elastic)) → \(krylov(tangent)), cut-backs \(elastic.cutbacks) → \(tangent.cutbacks)")
        }
    }

    @Test("the single-precision tangent product of the smoother equals the double-precision one at the free DOFs")
    func singlePrecisionProduct() throws {
        let (system, u) = try yieldedBlock()
        let force = try InternalForce(system: system, criterion: .principalStrain)
        let tangent = TangentStiffness(system: system, gradients: force.gradients)
        _ = force.evaluate(u, into: system.op.makeVector(), state: PlasticState(elementCount: system.model.elements.count),
                           commit: false, tangent: tangent, residual: 1e-2, consistent: true)
        #expect(tangent.slabs.contains { !$0.elements.isEmpty })
        let x = system.op.makeVector(), y = system.op.makeVector()
        var seed: UInt64 = 777
        for i in 0..<x.count where system.free[i] != 0 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            x[i] = Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        tangent.apply(x, into: y)
        let xf = system.op.makeFloatVector(), yf = system.op.makeFloatVector()
        xf.assign(x)
        tangent.apply(xf, into: yf)
        var difference = 0.0, norm = 0.0
        for i in 0..<x.count where system.free[i] != 0 {
            difference += (Double(yf[i]) - y[i]) * (Double(yf[i]) - y[i]); norm += y[i] * y[i]
        }
        #expect((difference / norm).squareRoot() < 1e-5, "relative difference \((difference / norm).squareRoot())")
    }

    @Test("a block whose whole section yields converges with tangent smoothing to the elastic-smoother curve")
    func wholeSectionYields() throws {
        // 12×12×24, moduli ±35 % around 1000 MPa, one yield strain, both ends clamped, compressed to 1.5 %
        // strain: every cross-section reaches the plateau together.
        let model = SolverTestModels.compressedBlock(SIMD3(12, 12, 24), lowest: 650, spread: 700, strain: 0.015)
        var options = NonlinearOptions(steps: 8, forceSet: "top", loadDirection: Vec3(0, 0, -1), tangent: .consistent)
        options.tangentSmoothing = false
        let elastic = try NonlinearSolver.solve(model, options: options)
        options.tangentSmoothing = true
        let tangent = try NonlinearSolver.solve(model, options: options)
        print("whole section yields: elastic smoother \(elastic.strength) N, \(elastic.cutbacks) cut-backs; tangent smoothing \(tangent.strength) N, \(tangent.cutbacks) cut-backs")
        #expect(elastic.points.last!.yieldedElementFraction > 0.75 && tangent.points.last!.yieldedElementFraction > 0.75)
        #expect(abs(tangent.strength / elastic.strength - 1) < 2e-3, "\(tangent.strength) N vs \(elastic.strength) N")
    }
}
