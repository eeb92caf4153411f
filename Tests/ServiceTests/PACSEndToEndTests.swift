// The issue's integration test: a CT series STOWed to a real PACS (Orthanc: authentication on,
// loopback test ports) → a real `openbct serve` pulls it for its order (QIDO-RS/WADO-RS) → the
// in-server worker runs the REAL analysis (`openbct analyze`, a coarse digital phantom so it stays
// short) → a physician signs over HTTP → Orthanc holds the signed PDF, SR and SEG (dciodvfy: 0 errors).
import DICOM
import DICOMweb
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("Service end to end with a PACS", .serialized)
struct PACSEndToEndTests {
    static var canRun: Bool {
        OrthancServer.isAvailable && TestPaths.openbctBinary != nil && ExternalTool.isAvailable("curl") && ExternalTool.isAvailable("dciodvfy")
    }
    static let encapsulatedPDF = "1.2.840.10008.5.1.4.1.1.104.1"
    static let comprehensiveSR = "1.2.840.10008.5.1.4.1.1.88.33"
    static let segmentation = "1.2.840.10008.5.1.4.1.1.66.4"

    @Test("CT series in Orthanc → pulled for its order → real analysis → signed over HTTP → PDF, SR, SEG in Orthanc",
          .enabled(if: canRun, "needs Orthanc, the openbct binary, curl and dciodvfy"))
    func pacsToSigned() async throws {
        var h = try await ServiceHarness()
        let orthanc = try OrthancServer()
        defer { orthanc.stop() }
        let binary = try #require(TestPaths.openbctBinary)

        // The scan: a digital phantom (hip, 1.6 mm pixels, 1.25 mm slices — the service benchmark's study)
        // carrying the order's accession number (set by pydicom), stored in the PACS by STOW-RS.
        let phantom = h.folder.appendingPathComponent("phantom")
        let made = try ExternalTool.run(binary.path, ["phantom", "-o", phantom.path, "--voxel", "1.6", "--slice-thickness", "1.25", "--sites", "hip"])
        try #require(made.status == 0, "openbct phantom: \(made.stderr)")
        let series = phantom.appendingPathComponent("dicom")
        let studyUID = try ExternalTool.python("service_set_accession.py", [series.path, "PACS1"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let files = try FileManager.default.contentsOfDirectory(atPath: series.path).sorted().map { series.appendingPathComponent($0) }
        let pacs = DICOMwebClient(baseURL: orthanc.dicomWebURL, credentials: BasicCredentials(username: orthanc.username, password: orthanc.password))
        let stowed = try await pacs.store(files: files)
        try #require(stowed.failed.isEmpty && stowed.stored.count == files.count)

        // openbct serve with the PACS configured and the real analysis at a coarse FE grid.
        let port = try OrthancServer.freePort()
        let base = "http://127.0.0.1:\(port)"
        h.configuration.port = port
        h.configuration.pacs = .init(url: orthanc.dicomWebURL.absoluteString, username: orthanc.username, password: orthanc.password)
        h.configuration.jobs.analysisExecutable = nil
        h.configuration.jobs.analysisArguments = ["--voxel", "3", "--steps", "4", "--sites", "hip"]
        h.configuration.jobs.leaseSeconds = 60
        h.configuration.jobs.heartbeatSeconds = 2
        let config = try h.writeConfiguration()
        let techID = try await h.env.users.create(username: "tech", displayName: "Tech", password: ServiceHarness.password, role: .technologist)
        let techToken = try await h.env.users.issueToken(userID: techID, label: "modality")
        let (physician, cookie) = try await h.signedIn(.physician, name: "doc")
        let server = try ServiceProcess(["serve", "--config", config.path], folder: h.folder, label: "serve")
        defer { if server.process.isRunning { server.kill9() } }
        let up = try await waitUntil(30) { (try? curl(["-o", "/dev/null", "-w", "%{http_code}", "\(base)/healthz"])) == "200" }
        try #require(up, "server did not start: \(server.output)")

        // The order (JSON API, technologist's token), then the pull it names.
        var order = ServiceHarness.order(accession: "PACS1", patientID: "OPENBCT-PHANTOM-1")
        order.sites = ["hip"]
        let created = try curl(["-H", "Authorization: Bearer \(techToken)", "-H", "Content-Type: application/json",
                                "-d", String(decoding: try JSONEncoder().encode(order), as: UTF8.self), "\(base)/orders"])
        let orderID = try #require((try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])?["id"] as? Int)
        let pulled = try curl(["-H", "Authorization: Bearer \(techToken)", "-H", "Accept: application/json", "-d", "",
                               "-w", "\n%{http_code}", "\(base)/orders/\(orderID)/pull"])
        let (answer, code) = (pulled.split(separator: "\n").dropLast().joined(), pulled.split(separator: "\n").last.map(String.init))
        #expect(code == "200", "\(pulled)")
        let outcome = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any] ?? [:]
        #expect(outcome["instances"] as? Int == files.count && outcome["matchedOrder"] as? Bool == true, "\(outcome)")
        let study = try #require(try await h.db.first("SELECT * FROM studies WHERE study_instance_uid = ?", studyUID))
        #expect(study.int("order_id") == Int64(orderID) && study.int("instance_count") == Int64(files.count))

        // The technologist's order page in headless Chromium: the pull's outcome and the button.
        if ExternalTool.isAvailable("chromium") {
            let techSession = try await h.env.users.openSession(userID: techID)
            let shots = h.folder.appendingPathComponent("screenshots")
            try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
            let out = try ExternalTool.python("service_browser.py", [base, techSession.token, shots.path, "/orders=orders"])
            let page = (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String: Any]])?["orders"] ?? [:]
            let text = page["text"] as? String ?? ""
            #expect(page["rows"] as? Int == 1 && text.contains("succeeded") && text.contains("matched to this order")
                    && text.contains("Pull from PACS"), "\(text)")
            #expect(page["externalResources"] as? Int == 0)
            if let keep = ProcessInfo.processInfo.environment["OPENBCT_SCREENSHOTS"] {
                let target = URL(fileURLWithPath: keep).appendingPathComponent("service-orders-pull.png")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: shots.appendingPathComponent("orders.png"), to: target)
            }
        }

        // Quiet study → job → in-server worker → the real `openbct analyze` → draft report.
        let finished = try await waitUntil(600) {
            let status = try await h.db.first("SELECT status FROM jobs WHERE study_id = ?", study.int("id")!)?.string("status")
            return status == "succeeded" || status == "failed"
        }
        let job = try #require(try await h.db.first("SELECT * FROM jobs WHERE study_id = ?", study.int("id")!))
        try #require(finished && job.string("status") == "succeeded",
                     "analysis \(job.string("status") ?? "?"): \(job.string("error") ?? "") \(server.output)")
        let jobID = try #require(job.int("id"))
        // The real analysis ran to its end: a complete document with femoral strength from the FE solve.
        let stored = try #require(try await h.db.first("SELECT document FROM results WHERE job_id = ?", jobID)?.string("document"))
        let result = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
        #expect(result["status"] as? String == "completed", "\(result["omissions"] ?? "")")
        #expect((result["strength"] as? [Any])?.isEmpty == false, "no strength result: \(result["omissions"] ?? "")")

        // The physician signs over HTTP as the case page's form does (cookie + CSRF token).
        let signed = try curl(["-o", "/dev/null", "-w", "%{http_code}", "-b", "openbct_session=\(cookie)",
                               "--data", "csrf=\(physician.csrfToken!)&action=sign&interpretation=Femoral+strength+reviewed.",
                               "\(base)/cases/\(jobID)/report"])
        #expect(signed == "303")
        let report = try #require(try await h.db.first("SELECT * FROM reports WHERE job_id = ?", jobID))
        #expect(report.string("status") == "signed" && report.int("signed_by") == physician.id)

        // On signing, the server's outbox sends the Encapsulated PDF, SR and SEG to the PACS by STOW-RS:
        // Orthanc holds them in the study (QIDO-RS), and each, retrieved by WADO-RS, passes dciodvfy.
        let reportClasses: Set<String> = [Self.encapsulatedPDF, Self.comprehensiveSR, Self.segmentation]
        var held: [DataSet] = []
        let delivered = try await waitUntil(120) {
            held = try await pacs.searchInstances(studyInstanceUID: studyUID).filter { reportClasses.contains($0.string(.sopClassUID) ?? "") }
            return held.count >= 3
        }
        #expect(delivered && Set(held.compactMap { $0.string(.sopClassUID) }) == reportClasses,
                "Orthanc holds \(held.compactMap { $0.string(.sopClassUID) }): \(server.output)")
        for attributes in held {
            let instance = try await pacs.retrieveInstance(studyInstanceUID: studyUID, seriesInstanceUID: try #require(attributes.string(.seriesInstanceUID)),
                                                           sopInstanceUID: try #require(attributes.string(.sopInstanceUID)))
            let file = h.folder.appendingPathComponent("from-pacs-\(attributes.string(.sopInstanceUID) ?? "").dcm")
            try instance.write(to: file)
            let r = try ExternalTool.run("dciodvfy", [file.path])
            let errors = (r.stdout + r.stderr).split(separator: "\n").filter { $0.hasPrefix("Error") }
            #expect(errors.isEmpty, "dciodvfy on \(attributes.string(.sopClassUID) ?? ""): \(errors)")
        }

        #expect(!server.output.contains("OPENBCT-PHANTOM-1"), "the application log names the patient")
        #expect(server.terminate() == 0, "serve did not stop on SIGTERM: \(server.output)")
        try await h.close()
    }

    private func curl(_ arguments: [String]) throws -> String {
        let r = try ExternalTool.run("curl", ["-s", "--max-time", "120"] + arguments)
        guard r.status == 0 else { throw ServiceTestFailure("curl \(arguments.last ?? ""): exit \(r.status) \(r.stderr)") }
        return r.stdout
    }
}
