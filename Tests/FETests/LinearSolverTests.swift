// Linear solver against closed-form solutions: element properties, patch test, bar, cantilever.
import Foundation
import Testing
@testable import FE
import OpenBCTCore

@Suite("Linear solver")
struct LinearSolverTests {
    @Test("unit hex stiffness is symmetric PSD with exactly six rigid-body modes")
    func elementStiffness() {
        let k = HexElement.unitStiffness(nu: 0.3)
        var asym = 0.0
        for i in 0..<24 { for j in 0..<24 { asym = max(asym, abs(k[i * 24 + j] - k[j * 24 + i])) } }
        #expect(asym < 1e-14)
        let ev = SolverTestModels.eigenvalues(k, n: 24)
        let scale = ev.last!
        #expect(ev.prefix(6).allSatisfy { abs($0) < 1e-12 * scale })
        #expect(ev[6] > 1e-3 * scale)
        // Cube symmetry makes every diagonal entry equal (the operator's diagonal relies on it).
        #expect((0..<24).allSatisfy { abs(k[$0 * 25] - k[0]) < 1e-14 })
    }

    @Test("patch test: a linear displacement field on the boundary is reproduced exactly inside")
    func patchTest() throws {
        var model = SolverTestModels.block(SIMD3(4, 3, 5), h: 0.7, E: 1234)
        let a = Matrix3(rows: Vec3(1e-3, 2e-4, -3e-4), Vec3(-1e-4, 5e-4, 2e-4), Vec3(3e-4, 1e-4, -8e-4))
        let nd = model.nodeDims
        func exact(_ n: Int32) -> Vec3 { a * model.nodePosition(n) }
        for k in 0..<nd.z { for j in 0..<nd.y { for i in 0..<nd.x
            where i == 0 || j == 0 || k == 0 || i == nd.x - 1 || j == nd.y - 1 || k == nd.z - 1 {
            let n = model.nodeIndex(i, j, k), u = exact(n)
            for d in 0..<3 { model.constraints.append(Constraint(node: n, dof: UInt8(d), value: u[d])) }
        } } }
        for p in Preconditioner.allCases {
            let s = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-12, preconditioner: p))
            var err = 0.0
            for (idx, n) in s.nodes.enumerated() {
                let u = exact(n)
                for d in 0..<3 { err = max(err, abs(s.displacement[3 * idx + d] - u[d])) }
            }
            #expect(err < 1e-12, "\(p): max error \(err) mm")
        }
    }

    /// A prism under uniaxial stress: bottom face held in z, one corner line held against rigid motion.
    func bar(_ dims: SIMD3<Int>, h: Double, E: Float, delta: Double) -> FEModel {
        var model = SolverTestModels.block(dims, h: h, E: E)
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        model.constraints = bottom.map { Constraint(node: $0, dof: 2, value: 0) } + top.map { Constraint(node: $0, dof: 2, value: delta) }
        // Remove rigid x/y translation and rotation about z without restraining lateral contraction.
        model.constraints += [Constraint(node: model.nodeIndex(0, 0, 0), dof: 0, value: 0),
                              Constraint(node: model.nodeIndex(0, 0, 0), dof: 1, value: 0),
                              Constraint(node: model.nodeIndex(dims.x, 0, 0), dof: 1, value: 0)]
        model.reactionNodeSets = ["top": top, "bottom": bottom]
        return model
    }

    @Test("bar stiffness equals E·A/L")
    func barStiffness() throws {
        let dims = SIMD3(3, 2, 10), h = 1.5, E: Float = 2500, delta = -0.05
        let s = try LinearSolver.solve(bar(dims, h: h, E: E, delta: delta))
        let area = Double(dims.x * dims.y) * h * h, length = Double(dims.z) * h
        let expected = Double(E) * area / length * delta
        let top = try #require(s.reactionTotals["top"]), bottom = try #require(s.reactionTotals["bottom"])
        #expect(abs(top.z / expected - 1) < 1e-8, "F = \(top.z) N, E·A·δ/L = \(expected) N")
        #expect(abs(top.z + bottom.z) < 1e-8 * abs(expected))   // equilibrium
        #expect(s.converged && s.relativeResidual <= 1e-6)
    }

    /// Tip stiffness of a clamped square cantilever (depth d, length 20 d) with `n` cubes through the
    /// depth; the tip face is moved uniformly in z and free to rotate.
    func cantileverStiffness(n: Int) throws -> (fe: Double, timoshenko: Double, iterations: Int, levels: Int) {
        let d = 2.0, length = 20 * d, h = d / Double(n), E = 1000.0, nu = 0.3
        let dims = SIMD3(20 * n, n, n)
        var model = SolverTestModels.block(dims, h: h, E: Float(E), nu: nu)
        let root = SolverTestModels.face(model, axis: 0, layer: 0), tip = SolverTestModels.face(model, axis: 0, layer: dims.x)
        let delta = -0.1
        model.constraints = root.flatMap { n in (0..<3).map { Constraint(node: n, dof: UInt8($0), value: 0) } }
            + tip.map { Constraint(node: $0, dof: 2, value: delta) }
        model.reactionNodeSets = ["tip": tip]
        let s = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-8))
        let inertia = d * d * d * d / 12, shearModulus = E / (2 * (1 + nu)), kappa = 10 * (1 + nu) / (12 + 11 * nu)
        let compliance = length * length * length / (3 * E * inertia) + length / (kappa * shearModulus * d * d)
        return (s.reactionTotals["tip"]!.z / delta, 1 / compliance, s.iterations, s.levels)
    }

    @Test("cantilever tip stiffness converges to Timoshenko beam theory within 1 % (refined, extrapolated)")
    func cantilever() throws {
        let runs = try [2, 4, 8].map { try cantileverStiffness(n: $0) }
        let errors = runs.map { $0.fe / $0.timoshenko - 1 }
        print("cantilever FE/Timoshenko − 1 at 2, 4, 8 cubes through depth: \(errors); PCG iterations \(runs.map(\.iterations)), levels \(runs.map(\.levels))")
        // Fully integrated hex8 is too stiff in bending (parasitic shear); the error falls as h².
        #expect(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] > 0)
        let order = log2((errors[0] - errors[1]) / (errors[1] - errors[2]))
        #expect(abs(order - 2) < 0.3, "observed order \(order)")
        #expect(errors[2] < 0.015)
        // Richardson extrapolation of the two finest meshes (order 2) removes the discretisation error.
        let extrapolated = runs[2].fe + (runs[2].fe - runs[1].fe) / 3
        #expect(abs(extrapolated / runs[2].timoshenko - 1) < 0.01, "extrapolated \(extrapolated / runs[2].timoshenko - 1)")
    }

    @Test("multigrid and Jacobi PCG give the same answer on a heterogeneous model")
    func multigridMatchesJacobi() throws {
        var model = bar(SIMD3(9, 7, 12), h: 1, E: 1, delta: -0.1)
        var seed: UInt64 = 42
        model.youngsModulus = model.youngsModulus.map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(pow(10, 1 + 3 * Double(seed >> 11) / Double(1 << 53)))   // 10 … 10⁴ MPa
        }
        let mg = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-10, preconditioner: .multigrid))
        let jac = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-10, preconditioner: .jacobi))
        let fm = mg.reactionTotals["top"]!.z, fj = jac.reactionTotals["top"]!.z
        #expect(abs(fm / fj - 1) < 1e-8)
        let du = zip(mg.displacement, jac.displacement).map { abs($0 - $1) }.max()!
        #expect(du < 1e-8)
        #expect(mg.iterations < jac.iterations)
        print("heterogeneous bar: multigrid \(mg.iterations) it (\(mg.levels) levels), Jacobi \(jac.iterations) it")
    }

    @Test("multigrid PCG iterations stay nearly flat when a bone-like model grows 8×")
    func multigridScaling() throws {
        let small = try LinearSolver.solve(FEModel.syntheticBone(targetElements: 1_200))
        let large = try LinearSolver.solve(FEModel.syntheticBone(targetElements: 9_600))
        print("synthetic bone: multigrid \(small.iterations) → \(large.iterations) iterations (\(small.levels) → \(large.levels) levels)")
        #expect(large.iterations <= small.iterations + 8)
        #expect(large.iterations < 40)
    }

    @Test("an unconverged solve throws instead of returning a number")
    func unconvergedThrows() {
        let model = bar(SIMD3(6, 6, 20), h: 1, E: 100, delta: 0.1)
        #expect(throws: FEError.self) {
            try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-10, maxIterations: 3, preconditioner: .jacobi))
        }
    }

    @Test("a floating island held by no constraint neither crashes nor spoils the answer")
    func floatingIsland() throws {
        let held = bar(SIMD3(3, 3, 6), h: 1, E: 500, delta: -0.03)
        var model = held
        model.dims = SIMD3(6, 3, 6)   // widen the lattice: one detached cube at i = 5
        model.elements = held.elements.map { c in let p = held.cellCoordinates(c); return model.cellIndex(p.x, p.y, p.z) }
        model.elements = (model.elements + [model.cellIndex(5, 1, 3)]).sorted()   // uniform modulus: order is free
        model.youngsModulus.append(500); model.materialID.append(0)
        func relabel(_ n: Int32) -> Int32 { let p = held.nodeCoordinates(n); return model.nodeIndex(p.x, p.y, p.z) }
        model.constraints = held.constraints.map { Constraint(node: relabel($0.node), dof: $0.dof, value: $0.value) }
        model.reactionNodeSets = held.reactionNodeSets.mapValues { $0.map(relabel) }
        let reference = try LinearSolver.solve(held).reactionTotals["top"]!.z
        for p in Preconditioner.allCases {
            do {
                let s = try LinearSolver.solve(model, options: SolverOptions(preconditioner: p))
                #expect(abs(s.reactionTotals["top"]!.z / reference - 1) < 1e-5, "\(p)")
            } catch let error as FEError {
                // Refusing is also acceptable — returning a wrong number is not.
                print("floating island, \(p): \(error)")
            }
        }
    }

    @Test("bad models are refused with a specific error")
    func invalidModels() {
        var model = SolverTestModels.block(SIMD3(2, 2, 2))
        #expect(throws: FEError.self) { try LinearSolver.solve(model) }          // no constraints
        model.constraints = [Constraint(node: 999, dof: 0, value: 0)]
        #expect(throws: InputError.self) { try LinearSolver.solve(model) }      // node outside the lattice
        model.constraints = [Constraint(node: 0, dof: 0, value: 0)]
        model.youngsModulus[3] = .nan
        #expect(throws: InputError.self) { try LinearSolver.solve(model) }
    }
}
