// `openbct segment` as a user runs it: the built binary on the real abdomen CT.
import Foundation
import Testing
import TestSupport

@Suite("openbct segment", .enabled(if: TestPaths.openbctBinary != nil && TestPaths.hasSharedData, "needs the built openbct binary and ../shared/data"))
struct SegmentCLITests {
    @Test("segment --json writes a label map on the CT grid (nibabel) and names T12, L1, L2")
    func segmentAbdomen() throws {
        let dir = try TestPaths.temporaryDirectory("cli-segment")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ct = TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz")
        let out = dir.appendingPathComponent("labels.nii.gz")
        let r = try TestPaths.runOpenBCT(["segment", ct.path, "-o", out.path, "--sites", "spine", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let levels = (json["vertebrae"] as! [[String: Any]]).compactMap { $0["level"] as? String }
        #expect(levels == ["L2", "L1", "T12"])
        let table = (json["labelTable"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(table.contains("L1_body") && table.contains("L1_posterior"))
        // Same shape and affine as the CT, per nibabel; L1 body (120) present.
        let code = """
        import json,sys,nibabel as nib,numpy as np
        a=nib.load(sys.argv[1]); b=nib.load(sys.argv[2]); d=np.asanyarray(b.dataobj)
        print(json.dumps(dict(same=bool(a.shape==b.shape and np.allclose(a.affine,b.affine,atol=1e-4)), l1=int((d==120).sum()))))
        """
        let check = try ExternalTool.run("python3", ["-c", code, ct.path, out.path])
        let facts = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as! [String: Any]
        #expect(facts["same"] as? Bool == true && (facts["l1"] as? Int ?? 0) > 500, "\(check.stdout) \(check.stderr)")
    }

    @Test("a segmentation from another physical space is refused: error on stderr, non-zero exit, no output")
    func refuseDisjoint() throws {
        let dir = try TestPaths.temporaryDirectory("cli-segment")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("labels.nii.gz")
        let r = try TestPaths.runOpenBCT(["segment", TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz").path, "-o", out.path,
                                          "--labels-from", TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz").path])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error:") && r.stderr.contains("does not overlap"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("the thoracolumbar NIfTI segmentation lands on its DICOM J2K series: T11 and T12 imported, nothing outside")
    func thoracolumbarImport() throws {
        let dir = try TestPaths.temporaryDirectory("cli-segment")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TestPaths.shared("ct/thoracolumbar-dicom-j2k")
        let out = dir.appendingPathComponent("labels.nii.gz")
        let r = try TestPaths.runOpenBCT(["segment", root.appendingPathComponent("series").path, "-o", out.path,
                                          "--labels-from", root.appendingPathComponent("segmentation.nii.gz").path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let levels = (json["vertebrae"] as! [[String: Any]]).compactMap { $0["level"] as? String }
        #expect(levels == ["T12", "T11"])
        let kinds = (json["findings"] as! [[String: Any]]).map { $0["kind"] as! String }
        #expect(!kinds.contains("importedMaskPartlyOutside"))
    }

    @Test("a binary DICOM SEG (written by highdicom) as --labels-from: T12 and T11 imported from its segment labels",
          .enabled(if: ExternalTool.isAvailable("python3")))
    func dicomSEG() throws {
        let dir = try TestPaths.temporaryDirectory("cli-segment")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TestPaths.shared("ct/thoracolumbar-dicom-j2k")
        let seg = dir.appendingPathComponent("seg.dcm"), out = dir.appendingPathComponent("labels.nii.gz")
        _ = try ExternalTool.python("anatomy_make_seg.py", [root.appendingPathComponent("series").path,
                                    root.appendingPathComponent("segmentation.nii.gz").path, seg.path, "32=vertebrae_T12", "33=vertebrae_T11"])
        let r = try TestPaths.runOpenBCT(["segment", root.appendingPathComponent("series").path, "-o", out.path,
                                          "--labels-from", seg.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((json["vertebrae"] as! [[String: Any]]).compactMap { $0["level"] as? String } == ["T12", "T11"])
    }
}
