// The de-identified research export: real CT instances (../shared/data) and the case's result
// document, exported by an admin through HTTP; pydicom checks the CT against the PS3.15 basic
// profile (Tests/Python/deidentification_check.py, with dicom-anonymizer's copy of Table E.1-1) and
// the result document is searched for every identifying value the case held. The export's download (a
// streamed ZIP) is unpacked by Python's zipfile and checked the same way.
import DICOM
import Foundation
import Hummingbird
import ResultModel
@testable import Service
import Testing
import TestSupport

@Suite("De-identified research export")
struct ResearchExportTests {
    @Test("admin exports a study: CT passes the basic-profile check, the result document holds no identifier and links to the exported CT",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func export() async throws {
        let h = try await ServiceHarness()
        let originals = Array(try FileManager.default.contentsOfDirectory(at: TestPaths.shared("phantom/qrm-thorax/series"), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }.prefix(4))
        let source = try DicomFile.read(contentsOf: originals[0], stopBeforePixelData: true).dataSet
        let ctStudyUID = try #require(source.string(.studyInstanceUID))
        let finished = try await SignedReportFixture.finishedCase(h, accession: "ACC-RES", patientID: "PID-RES", sourceStudyUID: ctStudyUID)
        // The stored study: the real CT slices in place of the fixture's placeholder.
        let studyFolder = URL(fileURLWithPath: try #require(try await h.db.first("SELECT folder FROM studies WHERE id = ?", finished.study)?.string("folder")))
        try FileManager.default.removeItem(at: studyFolder)
        let series = studyFolder.appendingPathComponent("series")
        try FileManager.default.createDirectory(at: series, withIntermediateDirectories: true)
        // Stored as intake stores them: `<name>.dcm`.
        for file in originals { try FileManager.default.copyItem(at: file, to: series.appendingPathComponent(file.lastPathComponent + ".dcm")) }

        let adminID = try await h.env.users.create(username: "research-admin", displayName: "Research", password: ServiceHarness.password, role: .admin)
        let token = try await h.env.users.issueToken(userID: adminID, label: "test")
        let answer = try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await client.execute(uri: "/admin/research-export", method: .post,
                                     headers: [.authorization: "Bearer \(token)", .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "studies=\(finished.study)")) { response in
                #expect(response.status == .created)
                return try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            }
        }
        let folder = URL(fileURLWithPath: try #require(answer?["folder"] as? String))
        let ct = folder.appendingPathComponent("study-1/ct")
        let exportedCT = try FileManager.default.contentsOfDirectory(at: ct, includingPropertiesForKeys: nil)
        let header = try DicomFile.read(contentsOf: exportedCT[0], stopBeforePixelData: true).dataSet
        let pseudonym = try #require(header.string(.patientID))
        #expect(pseudonym.hasPrefix("OBCT-") && header.string(.patientName) == pseudonym)
        let check = try ExternalTool.python("deidentification_check.py", ["export", series.path, ct.path, pseudonym])
        #expect(check.hasPrefix("ok 4"), "\(check)")
        let resultFile = folder.appendingPathComponent("study-1/result/result.json")
        let text = try String(contentsOf: resultFile, encoding: .utf8)
        for identifying in ["PID-RES", "Heloise", "Fixture", "19570312", "ACC-RES", "20261101", "Referrer", ctStudyUID, h.folder.path,
                            "/data/studies"] {
            #expect(!text.contains(identifying), "result.json still holds '\(identifying)'")
        }
        let doc = try ResultDocument.read(contentsOf: resultFile)
        #expect(doc.patient.id == header.string(.patientID) && doc.patient.birthDate == nil && doc.patient.ageYears == nil)
        #expect(doc.study.studyInstanceUID == header.string(.studyInstanceUID), "result and CT remapped with one UID map")
        #expect(doc.strength.first?.strength_N == 3381.7, "the measurements stay")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("study-1/result/labels.nii.gz").path))
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(!manifest.contains("PID-RES") && manifest.contains(header.string(.patientID) ?? "?"))
        let audit = try await h.db.execute("SELECT outcome FROM audit_log WHERE action = 'de-identified research export'")
        #expect(audit.map { $0.string("outcome") } == ["allowed"])

        // The admin's download: a ZIP streamed from the endpoint, read by Python's zipfile; its CT passes
        // the same profile check and every file is the server folder's, byte for byte.
        let download = try #require(answer?["download"] as? String)
        #expect(download == "/admin/research-export/\(folder.lastPathComponent).zip")
        let (status, type, zip) = try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await client.execute(uri: download, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                (response.status, response.headers[.contentType], Data(response.body.readableBytesView))
            }
        }
        #expect(status == .ok && type == "application/zip")
        let archive = h.folder.appendingPathComponent("download.zip")
        try zip.write(to: archive)
        let unzipped = h.folder.appendingPathComponent("unzipped")
        let listing = try ExternalTool.python("zip_check.py", [archive.path, unzipped.path])
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [String: Any])?["entries"] as? [String])
        let onServer = ResearchExport.files(of: folder)
        #expect(entries == onServer.map { "\(folder.lastPathComponent)/\($0.path)" })
        for (path, file) in onServer {
            #expect(try Data(contentsOf: unzipped.appendingPathComponent("\(folder.lastPathComponent)/\(path)")) == Data(contentsOf: file), "\(path)")
        }
        let unzippedCT = unzipped.appendingPathComponent("\(folder.lastPathComponent)/study-1/ct")
        let again = try ExternalTool.python("deidentification_check.py", ["export", series.path, unzippedCT.path, pseudonym])
        #expect(again.hasPrefix("ok 4"), "\(again)")
        let downloads = try await h.db.execute("SELECT outcome, resource FROM audit_log WHERE action = 'download research export'")
        #expect(downloads.map { $0.string("outcome") } == ["allowed"] && downloads.first?.string("resource") == "export \(folder.lastPathComponent).zip")

        // Only finished exports, by their exact name: no path tricks, no hidden (unfinished) folder.
        let hidden = folder.deletingLastPathComponent().appendingPathComponent(".export-1-0123abcd")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        for bad in ["..%2Fopenbct.sqlite", ".export-1-0123abcd.zip", "export-1-0123abcd.zip", "\(folder.lastPathComponent)", "export-1-0123ABCD.zip"] {
            let code = try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
                try await client.execute(uri: "/admin/research-export/\(bad)", method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.status }
            }
            #expect(code == .notFound, "\(bad): \(code)")
        }
        try await h.close()
    }
}
