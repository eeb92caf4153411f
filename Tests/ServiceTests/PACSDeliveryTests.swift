// Signed reports to the PACS through the outbox, against a real Orthanc (Debian orthanc +
// orthanc-dicomweb, authentication on, loopback): sign → Orthanc holds the Encapsulated PDF, SR and
// SEG, found by QIDO-RS, retrieved by WADO-RS, read by pydicom and passed by dciodvfy; an addendum
// sends a new PDF and SR; a PACS that is down gets the same instances once it is up.
import DICOM
import DICOMweb
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("Signed reports to the PACS (Orthanc)", .serialized,
       .enabled(if: OrthancServer.isAvailable, "needs Orthanc (apt-get install orthanc orthanc-dicomweb)"))
struct PACSDeliveryTests {
    static let encapsulatedPDF = "1.2.840.10008.5.1.4.1.1.104.1"
    static let comprehensiveSR = "1.2.840.10008.5.1.4.1.1.88.33"
    static let segmentation = "1.2.840.10008.5.1.4.1.1.66.4"

    static let interpretation = "Low femoral strength on the left. The spine was not assessed (field of view). Suggest DXA of the lumbar spine."
    static let addendumText = "Prior DXA from 2024 received: lumbar T-score -2.6, consistent with osteoporosis."

    func client(_ orthanc: OrthancServer) -> DICOMwebClient {
        DICOMwebClient(baseURL: orthanc.dicomWebURL, credentials: BasicCredentials(username: orthanc.username, password: orthanc.password), timeout: 60)
    }

    /// Each retrieved instance checked by pydicom (and dciodvfy when installed).
    func check(_ instances: [Data]) throws -> [[String: Any]] {
        let folder = try TestPaths.temporaryDirectory("pacs-retrieved")
        defer { try? FileManager.default.removeItem(at: folder) }
        var checked: [[String: Any]] = []
        for (i, data) in instances.enumerated() {
            let file = folder.appendingPathComponent("\(i).dcm")
            try data.write(to: file)
            let info = try JSONSerialization.jsonObject(with: Data(try ExternalTool.python("signed_report_check.py", [file.path]).utf8)) as! [String: Any]
            checked.append(info)
            if ExternalTool.isAvailable("dciodvfy") {
                let r = try ExternalTool.run("dciodvfy", [file.path])
                let errors = (r.stdout + r.stderr).split(separator: "\n").filter { $0.hasPrefix("Error") }
                #expect(errors.isEmpty, "dciodvfy on the \(info["modality"] ?? "?") instance: \(errors)")
            }
        }
        return checked
    }

    static func words(_ any: Any?) -> String {
        ((any as? String) ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("sign → Orthanc holds the PDF, SR and SEG (QIDO, WADO, pydicom, dciodvfy); an addendum adds a new PDF and SR")
    func signAndAmend() async throws {
        let orthanc = try OrthancServer()
        defer { orthanc.stop() }
        let h = try await ServiceHarness { $0.pacs = .init(url: orthanc.dicomWebURL.absoluteString, username: orthanc.username, password: orthanc.password) }
        let finished = try await SignedReportFixture.finishedCase(h)
        let physician = try await h.signedIn(.physician)
        let worker = DeliveryWorker(name: "test-delivery", db: h.db, configuration: h.configuration)
        let web = client(orthanc)

        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            let review = ReviewActions(client: client, physician: physician)
            try await review.sign(job: finished.job, text: Self.interpretation)
            let queued = try await h.env.deliveries.deliveries(jobID: finished.job)
            #expect(queued.map { $0.string("status") } == ["pending"] && queued.first?.string("target") == "pacs")

            #expect(try await worker.runOnce()?.delivered == true)
            #expect(try await worker.runOnce() == nil, "nothing else is due")
            let found = try await web.searchInstances(studyInstanceUID: finished.studyUID)
            #expect(Set(found.compactMap { $0.string(.sopClassUID) }) == [Self.encapsulatedPDF, Self.comprehensiveSR, Self.segmentation])
            let retrieved = try check(try await web.retrieveStudy(finished.studyUID))
            #expect(retrieved.count == 3)
            let signed = Dictionary(retrieved.map { ($0["sopClass"] as? String ?? "", $0) }) { a, _ in a }
            let sr = try #require(signed[Self.comprehensiveSR])
            #expect(sr["verification"] as? String == "VERIFIED" && sr["verifier"] as? String == physician.user.displayName)
            #expect(Self.words(sr["text"]).contains(Self.interpretation))
            let pdf = Self.words(signed[Self.encapsulatedPDF]?["text"])
            #expect(pdf.contains("Electronically signed by \(physician.user.displayName)"))
            #expect(pdf.contains("Suggest DXA of the lumbar spine.") && !pdf.contains("PRELIMINARY"))
            #expect((signed[Self.segmentation]?["segments"] as? [String])?.isEmpty == false)

            try await review.addendum(job: finished.job, text: Self.addendumText)
            #expect(try await worker.runOnce()?.delivered == true)
            let all = try await web.retrieveStudy(finished.studyUID)
            #expect(all.count == 5, "the signed report's 3 instances and the addendum's PDF and SR")
            let amended = try check(all).filter { Self.words($0["text"]).contains("lumbar T-score -2.6") }
            #expect(amended.count == 2, "the addendum's PDF and SR carry its text")

            let page = try await review.casePage(job: finished.job)
            #expect(page.contains("id=\"deliveries\"") && page.components(separatedBy: "delivery-delivered").count == 3)
        }
        let audit = try await h.db.execute("SELECT outcome FROM audit_log WHERE action = 'send report to PACS (STOW-RS)'")
        #expect(audit.map { $0.string("outcome") } == ["delivered (attempt 1)", "delivered (attempt 1)"])
        try await h.close()
    }

    @Test("PACS down: the delivery is kept and retried with backoff, and arrives (same SOP Instance UIDs) once the PACS is up")
    func pacsDown() async throws {
        let port = try OrthancServer.freePort()
        let password = "pacs-down-test-\(UUID().uuidString.prefix(8))"
        let h = try await ServiceHarness {
            $0.pacs = .init(url: "http://127.0.0.1:\(port)/dicom-web", username: "openbct", password: password)
            $0.delivery.retryBaseSeconds = 1
            $0.delivery.requestTimeoutSeconds = 10
        }
        let finished = try await SignedReportFixture.finishedCase(h)
        let physician = try await h.signedIn(.physician)
        let worker = DeliveryWorker(name: "test-delivery", db: h.db, configuration: h.configuration)
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await ReviewActions(client: client, physician: physician).sign(job: finished.job, text: Self.interpretation)
        }

        // Down: two failed attempts, each put back with a longer wait (1 s, then 2 s).
        for attempt in 1...2 {
            let before = Timestamp.now()
            #expect(try await worker.runOnce()?.delivered == false)
            let after = Timestamp.now()
            let row = try #require(try await h.env.deliveries.deliveries(jobID: finished.job).first)
            #expect(row.string("status") == "pending" && row.int("attempts") == Int64(attempt))
            #expect(row.string("last_error")?.contains("127.0.0.1:\(port)") == true)
            // The wait was set during the attempt: next = (failure time) + 1 s · 2^(attempt−1).
            let next = row.int("next_attempt_at") ?? 0, backoff = Int64(1000 << (attempt - 1))
            #expect(next >= before + backoff && next <= after + backoff, "attempt \(attempt): next attempt \(next - after) ms after it")
            #expect(try await worker.runOnce() == nil, "not due before its backoff")
            try await Task.sleep(for: .milliseconds(Int(next - Timestamp.now()) + 100))
        }
        let folder = SignedReportRendering(db: h.db, dataDirectory: h.folder).folder(reportID: finished.report, revision: 0)
        let rendered = try SignedReportRendering.dicomFiles(in: folder, revision: 0).map {
            try DicomFile.read(contentsOf: $0, stopBeforePixelData: true).dataSet.string(.sopInstanceUID) ?? ""
        }
        #expect(rendered.count == 3)

        // Up at the configured address: the next attempt delivers the instances rendered before.
        let orthanc = try OrthancServer(httpPort: port, password: password)
        defer { orthanc.stop() }
        #expect(try await worker.runOnce()?.delivered == true)
        let row = try #require(try await h.env.deliveries.deliveries(jobID: finished.job).first)
        #expect(row.string("status") == "delivered" && row.int("attempts") == 3 && row.string("last_error") == nil)
        let held = try await client(orthanc).searchInstances(studyInstanceUID: finished.studyUID)
        #expect(Set(held.compactMap { $0.string(.sopInstanceUID) }) == Set(rendered), "the same SOP Instance UIDs as rendered on attempt 1")
        let audit = try await h.db.execute("SELECT outcome FROM audit_log WHERE action = 'send report to PACS (STOW-RS)' ORDER BY id")
        #expect(audit.map { $0.string("outcome") } == ["failed (attempt 1): will retry", "failed (attempt 2): will retry", "delivered (attempt 3)"])
        try await h.close()
    }
}
