// The real L4 and femur of ../shared/data/fe-reference: our protocols' models from density + labels,
// and parosol-py 0.1.26's exact models loaded through the h5 dump.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport
@testable import FE

enum ReferenceData {
    static func volumes(_ fixture: String) throws -> (Volume<Float>, Volume<Int32>) {
        let dir = "fe-reference/\(fixture)/"
        return (try NIfTI.read(contentsOf: TestPaths.shared(dir + "density.nii.gz")).asFloat(),
                try NIfTI.read(contentsOf: TestPaths.shared(dir + "labels.nii.gz")).asLabels())
    }

    /// Dumps parosol-py's exact model of `fixture` with the h5py script and loads it.
    static func parosol(_ fixture: String) throws -> ParosolModel {
        let out = try TestPaths.temporaryDirectory("parosol-\(fixture)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try ExternalTool.python("parosol_model_dump.py",
                                    [TestPaths.shared("fe-reference/\(fixture)/parosol-0.1.26/parosol_input.h5.gz").path, out.path])
        return try ParosolModel.load(dump: out)
    }
}

@Suite("FE reference models", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct ReferenceModelTests {
    @Test("parosol-py's exact L4 model loads with its element, cap and node-set counts")
    func parosolL4() throws {
        let p = try ReferenceData.parosol("vertebra_l4_mini")
        #expect(p.model.elements.count == 87_345)
        #expect(p.model.materialID.filter { $0 == FEModel.pmmaMaterial }.count == 21_630)   // model.json workflow_disks
        #expect(p.model.reactionNodeSets[loadedNodeSet]?.count == 1711)
        #expect(p.model.reactionNodeSets["fixed"]?.count == 1711)
        #expect(abs(p.prescribedDisplacement - -0.2924) < 1e-6)
        #expect(abs(p.peerReaction - -6830.066) < 0.01)
    }

    @Test("our Ogo-compatible L4 model: caps over the body's projection, H within a voxel of the peer's 43 mm")
    func ourL4Model() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression().build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        let s = built.summary
        // 1707 = columns of the label-20 projection along z, counted with nibabel/numpy.
        #expect(s.caps.map(\.footprintColumns) == [1707, 1707])
        #expect(abs(s.referenceLength - 43) <= 1)
        #expect(s.boneElements == 66_569)   // every labelled voxel (body + posterior), one island
        #expect(s.islands.components == 1)
        // The automatic frame finds the body axis within 5° of the scan's z (the fixture is near axis-aligned).
        let auto = try VertebralFrame.automatic(labels: labels, bodyLabel: 20)
        #expect(auto.axes.c2.z > cos(5 * Double.pi / 180))
    }
}

@Suite("FE real anatomy solves", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct RealAnatomySolveTests {
    @Test("parosol-py's exact L4 model: reaction within 2 % of 6,830.1 N; SED element by element")
    func exactL4() throws {
        let p = try ReferenceData.parosol("vertebra_l4_mini")
        let solution = try LinearSolver.solve(p.model)
        let reaction = try #require(solution.reactionTotals[loadedNodeSet])[p.loadAxis]
        #expect(abs(reaction / -6830.1 - 1) < 0.02)
        // SED where the peer's exceeds 0.01 MPa (methods.md §10): the ratio's 5th–95th percentiles.
        let sed = ElementFields.compute(model: p.model, solution: solution).strainEnergyDensity
        let ratios = zip(sed, p.peerSED).filter { $0.1 > 0.01 }.map { $0.0 / $0.1 }.sorted()
        let p5 = ratios[ratios.count * 5 / 100], p50 = ratios[ratios.count / 2], p95 = ratios[ratios.count * 95 / 100]
        print("exact L4: reaction \(reaction) N (peer \(p.peerReaction)); SED ratio over \(ratios.count) elements p5 \(p5) p50 \(p50) p95 \(p95)")
        #expect(abs(p50 - 1) < 0.01)
        #expect(p5 > 0.95 && p95 < 1.05)
    }

    @Test("parosol-py's exact femur model: stiffness within 2 % of 1,695.7 N/mm")
    func exactFemur() throws {
        let p = try ReferenceData.parosol("femur_left_mini")
        let solution = try LinearSolver.solve(p.model)
        let k = try #require(solution.reactionTotals[loadedNodeSet])[p.loadAxis] / p.prescribedDisplacement
        print("exact femur: \(k) N/mm (peer \(p.peerReaction / p.prescribedDisplacement))")
        #expect(abs(k / 1695.7 - 1) < 0.02)
    }

    @Test("our Ogo-compatible L4 protocol from density + labels (scan axes as the vertebral frame): within 5 % of 23,297 N/mm")
    func protocolL4() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression().build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        let solution = try LinearSolver.solve(built.model)
        let k = built.stiffness(reaction: try #require(solution.reactionTotals[loadedNodeSet]))
        print("L4 protocol: \(k) N/mm, H \(built.summary.referenceLength) mm")
        #expect(abs(k / 23_297 - 1) < 0.05)
    }

    @Test("the L4 through the automatic vertebral frame (endplate normal): within 2 % of 23,297 N/mm")
    func protocolL4AutomaticFrame() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression().build(density: density, labels: labels)
        let solution = try LinearSolver.solve(built.model)
        let k = built.stiffness(reaction: try #require(solution.reactionTotals[loadedNodeSet]))
        print("L4 automatic frame: \(k) N/mm (\((k / 23_297 - 1) * 100) %), H \(built.summary.referenceLength) mm")
        #expect(abs(k / 23_297 - 1) < 0.02)
    }

    @Test("our femur sideways fall from density + labels: reported against the locked values (no pass band: different protocol)")
    func protocolFemur() throws {
        let (density, labels) = try ReferenceData.volumes("femur_left_mini")
        let built = try HipLoadCase(femurLabels: [2]).build(density: density, labels: labels)
        let solution = try LinearSolver.solve(built.model)
        let k = built.stiffness(reaction: try #require(solution.reactionTotals[loadedNodeSet]))
        print("femur protocol: \(k) N/mm (parosol-py 0.1.26 1695.7: \((k / 1695.7 - 1) * 100) %; lock 1602.6: \((k / 1602.6 - 1) * 100) %), L \(built.summary.referenceLength) mm")
        #expect(k > 0 && k.isFinite)
    }
}
