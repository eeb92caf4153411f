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
        let (values, vectors) = t.eigenDecomposition
        let back = SymmetricTensor.fromSpectral(values, vectors)
        #expect(abs(values.x - a) < 1e-14 && abs(values.y - b) < 1e-14 && abs(values.z - c) < 1e-14)
        #expect(abs(back.xy - t.xy) < 1e-12 && abs(back.zz - t.zz) < 1e-12)
    }

    @Test("eigen-decomposition: A·n = λ·n and orthonormal directions, also for equal and nearly equal values",
          arguments: [SIMD3(3.0, 1.0, -2.0), SIMD3(2.0, 2.0, -1.0), SIMD3(1.0, -1.0, -1.0), SIMD3(1.0, 1.0 + 1e-10, -3.0),
                      SIMD3(5e-3, 5e-3 - 1e-13, 5e-3 - 2e-13), SIMD3(0.7, 0.7, 0.7), SIMD3(0.0, 0.0, 0.0), SIMD3(4e-3, 0.0, -4e-3)])
    func eigenDecomposition(spectrum: SIMD3<Double>) {
        func largest(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }
        // A = R·diag(λ)·Rᵀ for a fixed rotation R (axis (1, 2, 3), angle 0.7) and for the identity.
        let axis = SIMD3(1.0, 2.0, 3.0) / 14.0.squareRoot(), angle = 0.7
        func rotate(_ v: SIMD3<Double>) -> SIMD3<Double> {   // Rodrigues
            let k = axis, c = cos(angle), s = sin(angle)
            let kxv = SIMD3(k.y * v.z - k.z * v.y, k.z * v.x - k.x * v.z, k.x * v.y - k.y * v.x)
            return v * c + kxv * s + k * ((k * v).sum() * (1 - c))
        }
        for rotated in [true, false] {
            let columns = [SIMD3(1.0, 0, 0), SIMD3(0, 1.0, 0), SIMD3(0, 0, 1.0)].map { rotated ? rotate($0) : $0 }
            let t = SymmetricTensor.fromSpectral(spectrum, (columns[0], columns[1], columns[2]))
            let (values, n) = t.eigenDecomposition
            let expected = [spectrum.x, spectrum.y, spectrum.z].sorted(by: >)
            let scale = max(1e-300, spectrum.max() - spectrum.min(), largest(spectrum))
            #expect(abs(values.x - expected[0]) < 1e-12 * scale && abs(values.y - expected[1]) < 1e-12 * scale
                    && abs(values.z - expected[2]) < 1e-12 * scale, "\(values) vs \(expected)")
            for (lambda, v) in [(values.x, n.0), (values.y, n.1), (values.z, n.2)] {
                let av = SIMD3(t.xx * v.x + t.xy * v.y + t.xz * v.z, t.xy * v.x + t.yy * v.y + t.yz * v.z,
                               t.xz * v.x + t.yz * v.y + t.zz * v.z)
                #expect(largest(av - lambda * v) < 1e-12 * scale, "A·n − λ·n for λ = \(lambda)")
            }
            let gram = [(n.0 * n.0).sum() - 1, (n.1 * n.1).sum() - 1, (n.2 * n.2).sum() - 1,
                        (n.0 * n.1).sum(), (n.0 * n.2).sum(), (n.1 * n.2).sum()]
            #expect(gram.allSatisfy { abs($0) < 1e-13 }, "NᵀN − I = \(gram)")
        }
    }
}
