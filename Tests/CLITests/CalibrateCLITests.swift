// `openbct calibrate` run as a user would: the built binary on the real abdomen CT, output read by nibabel.
import Foundation
import Testing
import TestSupport

@Suite("openbct calibrate", .enabled(if: TestPaths.openbctBinary != nil, "needs the built openbct binary"))
struct CalibrateCLITests {
    @Test("internal calibration of abdomen-3mm: JSON report and a density NIfTI equal to the reported line (nibabel)",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func abdomen() throws {
        let dir = try TestPaths.temporaryDirectory("cli-calibrate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ct = TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz"), out = dir.appendingPathComponent("density.nii.gz")
        let r = try TestPaths.runOpenBCT(["calibrate", ct.path, "--labels", TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz").path,
                                          "-o", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["method"] as? String == "internalEffectiveEnergy")
        #expect((report["regions"] as? [Any])?.count == 4)
        let line = try #require(report["line"] as? [String: Any])
        let a = try #require(line["intercept"] as? Double), b = try #require(line["slope"] as? Double)
        // nibabel: density = (HU − a)/b voxel by voxel (float32 rounding).
        let code = """
        import sys,numpy as np,nibabel as nib
        hu=nib.load(sys.argv[1]).get_fdata(); d=nib.load(sys.argv[2]).get_fdata()
        print(float(np.abs(d-(hu-float(sys.argv[3]))/float(sys.argv[4])).max()))
        """
        let diff = try ExternalTool.run("python3", ["-c", code, ct.path, out.path, "\(a)", "\(b)"])
        #expect(Double(diff.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).map { $0 < 0.05 } == true, "\(diff.stdout) \(diff.stderr)")
    }

    @Test("QRM with --response quadratic: six inserts, and a density NIfTI equal to the reported curve's inverse (pydicom, nibabel)",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func qrmQuadratic() throws {
        let dir = try TestPaths.temporaryDirectory("cli-calibrate-qrm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let series = TestPaths.shared("phantom/qrm-thorax/series"), out = dir.appendingPathComponent("density.nii.gz")
        let r = try TestPaths.runOpenBCT(["calibrate", series.path, "--phantom", "auto", "--response", "quadratic", "-o", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["method"] as? String == "phantomQuadratic")
        #expect((report["regions"] as? [Any])?.count == 6)
        let curve = try #require(report["response"] as? [String: Any])
        let abc = try ["a", "b", "c"].map { try #require(curve[$0] as? Double) }
        // The map is monotonic, so sorted densities are the inverse of sorted HU — no voxel order needed. numpy: the
        // increasing root of c·ρ² + b·ρ + a − HU (the turning density where there is none), HA → K2HPO4 via ash.
        let code = """
        import sys,numpy as np,nibabel as nib
        sys.path.insert(0, sys.argv[6]); from qrm_insert_response import load
        hu=np.sort(load(sys.argv[1])[0].ravel()); d=np.sort(nib.load(sys.argv[2]).get_fdata().ravel())
        a,b,c=map(float,sys.argv[3:6]); disc=b*b+4*c*(hu-a)
        rho=np.where(disc>0,(-b+np.sqrt(np.maximum(disc,0)))/(2*c),-b/(2*c))
        print(float(np.abs(d-(0.839*rho+30.9)/1.06).max()))
        """
        let diff = try ExternalTool.run("python3", ["-c", code, series.path, out.path] + abc.map { "\($0)" }
                                        + [TestPaths.pythonScript("").path])
        #expect(Double(diff.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).map { $0 < 0.05 } == true, "\(diff.stdout) \(diff.stderr)")
    }

    @Test("a missing input and a bad phantom file are refused with error: and a non-zero status")
    func badInput() throws {
        let dir = try TestPaths.temporaryDirectory("cli-calibrate-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try TestPaths.runOpenBCT(["calibrate", "/nonexistent/ct", "-o", dir.appendingPathComponent("d.nii.gz").path])
        #expect(r.status != 0 && r.stderr.contains("error:"))
        let bad = dir.appendingPathComponent("phantom.json")
        try Data("{\"name\": \"x\", \"equivalent\": \"k2hpo4\", \"rods\": [{\"density\": 1}]}".utf8).write(to: bad)
        let ct = dir.appendingPathComponent("ct.nii.gz")
        _ = try ExternalTool.run("python3", ["-c", "import numpy as np,nibabel as nib,sys; nib.save(nib.Nifti1Image(np.zeros((8,8,2),np.float32),np.eye(4)),sys.argv[1])", ct.path])
        let p = try TestPaths.runOpenBCT(["calibrate", ct.path, "--phantom", bad.path, "-o", dir.appendingPathComponent("d.nii.gz").path])
        #expect(p.status != 0 && p.stderr.contains("error:") && p.stderr.contains("at least 2 rods"), "\(p.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.nii.gz").path))
    }
}

@Suite("openbct calibrate on the digital phantom", .enabled(if: TestPaths.openbctBinary != nil, "needs the built openbct binary"))
struct CalibratePhantomCLITests {
    /// Max relative error of the mean density over the phantom's vertebral trabecular cores, for each
    /// calibrated file: against the exact line the phantom used (`calibration`) and against its truth
    /// density map (`truth`, which adds the scanner blur the phantom models).
    func errors(_ phantom: URL, _ files: [URL]) throws -> [(calibration: Double, truth: Double)] {
        let r = try ExternalTool.python("calibration_phantom_check.py", [phantom.path] + files.map(\.path))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: [String: Double]])
        return try files.map { f in
            let e = try #require(json[f.path])
            return (try #require(e["vs_exact_line"]), try #require(e["vs_truth_density"]))
        }
    }

    @Test("rods (user ROIs from truth.json) within 2 %; phantomless effective-energy and two-point within 5 %")
    func phantomAndPhantomless() throws {
        let dir = try TestPaths.temporaryDirectory("cli-calibrate-phantom")
        defer { try? FileManager.default.removeItem(at: dir) }
        let phantom = dir.appendingPathComponent("phantom")
        let g = try TestPaths.runOpenBCT(["phantom", "-o", phantom.path, "--sites", "spine", "--voxel", "1.6",
                                          "--slice-thickness", "3", "--no-dicom"])
        try #require(g.status == 0, "\(g.stderr)")
        let definition = dir.appendingPathComponent("rods.json")
        _ = try ExternalTool.python("calibration_phantom_check.py", ["make_phantom_json", phantom.path, definition.path])
        let hu = phantom.appendingPathComponent("hu.nii.gz").path
        let outputs = ["rods", "internal", "two-point"].map { dir.appendingPathComponent("\($0).nii.gz") }
        let runs: [[String]] = [["--phantom", definition.path], ["--kvp", "120"], ["--kvp", "120", "--method", "two-point"]]
        for (out, extra) in zip(outputs, runs) {
            let r = try TestPaths.runOpenBCT(["calibrate", hu, "-o", out.path] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            print(r.stdout)
        }
        let e = try errors(phantom, outputs)
        print("digital phantom trabecular-core density error (vs exact line, vs truth density): \(e)")
        #expect(e[0].calibration < 0.02)
        #expect(e[1].calibration < 0.05 && e[2].calibration < 0.05)
    }
}
