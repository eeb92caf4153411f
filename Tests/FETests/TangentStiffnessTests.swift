// The matrix-free tangent stiffness against the derivative of the internal force it linearises.
import Testing
@testable import FE
import OpenBCTCore

@Suite("Tangent stiffness")
struct TangentStiffnessTests {
    /// Deterministic pseudo-random values in [−1, 1).
    struct Noise {
        var seed: UInt64
        mutating func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 52) - 1
        }
    }

    /// A 4×3×3 block of graded moduli, bottom face held, with yield strains of 0.4 % / 0.6 % — except every
    /// third element, which stays elastic (so the tangent sweep mixes both kinds of element).
    func model() -> FEModel {
        var model = SolverTestModels.block(SIMD3(4, 3, 3), h: 1.5)
        model.youngsModulus = model.elements.indices.map { Float(800 + 150 * ($0 % 5)) }
        model.yieldStrain = model.elements.indices.map { $0 % 3 == 0 ? SIMD2(1, 1) : SIMD2(0.004, 0.006) }
        model.constraints = SolverTestModels.face(model, axis: 2, layer: 0).flatMap { n in
            (0..<3).map { Constraint(node: n, dof: UInt8($0), value: 0) }
        }
        return model
    }

    func randomVector(_ system: ModelSystem, scale: Double, noise: inout Noise) -> SolverVector {
        let v = system.op.makeVector()
        for i in 0..<v.count where system.free[i] != 0 { v[i] = scale * noise.next() }
        return v
    }

    /// K_T·x against (f(u + εx) − f(u − εx))/2ε at a state with yielded and elastic points and a committed
    /// plastic strain. Without the stiffness floor the consistent tangent is the exact derivative
    /// wherever no point changes state within ±εx; its moduli are stored in single precision.
    func checkDerivative(_ criterion: YieldCriterion, consistent: Bool = true) throws {
        let system = try ModelSystem(model())
        let force = try InternalForce(system: system, criterion: criterion)
        let state = PlasticState(elementCount: system.model.elements.count)
        var noise = Noise(seed: 7)
        let f = system.op.makeVector()
        force.evaluate(randomVector(system, scale: 0.012, noise: &noise), into: f, state: state, commit: true)
        #expect(state.yieldedElementCount > 0)
        let u = randomVector(system, scale: 0.012, noise: &noise), x = randomVector(system, scale: 1, noise: &noise)
        let tangent = TangentStiffness(system: system, gradients: force.gradients)
        let yielding = force.evaluate(u, into: f, state: state, commit: false, tangent: tangent, residual: 0, consistent: consistent).yielding
        let plastic = tangent.slabs.reduce(0) { $0 + $1.elements.count }
        #expect(yielding > 20 && yielding < 8 * system.model.elements.count, "yielding points \(yielding)")
        #expect(plastic > 0 && plastic < system.model.elements.count, "plastic elements \(plastic)")
        let y = system.op.makeVector()
        tangent.apply(x, into: y)

        let eps = 1e-7, up = system.op.makeVector(), fPlus = system.op.makeVector(), fMinus = system.op.makeVector()
        up.assign(u, plus: eps, times: x)
        force.evaluate(up, into: fPlus, state: state, commit: false)
        up.assign(u, plus: -eps, times: x)
        force.evaluate(up, into: fMinus, state: state, commit: false)
        var error = 0.0, norm = 0.0
        for i in 0..<y.count where system.free[i] != 0 {
            let derivative = (fPlus[i] - fMinus[i]) / (2 * eps)
            error += (derivative - y[i]) * (derivative - y[i]); norm += y[i] * y[i]
        }
        print("tangent vs central difference: relative difference \((error / norm).squareRoot()), \(plastic) plastic elements, \(yielding) yielding points")
        #expect((error / norm).squareRoot() < 1e-6, "relative difference \((error / norm).squareRoot())")
    }

    @Test("the consistent principal-strain tangent is the derivative of the internal force")
    func principalStrainDerivative() throws { try checkDerivative(.principalStrain) }

    @Test("the von Mises tangent is the derivative of the internal force")
    func vonMisesDerivative() throws {
        let model = model()
        try checkDerivative(.vonMises(yieldStress: model.elements.indices.map { model.youngsModulus[$0] * model.yieldStrain![$0].y }))
    }
}
