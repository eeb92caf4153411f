// Exported decks solved by CalculiX (SPOOLES): a closed-form bar, and a coarse real L4 with PMMA caps
// compared with our solver on exactly the same model.
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import FE

enum CCX {
    struct Result: Decodable { var totals: [String: [Double]]; var wall_s: Double; var elements: Int }

    /// Writes the deck, solves it with ccx and returns the summed reactions; element energies when asked.
    static func solve(_ model: FEModel, energies: Bool = false) throws -> (Result, [Double]?) {
        let dir = try TestPaths.temporaryDirectory("ccx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let deck = dir.appendingPathComponent("model.inp"), energyFile = dir.appendingPathComponent("else.f64")
        try CalculixDeck.write(model, to: deck, options: CalculixDeck.Options(printElementEnergy: energies))
        let out = try ExternalTool.python("ccx_run.py", [deck.path] + (energies ? [energyFile.path] : []))
        let result = try JSONDecoder().decode(Result.self, from: Data(out.utf8))
        guard energies else { return (result, nil) }
        let data = try Data(contentsOf: energyFile)
        return (result, data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) })
    }
}

@Suite("FE CalculiX decks", .enabled(if: ExternalTool.isAvailable("ccx"), "needs ccx (calculix-ccx)"))
struct CalculixDeckTests {
    /// An nx×ny×nz block of modulus E: bottom face u_z = 0, top face u_z = δ, two bottom corners hold the rigid modes.
    func bar(_ n: SIMD3<Int>, E: Float, nu: Double, delta: Double) -> FEModel {
        var m = FEModel(voxelSize: 2.0, dims: n, elements: (0..<Int32(n.x * n.y * n.z)).map { $0 },
                        youngsModulus: [Float](repeating: E, count: n.x * n.y * n.z), poissonRatio: nu)
        var top: [Int32] = [], bottom: [Int32] = []
        for j in 0...n.y { for i in 0...n.x { bottom.append(m.nodeIndex(i, j, 0)); top.append(m.nodeIndex(i, j, n.z)) } }
        m.constrain(bottom, dofs: [2], value: 0)
        m.constrain(top, dofs: [2], value: delta)
        m.constraints += [Constraint(node: m.nodeIndex(0, 0, 0), dof: 0, value: 0), Constraint(node: m.nodeIndex(0, 0, 0), dof: 1, value: 0),
                          Constraint(node: m.nodeIndex(n.x, 0, 0), dof: 1, value: 0)]
        m.reactionNodeSets = [loadedNodeSet: top, "fixed": bottom]
        return m
    }

    @Test("bar deck: CalculiX reaction equals E·A·δ/L (C3D8 corner order, node numbering, boundaries)")
    func barDeck() throws {
        let m = bar(SIMD3(3, 2, 5), E: 1000, nu: 0.3, delta: 0.05)
        let (r, energy) = try CCX.solve(m, energies: true)
        let expected = 1000.0 * (6 * 4) * 0.05 / 10   // E·A·δ/L with A = 6×4 mm², L = 10 mm
        let rz = try #require(r.totals[CalculixDeck.setName(loadedNodeSet)])[2]
        #expect(abs(rz / expected - 1) < 1e-6)
        // Uniform stress: each element stores ½·σ·ε·V = ½·E·(δ/L)²·8 mm³.
        let perElement = 0.5 * 1000 * pow(0.05 / 10, 2) * 8
        #expect(try #require(energy).allSatisfy { abs($0 / perElement - 1) < 1e-6 })
    }

    @Test("coarse real L4 with PMMA caps: our reaction within 0.5 % of CalculiX on the identical deck",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func coarseL4() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression(voxelSize: 3.0)
            .build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        let ours = try LinearSolver.solve(built.model, options: SolverOptions(relativeTolerance: 1e-9))
        let (ccx, _) = try CCX.solve(built.model)
        let oursZ = try #require(ours.reactionTotals[loadedNodeSet])[2]
        let ccxZ = try #require(ccx.totals[CalculixDeck.setName(loadedNodeSet)])[2]
        print("coarse L4 (\(built.model.elements.count) elements): ours \(oursZ) N, CalculiX \(ccxZ) N")
        #expect(abs(oursZ / ccxZ - 1) < 0.005)
    }
}
