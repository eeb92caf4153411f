// The Newton iteration's evaluations write their plastic return into the state and are undone from a backup
// (PlasticStateBackup), so that the converged iterate's evaluation is its commit: the undo must restore the
// committed state exactly, and a kept evaluation must leave the state a separate commit pass would.
import Testing
@testable import FE
import OpenBCTCore

@Suite("Plastic state backup")
struct PlasticStateBackupTests {
    /// A 4×3×3 block of graded moduli, bottom face held, yield strains 0.4 % / 0.6 % (every third element elastic).
    func system() throws -> ModelSystem {
        var model = SolverTestModels.block(SIMD3(4, 3, 3), h: 1.5)
        model.youngsModulus = model.elements.indices.map { Float(800 + 150 * ($0 % 5)) }
        model.yieldStrain = model.elements.indices.map { $0 % 3 == 0 ? SIMD2(1, 1) : SIMD2(0.004, 0.006) }
        model.constraints = SolverTestModels.face(model, axis: 2, layer: 0).flatMap { n in
            (0..<3).map { Constraint(node: n, dof: UInt8($0), value: 0) }
        }
        return try ModelSystem(model)
    }

    /// Displacements growing along the block's height by `strain` with a deterministic pseudo-random part.
    func displacement(_ system: ModelSystem, strain: Double, seed: UInt64) -> SolverVector {
        let v = system.op.makeVector()
        var state = seed
        for i in 0..<v.count where system.free[i] != 0 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            v[i] = strain * (Double(state >> 11) / Double(1 << 53) - 0.5) * 4
        }
        return v
    }

    func same(_ a: PlasticState, _ b: PlasticState) -> Bool {
        (0..<48 * a.elementCount).allSatisfy { a.plastic[$0].bitPattern == b.plastic[$0].bitPattern }
            && (0..<a.elementCount).allSatisfy { a.yielded[$0] == b.yielded[$0] }
    }

    @Test("an evaluation's writes are undone exactly, and a kept one equals a separate commit pass")
    func undoAndKeep() throws {
        let system = try system()
        let force = try InternalForce(system: system, criterion: .principalStrain)
        let n = system.model.elements.count
        let iterated = PlasticState(elementCount: n), reference = PlasticState(elementCount: n)
        let f = system.op.makeVector(), g = system.op.makeVector()
        // A committed state with plastic strain in it, the same in both.
        let u0 = displacement(system, strain: 0.01, seed: 1)
        force.evaluate(u0, into: f, state: iterated, commit: true)
        force.evaluate(u0, into: f, state: reference, commit: true)
        #expect(iterated.yieldedElementCount > 0 && iterated.yieldedElementCount < n)
        let backup = PlasticStateBackup(iterated)
        let tangent = TangentStiffness(system: system, gradients: force.gradients)

        // A trial evaluation that is not kept: it writes, the undo restores the committed state bit for bit.
        let u1 = displacement(system, strain: 0.014, seed: 2)
        force.evaluate(u1, into: f, state: iterated, commit: true, tangent: tangent, residual: 1e-2, consistent: true)
        #expect(!same(iterated, reference), "the trial evaluation wrote its return")
        backup.restore(iterated, elements: tangent.slabs)
        #expect(same(iterated, reference))

        // The evaluation that converges is kept: the same force and state as an evaluation followed by a commit pass.
        let u2 = displacement(system, strain: 0.016, seed: 3)
        force.evaluate(u2, into: f, state: iterated, commit: true, tangent: tangent, residual: 1e-2, consistent: true)
        backup.update(from: iterated, elements: tangent.slabs)
        force.evaluate(u2, into: g, state: reference, commit: false)
        force.evaluate(u2, into: g, state: reference, commit: true)
        #expect(same(iterated, reference))
        #expect((0..<f.count).allSatisfy { f[$0].bitPattern == g[$0].bitPattern })
        // The backup now holds that committed state: undoing the next evaluation returns to it.
        force.evaluate(u1, into: f, state: iterated, commit: true, tangent: tangent, residual: 1e-2, consistent: true)
        backup.restore(iterated, elements: tangent.slabs)
        #expect(same(iterated, reference))
    }
}
