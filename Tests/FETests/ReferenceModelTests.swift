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

    @Test("our Ogo-compatible L4 model: H and cap geometry as the peer's")
    func ourL4Model() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression().build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        let s = built.summary
        print("L4 image-axes: H \(s.referenceLength) bone \(s.boneElements) pmma \(s.pmmaElements) caps \(s.caps) islands \(s.islands) floored \(s.flooredElements)")
        let auto = try VertebralCompression().build(density: density, labels: labels)
        let a = auto.summary
        print("L4 automatic: H \(a.referenceLength) bone \(a.boneElements) pmma \(a.pmmaElements) caps \(a.caps) axes \(a.latticeAxes)")
    }
}

@Suite("FE real anatomy solves", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct RealAnatomySolveTests {
    @Test("parosol-py's exact L4 model: our reaction within 2 % of 6,830.1 N at −0.2924 mm")
    func exactL4() throws {
        let p = try ReferenceData.parosol("vertebra_l4_mini")
        let t0 = Date()
        let solution = try LinearSolver.solve(p.model)
        let reaction = try #require(solution.reactionTotals[loadedNodeSet])[p.loadAxis]
        print("exact L4: reaction \(reaction) N (peer \(p.peerReaction)), \(solution.iterations) iterations, \(Date().timeIntervalSince(t0)) s")
        #expect(abs(reaction / -6830.1 - 1) < 0.02)
    }

    @Test("our Ogo-compatible L4 protocol from density + labels: stiffness within 5 % of 23,297 N/mm")
    func protocolL4() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        for (name, frame) in [("image axes", Optional(LatticeFrame.imageAxes(of: density.grid))), ("automatic", nil)] {
            let built = try VertebralCompression().build(density: density, labels: labels, frame: frame)
            let solution = try LinearSolver.solve(built.model)
            let k = built.stiffness(reaction: try #require(solution.reactionTotals[loadedNodeSet]))
            print("L4 protocol (\(name)): stiffness \(k) N/mm, H \(built.summary.referenceLength), \(solution.iterations) iterations")
            #expect(abs(k / 23_297 - 1) < 0.05)
        }
    }
}
