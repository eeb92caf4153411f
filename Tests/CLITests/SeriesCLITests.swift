// `openbct inspect` and `openbct convert` run as a user would: the built binary on real files.
import Foundation
import Testing
import TestSupport

@Suite("openbct inspect / convert", .enabled(if: TestPaths.openbctBinary != nil, "needs the built openbct binary"))
struct SeriesCLITests {
    /// A pydicom-written scenario folder (see Tests/Python/make_test_series.py) and its expectations.
    func scenario(_ name: String) throws -> (root: URL, dicom: URL, defaultUID: String) {
        let root = try TestPaths.temporaryDirectory("cli-\(name)")
        _ = try ExternalTool.python("make_test_series.py", [name, root.path])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("expected.json"))) as! [String: Any]
        return (root, root.appendingPathComponent("dicom"), json["default_series_uid"] as! String)
    }

    /// nibabel's shape and affine (RAS) of a NIfTI file.
    func nibabel(_ file: URL) throws -> (shape: [Int], affine: [[Double]]) {
        let code = "import json,sys,nibabel as nib; i=nib.load(sys.argv[1]); print(json.dumps(dict(shape=list(i.shape), affine=i.affine.tolist())))"
        let r = try ExternalTool.run("python3", ["-c", code, file.path])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return (json["shape"] as! [Int], json["affine"] as! [[Double]])
    }

    @Test("--help describes both commands")
    func help() throws {
        for command in ["inspect", "convert"] {
            let r = try TestPaths.runOpenBCT([command, "--help"])
            #expect(r.status == 0 && r.stdout.contains("USAGE") && r.stdout.contains("openbct \(command)"))
        }
    }

    @Test("inspect --json lists both series, the default pick and the skipped files")
    func inspectJSON() throws {
        let s = try scenario("two-series")
        defer { try? FileManager.default.removeItem(at: s.root) }
        let r = try TestPaths.runOpenBCT(["inspect", s.dicom.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let series = report["series"] as! [[String: Any]]
        #expect(series.count == 2)
        #expect(series.filter { $0["isDefault"] as! Bool }.map { $0["seriesInstanceUID"] as! String } == [s.defaultUID])
        #expect((report["skipped"] as! [Any]).count == 2)
        let facts = series[0]["facts"] as! [String: Any]
        #expect(facts["kvp"] as? Double == 120 && facts["convolutionKernel"] as? String == "B30f")
        let text = try TestPaths.runOpenBCT(["inspect", s.dicom.path])
        #expect(text.status == 0 && text.stdout.contains("[default]") && text.stdout.contains("kernel: B30f"))
    }

    @Test("convert writes the HU volume nibabel reads with the right shape and affine; --series picks another")
    func convert() throws {
        let s = try scenario("two-series")
        defer { try? FileManager.default.removeItem(at: s.root) }
        let out = s.root.appendingPathComponent("ct.nii.gz")
        let r = try TestPaths.runOpenBCT(["convert", s.dicom.path, "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let (shape, affine) = try nibabel(out)
        #expect(shape == [40, 32, 20])
        // make_test_series.py: axial, pixel 0.7 × 0.8 mm, 1 mm slices, first slice at LPS (−14, −12.5, −20).
        let expectedRAS: [[Double]] = [[-0.7, 0, 0, 14], [0, -0.8, 0, 12.5], [0, 0, 1, -20], [0, 0, 0, 1]]
        for (a, b) in zip(affine.joined(), expectedRAS.joined()) { #expect(abs(a - b) < 1e-4) }

        let inspect = try JSONSerialization.jsonObject(with: Data(try TestPaths.runOpenBCT(["inspect", s.dicom.path, "--json"]).stdout.utf8)) as! [String: Any]
        let other = (inspect["series"] as! [[String: Any]]).first { !($0["isDefault"] as! Bool) }!["seriesInstanceUID"] as! String
        let mha = s.root.appendingPathComponent("other.mha")
        let r2 = try TestPaths.runOpenBCT(["convert", s.dicom.path, "-o", mha.path, "--series", other])
        #expect(r2.status == 0, "\(r2.stderr)")
        let header = try String(contentsOf: mha, encoding: .isoLatin1).prefix(600)
        #expect(header.contains("DimSize = 40 32 12"))
    }

    @Test("bad input: empty folder, no CT, undecodable slice, unknown series → error, exit ≠ 0, no output")
    func badInput() throws {
        let s = try scenario("regular")
        defer { try? FileManager.default.removeItem(at: s.root) }
        let empty = s.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let noCT = s.root.appendingPathComponent("no-ct")
        try FileManager.default.createDirectory(at: noCT, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: noCT.appendingPathComponent("notes.txt"))
        // Truncate one slice inside its pixel data: the header still scans, decoding must fail.
        let victim = try FileManager.default.contentsOfDirectory(atPath: s.dicom.path).sorted()[0]
        let victimURL = s.dicom.appendingPathComponent(victim)
        let bytes = try Data(contentsOf: victimURL)
        try bytes.prefix(bytes.count - 500).write(to: victimURL)

        let cases: [(input: URL, extra: [String], message: String)] = [
            (empty, [], "empty"),
            (noCT, [], "no CT image series"),
            (s.dicom, [], victim),
            (s.dicom, ["--series", "1.2.3.4"], "no series \"1.2.3.4\""),
            (s.root.appendingPathComponent("missing"), [], "no such file"),
        ]
        for c in cases {
            let out = s.root.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).nii.gz")
            let r = try TestPaths.runOpenBCT(["convert", c.input.path, "-o", out.path] + c.extra)
            #expect(r.status != 0)
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(c.message), "stderr: \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: s.root.path).filter { $0.contains("out-") }
            #expect(leftovers.isEmpty, "left behind: \(leftovers)")
        }
        let r = try TestPaths.runOpenBCT(["inspect", empty.path])
        #expect(r.status != 0 && r.stderr.contains("empty"))
    }

    @Test("inspect describes a NIfTI volume", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func inspectNIfTI() throws {
        let r = try TestPaths.runOpenBCT(["inspect", TestPaths.shared("ct/thoracolumbar-dicom-j2k/segmentation.nii.gz").path])
        #expect(r.status == 0 && r.stdout.contains("dims 512 × 512 × 20"), "\(r.stdout)\(r.stderr)")
    }
}
