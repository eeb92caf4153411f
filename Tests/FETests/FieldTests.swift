// Element fields and linear failure criteria against closed-form uniaxial values and energy balance.
import Foundation
import Testing
@testable import FE
import OpenBCTCore

@Suite("Element fields and failure criteria")
struct FieldTests {
    /// A prism in uniaxial compression (see LinearSolverTests.bar).
    func compressedBar(E: Float = 2000, delta: Double = -0.02) -> FEModel {
        let dims = SIMD3(3, 3, 8)
        var model = SolverTestModels.block(dims, h: 1, E: E)
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        model.constraints = bottom.map { Constraint(node: $0, dof: 2, value: 0) } + top.map { Constraint(node: $0, dof: 2, value: delta) }
        model.constraints += [Constraint(node: 0, dof: 0, value: 0), Constraint(node: 0, dof: 1, value: 0),
                              Constraint(node: model.nodeIndex(dims.x, 0, 0), dof: 1, value: 0)]
        model.reactionNodeSets = ["top": top]
        return model
    }

    @Test("uniaxial strain, stress, SED and von Mises match closed form; Pistoia and Schileo scale correctly")
    func uniaxial() throws {
        let E = 2000.0, delta = -0.02, length = 8.0, nu = 0.3
        let model = compressedBar(E: Float(E), delta: delta)
        let s = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-12))
        let f = ElementFields.compute(model: model, solution: s)
        let eps = delta / length
        for e in model.elements.indices {
            #expect(abs(f.strain[6 * e + 2] - eps) < 1e-10)
            #expect(abs(f.strain[6 * e] + nu * eps) < 1e-10)
            #expect(abs(f.stress[6 * e + 2] - E * eps) < 1e-7)
            #expect(abs(f.stress[6 * e]) < 1e-7)
            #expect(abs(f.strainEnergyDensity[e] - 0.5 * E * eps * eps) < 1e-10)
            #expect(abs(f.vonMises[e] - E * abs(eps)) < 1e-7)
        }
        let force = s.reactionTotals["top"]!.z
        let pistoia = try Pistoia.failureLoad(model: model, fields: f, reactionForce: force)
        #expect(abs(pistoia.criticalEffectiveStrain - abs(eps)) < 1e-10)
        #expect(abs(pistoia.failureLoad - abs(force) * 0.007 / abs(eps)) < 1e-6 * abs(force))
        let schileo = try Schileo.failureLoad(model: model, fields: f, reactionForce: force, skipNodesTouchingPMMA: false)
        #expect(!schileo.tensile)
        #expect(abs(schileo.maximumRiskFactor - abs(eps) / 0.0104) < 1e-9)
        #expect(abs(schileo.failureLoad - abs(force) * 0.0104 / abs(eps)) < 1e-6 * abs(force))
    }

    @Test("strain energy summed over elements equals the work of the reaction forces")
    func energyBalance() throws {
        var model = compressedBar()
        var seed: UInt64 = 7
        model.youngsModulus = model.youngsModulus.map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(100 + 5000 * Double(seed >> 11) / Double(1 << 53))
        }
        let s = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-12))
        let f = ElementFields.compute(model: model, solution: s)
        let energy = f.strainEnergyDensity.reduce(0, +) * pow(model.voxelSize, 3)
        let work = 0.5 * s.reactionTotals["top"]!.z * (-0.02)
        #expect(abs(energy / work - 1) < 1e-9, "energy \(energy) work \(work)")
    }

    @Test("principal values: closed form agrees with the Jacobi decomposition")
    func principalValues() {
        let t = SymmetricTensor(xx: 0.3, yy: -0.2, zz: 0.05, yz: 0.11, xz: -0.07, xy: 0.2)
        let (a, b, c) = t.principalValues
        let j = t.eigenDecomposition.values
        let sorted = [j.x, j.y, j.z].sorted(by: >)
        #expect(abs(a - sorted[0]) < 1e-12 && abs(b - sorted[1]) < 1e-12 && abs(c - sorted[2]) < 1e-12)
        let back = SymmetricTensor.fromSpectral(j, t.eigenDecomposition.vectors)
        #expect(abs(back.xy - t.xy) < 1e-12 && abs(back.zz - t.zz) < 1e-12)
    }
}
