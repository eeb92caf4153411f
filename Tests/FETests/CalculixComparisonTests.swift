// The solvers against CalculiX (ccx, SPOOLES) on identical decks written by CalculixDeck.
import Foundation
import Testing
@testable import FE
import OpenBCTCore
import TestSupport

@Suite("Solvers vs CalculiX", .enabled(if: ExternalTool.isAvailable("ccx"), "needs ccx (calculix-ccx)"))
struct CalculixComparisonTests {
    struct CcxResult: Decodable { var totals: [String: [Double]] }

    /// Writes the deck, runs ccx through Tests/Python/ccx_run.py; returns totals and element energies.
    func runCalculix(_ model: FEModel, options: CalculixDeck.Options) throws -> (CcxResult, [Double]) {
        let dir = try TestPaths.temporaryDirectory("fe-ccx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let deck = dir.appendingPathComponent("model.inp"), energy = dir.appendingPathComponent("else.f64")
        try CalculixDeck.write(model, to: deck, options: options)
        let out = try ExternalTool.python("ccx_run.py", [deck.path, energy.path])
        let result = try JSONDecoder().decode(CcxResult.self, from: Data(out.utf8))
        let bytes = (try? Data(contentsOf: energy)) ?? Data()
        let energies = bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        return (result, energies)
    }

    @Test("linear: synthetic bone with PMMA caps (moduli over four decades) — reaction and SED match CalculiX")
    func linearSyntheticBone() throws {
        let model = FEModel.syntheticBone(targetElements: 2500, seed: 3)
        let ours = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: 1e-9))
        let (ccx, energies) = try runCalculix(model, options: CalculixDeck.Options())
        let theirs = try #require(ccx.totals[CalculixDeck.setName("top")])
        let f = ours.reactionTotals["top"]!
        print("synthetic bone \(model.elements.count) elements: ours Fz \(f.z) N, CalculiX \(theirs[2]) N")
        #expect(abs(f.z / theirs[2] - 1) < 0.005)
        #expect(abs(f.z / theirs[2] - 1) < 1e-5)          // same element, same deck: far tighter in practice
        let fields = ElementFields.compute(model: model, solution: ours)
        try #require(energies.count == model.elements.count)
        let volume = pow(model.voxelSize, 3)
        var worst = 0.0
        for e in model.elements.indices where energies[e] / volume > 1e-3 * fields.strainEnergyDensity.max()! {
            worst = max(worst, abs(fields.strainEnergyDensity[e] / (energies[e] / volume) - 1))
        }
        #expect(worst < 1e-4, "largest relative SED difference \(worst)")
    }

    @Test("von Mises elastic–perfectly plastic: plateau force matches CalculiX *PLASTIC within 2 %")
    func vonMisesPlateau() throws {
        // A 4×4×8 block of two materials, clamped at both ends (triaxial stress near the ends),
        // compressed to 4× the uniaxial yield displacement.
        let dims = SIMD3(4, 4, 8), sy = 20.0
        var model = SolverTestModels.block(dims, h: 1, E: 1000)
        let moduli: [Float] = model.elements.map { cell -> Float in model.cellCoordinates(cell).x < 2 ? 1000 : 3000 }
        model.youngsModulus = moduli
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        let delta: Double = -4 * sy / 1000 * Double(dims.z)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: d == 2 ? delta : 0)) } }
        model.constraints = constraints
        model.reactionNodeSets = ["top": top]
        let curve = try NonlinearSolver.solve(
            model, criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count)),
            options: NonlinearOptions(steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-5)))
        let (ccx, _) = try runCalculix(model, options: CalculixDeck.Options(vonMisesYieldStress: sy, increments: 10, printElementEnergy: false))
        let theirs = -(try #require(ccx.totals[CalculixDeck.setName("top")]))[2]
        let ours = curve.points.last!.force
        print("von Mises plateau: ours \(ours) N, CalculiX \(theirs) N, σ_y·A = \(sy * 16) N; iterations per step \(curve.points.map(\.iterations))")
        #expect(abs(ours / theirs - 1) < 0.02)
        // With ccx's own convergence criterion (its *CONTROLS defaults, as the deck leaves them).
        let ccxCriterion = try NonlinearSolver.solve(
            model, criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count)),
            options: NonlinearOptions(steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .calculixDefaults))
        print("von Mises plateau, CalculiX's criterion: ours \(ccxCriterion.points.last!.force) N; iterations per step \(ccxCriterion.points.map(\.iterations))")
        #expect(abs(ccxCriterion.points.last!.force / theirs - 1) < 0.02)
        #expect(curve.points.last!.yieldedElementFraction > 0.5)   // on the plateau
    }

    @Test("von Mises: a homogeneous box yielding all at once — plateau σ_y·A (closed form) and CalculiX *PLASTIC within 2 %")
    func homogeneousBoxPlateau() throws {
        // Uniaxial stress: both end faces held only along z (plus three DOFs against rigid motion),
        // so every element yields at the same load step.
        let dims = SIMD3(4, 4, 6), sy = 15.0, E = 1500.0
        var model = SolverTestModels.block(dims, h: 1, E: Float(E))
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        let delta = -3 * sy / E * Double(dims.z)
        var constraints = bottom.map { Constraint(node: $0, dof: 2, value: 0) } + top.map { Constraint(node: $0, dof: 2, value: delta) }
        constraints += [Constraint(node: 0, dof: 0, value: 0), Constraint(node: 0, dof: 1, value: 0),
                        Constraint(node: model.nodeIndex(dims.x, 0, 0), dof: 1, value: 0)]
        model.constraints = constraints
        model.reactionNodeSets = ["top": top]
        let curve = try NonlinearSolver.solve(
            model, criterion: .vonMises(yieldStress: [Float](repeating: Float(sy), count: model.elements.count)),
            options: NonlinearOptions(steps: 10, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: .relativeResidual(tolerance: 1e-6)))
        let (ccx, _) = try runCalculix(model, options: CalculixDeck.Options(vonMisesYieldStress: sy, increments: 10, printElementEnergy: false))
        let theirs = -(try #require(ccx.totals[CalculixDeck.setName("top")]))[2]
        let area = Double(dims.x * dims.y)
        print("homogeneous box plateau: ours \(curve.strength) N, CalculiX \(theirs) N, σ_y·A = \(sy * area) N; Newton iterations \(curve.points.map(\.iterations))")
        #expect(abs(curve.strength / (sy * area) - 1) < 1e-4)
        #expect(abs(curve.strength / theirs - 1) < 0.02)
        #expect(curve.points.last!.yieldedElementFraction == 1)
    }
}
