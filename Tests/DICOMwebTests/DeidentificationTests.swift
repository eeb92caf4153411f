import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOMweb

@Suite("de-identification (PS3.15 basic profile)")
struct DeidentificationTests {
    @Test("every row of our table carries the Basic Profile code of PS3.15 Table E.1-1 (2026c)")
    func tableMatchesStandard() throws {
        let dir = try TestPaths.temporaryDirectory("deid-table")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = ConfidentialityProfileTable.rows.map { "\(DicomJSON.key($0.tag))\t\($0.profileCode)" }.joined(separator: "\n")
        let url = dir.appendingPathComponent("rows.tsv")
        try Data(rows.utf8).write(to: url)
        let out = try ExternalTool.python("deidentification_check.py", ["table", url.path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "ok \(ConfidentialityProfileTable.rows.count)")
        // Each chosen action must be one the code offers.
        for row in ConfidentialityProfileTable.rows {
            let offered = row.profileCode.split(separator: "/").map(String.init)
            #expect(offered.contains(row.action.rawValue), "\(row.keyword): \(row.action.rawValue) not in \(row.profileCode)")
        }
    }

    @Test("a real CT series de-identified: pydicom finds no identifying value, consistent UIDs, pixels unchanged",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func realSeries() throws {
        let originals = try Fixtures.qrmSeries()
        let out = try TestPaths.temporaryDirectory("deid-export")
        defer { try? FileManager.default.removeItem(at: out) }
        let files = try Deidentifier().export(files: originals, to: out)
        #expect(files.count == originals.count)
        let report = try ExternalTool.python("deidentification_check.py", ["export", originals[0].deletingLastPathComponent().path, out.path])
        #expect(report.hasPrefix("ok \(originals.count)"), "\(report)")
        // dciodvfy finds no error in an exported file (the original has none).
        if ExternalTool.isAvailable("dciodvfy") {
            let r = try ExternalTool.run("dciodvfy", [files[0].path])
            let errors = (r.stdout + r.stderr).split(separator: "\n").filter { $0.hasPrefix("Error") }
            #expect(errors.isEmpty, "\(errors)")
        }
    }

    @Test("one remapper gives the same new UID for the same old one across instances; a pseudonym replaces name and ID")
    func consistentUIDsAndPseudonym() throws {
        var a = DataSet(), b = DataSet()
        for ds in [0, 1] {
            var x = DataSet()
            x.set(.studyInstanceUID, .UI, string: "1.2.3.4")
            x.set(.sopInstanceUID, .UI, string: "1.2.3.4.\(ds)")
            x.set(.sopClassUID, .UI, string: "1.2.840.10008.5.1.4.1.1.2")
            x.set(.patientName, .PN, string: "Doe^Jane")
            x.set(Tag(0x0009, 0x1001), .LO, string: "private")
            if ds == 0 { a = x } else { b = x }
        }
        let deid = Deidentifier(patientPseudonym: "SUBJECT-007")
        let da = try deid.deidentify(a, sopClassUID: "1.2.840.10008.5.1.4.1.1.2")
        let db = try deid.deidentify(b, sopClassUID: "1.2.840.10008.5.1.4.1.1.2")
        #expect(da.string(.studyInstanceUID) == db.string(.studyInstanceUID))
        #expect(da.string(.studyInstanceUID) != "1.2.3.4")
        #expect(da.string(.sopInstanceUID) != db.string(.sopInstanceUID))
        #expect(da.string(.sopClassUID) == "1.2.840.10008.5.1.4.1.1.2")
        #expect(da.string(.patientName) == "SUBJECT-007")
        #expect(da[Tag(0x0009, 0x1001)] == nil)
        #expect(da.string(.patientIdentityRemoved) == "YES")
    }

    @Test("an instance declaring burned-in annotation is refused")
    func burnedIn() {
        var ds = DataSet()
        ds.set(.burnedInAnnotation, .CS, string: "YES")
        #expect { try Deidentifier().deidentify(ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.2") } throws: { error in
            (error as? InputError)?.location == Tag.burnedInAnnotation.label
        }
    }
}
