// `openbct bmd` and asynchronous `openbct calibrate` run as a user would, on real data.
import Foundation
import Testing
import TestSupport

@Suite("openbct bmd and asynchronous calibration", .enabled(if: TestPaths.openbctBinary != nil, "needs the built openbct binary"))
struct BMDCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("bmd on abdomen-3mm with imported labels: eligibility (header facts not verifiable), L1 vBMD, table and JSON",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func abdomen() throws {
        let ct = TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz").path, seg = TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz").path
        let r = try TestPaths.runOpenBCT(["bmd", ct, "--labels", seg, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try Self.json(r.stdout)
        #expect((report["notice"] as? String)?.contains("research") == true)
        let spine = try #require(report["spine"] as? [String: Any])
        let site = try #require(spine["site"] as? [String: Any])
        #expect(site["levels"] as? [String] == ["L1"])
        let value = try #require(site["vBMD"] as? Double)
        #expect((50...250).contains(value))
        let eligibility = try #require(report["eligibility"] as? [String: Any])
        let sites = try #require(eligibility["sites"] as? [[String: Any]])
        let spineSite = try #require(sites.first { $0["site"] as? String == "spine" })
        #expect(spineSite["accepted"] as? Bool == true)
        #expect((spineSite["findings"] as? [String])?.contains { $0.hasPrefix("kvp: notVerifiable") } == true)
        // No femur in an abdomen: the hip is refused for coverage and gets no number.
        let hipSite = try #require(sites.first { $0["site"] as? String == "hip" })
        #expect(hipSite["accepted"] as? Bool == false)
        #expect((hipSite["reasons"] as? [String])?.contains { $0.hasPrefix("coverage: fail") } == true)
        #expect(report["hip"] == nil)
        let table = try TestPaths.runOpenBCT(["bmd", ct, "--labels", seg])
        #expect(table.status == 0)
        #expect(table.stdout.contains("spine: eligible") && table.stdout.contains("spine site (L1)") && table.stdout.contains("hip: REFUSED"), "\(table.stdout)")
    }

    @Test("bmd --sites hip,spine on a spine-only phantom: the hip is refused with a finding, the spine is measured")
    func hipAbsent() throws {
        let dir = try TestPaths.temporaryDirectory("cli-hip-absent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try TestPaths.runOpenBCT(["phantom", "--sites", "spine", "-o", dir.path, "--voxel", "2", "--slice-thickness", "2", "--no-dicom"])
        #expect(made.status == 0, "\(made.stderr)")
        let r = try TestPaths.runOpenBCT(["bmd", dir.appendingPathComponent("hu.nii.gz").path, "--sites", "hip,spine", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try Self.json(r.stdout)
        let sites = try #require((report["eligibility"] as? [String: Any])?["sites"] as? [[String: Any]])
        #expect(sites.first { $0["site"] as? String == "hip" }?["accepted"] as? Bool == false)
        #expect(sites.first { $0["site"] as? String == "spine" }?["accepted"] as? Bool == true)
        let site = try #require((report["spine"] as? [String: Any])?["site"] as? [String: Any])
        #expect((site["levels"] as? [String])?.contains("L1") == true && site["vBMD"] is Double)
        let findings = try #require(report["segmentationFindings"] as? [[String: Any]])
        #expect(findings.contains { $0["kind"] as? String == "noFemurFound" && $0["usable"] as? Bool == false })
        #expect(report["hip"] == nil)
    }

    @Test("asynchronous calibration: the QRM phantom scan's line applied to a NIfTI (provenance names the phantom scan's UIDs) and refused on another scanner",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func asynchronous() throws {
        let dir = try TestPaths.temporaryDirectory("cli-async")
        defer { try? FileManager.default.removeItem(at: dir) }
        let qrm = TestPaths.shared("phantom/qrm-thorax/series").path
        let saved = try TestPaths.runOpenBCT(["calibrate", qrm, "--phantom", "auto", "--json"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let savedFile = dir.appendingPathComponent("qrm-calibration.json")
        try Data(saved.stdout.utf8).write(to: savedFile)
        let measuredOn = try #require((try Self.json(saved.stdout)["provenance"] as? [String: Any])?["measuredOn"] as? [String: Any])
        #expect((measuredOn["seriesInstanceUID"] as? String)?.isEmpty == false)
        #expect(measuredOn["manufacturer"] != nil)

        // A saved line applied to a bare volume: facts unknown → noted, not refused; no output file unless asked.
        let abdomen = TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz").path
        let applied = try TestPaths.runOpenBCT(["calibrate", abdomen, "--calibration", savedFile.path, "--json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let a = try Self.json(applied.stdout)
        #expect(a["method"] as? String == "asynchronousPhantom")
        let provenance = try #require(a["provenance"] as? [String: Any])
        let phantomScan = try #require(provenance["phantomScan"] as? [String: Any])
        #expect(phantomScan["seriesInstanceUID"] as? String == measuredOn["seriesInstanceUID"] as? String)
        #expect((provenance["notes"] as? [String])?.contains { $0.contains("not verifiable") } == true)
        let line = try #require(a["line"] as? [String: Any]), savedLine = try #require(try Self.json(saved.stdout)["line"] as? [String: Any])
        #expect(line["slope"] as? Double == savedLine["slope"] as? Double)

        // The same phantom scan against a Siemens PET/CT series: another scanner → refused.
        let siemens = TestPaths.shared("ct/thoracolumbar-dicom-j2k").path
        let refused = try TestPaths.runOpenBCT(["calibrate", siemens, "--phantom-scan", qrm, "--json"])
        #expect(refused.status != 0 && refused.stderr.contains("error:") && refused.stderr.contains("same scanner"), "\(refused.stderr)")
    }
}
