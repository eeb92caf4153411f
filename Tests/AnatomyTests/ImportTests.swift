// Segmentations made elsewhere: TotalSegmentator label maps on their own grid or another one,
// and the refusal of a mask from another physical space.
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
@testable import Anatomy
import TestSupport

@Suite("Importing segmentations", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct ImportTests {
    let ctURL = TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz")
    let segURL = TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz")

    @Test("the embedded TotalSegmentator ids agree with the shared TSV")
    func embeddedTable() throws {
        let tsv = try TotalSegmentatorLabels(contentsOf: TestPaths.shared("ct/totalsegmentator-total-labels.tsv"))
        for (id, name) in TotalSegmentatorLabels.embedded.nameByID { #expect(tsv.nameByID[id] == name, "id \(id)") }
    }

    @Test("a label map on a scipy-resampled 2 mm LAS grid comes back onto the CT grid")
    func foreignGrid() throws {
        let dir = try TestPaths.temporaryDirectory("anatomy-import")
        defer { try? FileManager.default.removeItem(at: dir) }
        let foreign = dir.appendingPathComponent("seg-2mm.nii.gz")
        _ = try ExternalTool.python("anatomy_foreign_grid.py", [segURL.path, foreign.path])
        let ct = try NIfTI.read(contentsOf: ctURL).asFloat()
        let original = try NIfTI.read(contentsOf: segURL).asLabels()
        let map = try NIfTI.read(contentsOf: foreign).asLabels()
        #expect(map.grid.spacing == Vec3(2, 2, 2))
        let (onCT, findings) = try LabelMapImport.resample(map, onto: ct.grid, path: foreign.path)
        #expect(findings.isEmpty)
        for id: Int32 in [30, 31, 32] {   // L2, L1, T12
            let dice = OverlapMetrics.dice(onCT.map { $0 == id ? 1 : 0 }, original.map { $0 == id ? 1 : 0 })
            #expect(dice > 0.85, "class \(id): Dice \(dice) after 3 mm → 2 mm → 3 mm nearest neighbour")
        }
    }

    @Test("imported vertebrae get levels, body / posterior split, cores and landmarks")
    func importedVertebrae() throws {
        let ct = try NIfTI.read(contentsOf: ctURL).asFloat()
        let map = try NIfTI.read(contentsOf: segURL).asLabels()
        let seg = LabelMapImport.segmentation(from: map, names: .embedded, source: segURL.path)
        let names = seg.result.vertebrae.map { $0.level }
        #expect(names == ["L2", "L1", "T12", "T11"])
        let l1 = try #require(seg.result.vertebrae.first { $0.level == "L1" })
        #expect(!l1.cutByFieldOfView)
        #expect(l1.bodyVolumeMM3 > l1.posteriorVolumeMM3 && l1.trabecularCoreVolumeMM3 > 0 && l1.trabecularCoreVolumeMM3 < l1.bodyVolumeMM3)
        let lm = try #require(l1.landmarks)
        #expect(lm.heightMM > 18 && lm.heightMM < 35, "L1 body height \(lm.heightMM) mm")
        #expect(lm.bodyAxis.z > 0.8, "body axis points up: \(lm.bodyAxis)")
        #expect(lm.anterior.y < -0.8, "anterior is LPS −y: \(lm.anterior)")
        // The label map's voxels land on the CT grid unchanged.
        #expect(seg.labels.grid == ct.grid || seg.labels.grid.isAligned(with: ct.grid))
        #expect(seg.result.findings.contains { $0.kind == .importedStructureMissing && $0.site == .hip })
    }

    @Test("a mask outside the CT's physical space is refused with an InputError")
    func refuseDisjoint() throws {
        let ct = try NIfTI.read(contentsOf: ctURL).asFloat()
        let femurPath = TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz").path
        let femur = try NIfTI.read(contentsOf: URL(fileURLWithPath: femurPath)).asLabels()
        #expect {
            _ = try LabelMapImport.resample(femur, onto: ct.grid, path: femurPath)
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.path == femurPath && e.message.contains("does not overlap")
        }
    }
}
