// Pulling an order's study from a real PACS (Orthanc: authentication on, loopback test ports):
// the study lands exactly as a STOW-RS upload would (stored, matched to the order), and every
// failure — no PACS configured, PACS down, wrong password, no such study — reaches the user with
// its own status and is recorded on the order.
import DICOMweb
import Foundation
import Hummingbird
@testable import Service
import Testing
import TestSupport

@Suite("Service: pull from the PACS", .serialized,
       .enabled(if: OrthancServer.isAvailable, "needs Orthanc (apt-get install orthanc orthanc-dicomweb)"))
struct PACSPullTests {
    @Test("Pull by accession number: stored and matched like STOW-RS; errors reported and recorded")
    func pullAndErrors() async throws {
        let h = try await ServiceHarness()
        let orthanc = try OrthancServer()
        defer { orthanc.stop() }
        let (tech, _) = try await h.signedIn(.technologist, name: "tech")
        let token = try await h.env.users.issueToken(userID: tech.id, label: "test")
        let orderID = try await h.env.orders.create(ServiceHarness.order(accession: "PULL7", patientID: "PP7"), by: tech)
        let other = try await h.env.orders.create(ServiceHarness.order(accession: "NOTHERE", patientID: "PP8"), by: tech)

        // The order's study in the PACS (an independent writer: pydicom), plus another patient's study.
        let folder = h.folder.appendingPathComponent("pacs")
        let studyUID = try ExternalTool.python("service_ct_study.py", [folder.path, "6", "PULL7", "PP7"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let noise = h.folder.appendingPathComponent("pacs-other")
        _ = try ExternalTool.python("service_ct_study.py", [noise.path, "2", "OTHER", "PX"])
        let pacs = DICOMwebClient(baseURL: orthanc.dicomWebURL, credentials: BasicCredentials(username: orthanc.username, password: orthanc.password))
        for dir in [folder, noise] {
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0) }
            #expect(try await pacs.store(files: files).failed.isEmpty)
        }

        func pull(_ env: ServiceEnvironment, order: Int64, uid: String = "") async throws -> (Int, [String: Any]) {
            try await InProcessClient.test(ServiceApplication.router(env)) { client in
                try await client.execute(uri: "/orders/\(order)/pull", method: .post,
                                         headers: [.authorization: "Bearer \(token)", .accept: "application/json",
                                                   .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "studyInstanceUID=\(uid)")) { response in
                    (response.status.code, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
                }
            }
        }
        func configured(_ url: URL, password: String) -> ServiceEnvironment {
            var configuration = h.configuration
            configuration.pacs = .init(url: url.absoluteString, username: orthanc.username, password: password)
            return ServiceEnvironment(configuration: configuration, db: h.db)
        }
        let env = configured(orthanc.dicomWebURL, password: orthanc.password)

        // No PACS configured.
        let (s0, r0) = try await pull(h.env, order: orderID)
        #expect(s0 == 409 && (r0["detail"] as? String)?.contains("no PACS is configured") == true)
        // The PACS is down (nothing listens on the port).
        let down = URL(string: "http://127.0.0.1:\(try OrthancServer.freePort())/dicom-web")!
        let (s1, r1) = try await pull(configured(down, password: orthanc.password), order: orderID)
        #expect(s1 == 502 && (r1["detail"] as? String)?.contains("the PACS failed") == true, "\(r1)")
        // A wrong password: the PACS's 401 is named.
        let (s2, r2) = try await pull(configured(orthanc.dicomWebURL, password: "wrong password"), order: orderID)
        #expect(s2 == 502 && (r2["detail"] as? String)?.contains("HTTP 401") == true, "\(r2)")
        // No study with that accession number and patient ID; a named UID that does not exist; a malformed UID.
        let (s3, r3) = try await pull(env, order: other)
        #expect(s3 == 404 && (r3["detail"] as? String)?.contains("no study with accession number NOTHERE") == true, "\(r3)")
        let (s4, _) = try await pull(env, order: orderID, uid: "1.2.3.999")
        #expect(s4 == 404)
        let (s5, _) = try await pull(env, order: orderID, uid: "1.2.3%2F..%2Fx")
        #expect(s5 == 400)
        #expect(try await h.db.first("SELECT COUNT(*) AS n FROM studies")?.int("n") == 0)

        // The order's study: found by accession number + patient ID, stored, matched, queued.
        let (status, result) = try await pull(env, order: orderID)
        #expect(status == 200, "\(result)")
        #expect(result["instances"] as? Int == 6 && result["matchedOrder"] as? Bool == true && result["studyInstanceUID"] as? String == studyUID)
        let study = try #require(try await h.db.first("SELECT * FROM studies WHERE study_instance_uid = ?", studyUID))
        #expect(study.int("instance_count") == 6 && study.int("order_id") == orderID)
        // Byte for byte what the PACS holds (Orthanc's WADO-RS returns the stored bytes).
        let stored = try await h.db.execute("SELECT path FROM instances WHERE study_id = ?", study.int("id")!)
        let sent = try Set(FileManager.default.contentsOfDirectory(atPath: folder.path).map { try Data(contentsOf: folder.appendingPathComponent($0)) })
        #expect(try Set(stored.map { try Data(contentsOf: URL(fileURLWithPath: $0.string("path")!)) }) == sent)
        // Pulling again stores nothing twice.
        let (again, _) = try await pull(env, order: orderID)
        #expect(again == 200)
        #expect(try await h.db.first("SELECT instance_count FROM studies WHERE id = ?", study.int("id")!)?.int("instance_count") == 6)
        try await Task.sleep(for: .seconds(Double(h.configuration.jobs.studyQuietSeconds) + 0.1))
        #expect(try await h.env.studies.enqueueSettled(queue: h.env.jobs, quietMilliseconds: 1000).count == 1)

        // Every attempt is on record; the order page shows the latest with its button; each was audited.
        let pulls = try await h.db.execute("SELECT status, detail FROM pacs_pulls WHERE order_id = ? ORDER BY id", orderID)
        #expect(pulls.map { $0.string("status") } == ["failed", "failed", "failed", "failed", "failed", "succeeded", "succeeded"])
        let audits = try await h.db.first("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pull study from PACS' AND outcome = 'allowed'")
        #expect(audits?.int("n") == 8)
        let page = Pages.orders(try await h.env.orders.list(), pulls: try await env.latestPulls(), user: tech)
        #expect(!page.contains("GRDB") && page.contains("action=\"/orders/\(orderID)/pull\"") && page.contains("matched to this order"))
        try await h.close()
    }
}
