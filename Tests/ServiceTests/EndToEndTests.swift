// The service as deployed: a real `openbct serve` process. 20 concurrent STOW-RS uploads of a CT
// study (nothing lost) → matched to its order → analysed by the in-server worker → a physician
// reviews in headless Chromium (screenshots + DOM facts), signs over HTTP, adds an addendum →
// the signed text is immutable → SIGTERM stops the server cleanly.
import DICOMweb
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("Service end to end", .serialized)
struct EndToEndTests {
    static var canRun: Bool { TestPaths.openbctBinary != nil && ExternalTool.isAvailable("curl") }

    @Test("STOW ×20 concurrent → order match → analysis → review in Chromium → sign → addendum",
          .enabled(if: canRun, "needs the openbct binary and curl"))
    func endToEnd() async throws {
        var h = try await ServiceHarness()
        let port = 20000 + Int(getpid() % 20000)
        h.configuration.port = port
        h.configuration.jobs.workersInServer = 1
        let config = try h.writeConfiguration()
        let base = "http://127.0.0.1:\(port)"

        let techID = try await h.env.users.create(username: "tech", displayName: "Tech", password: ServiceHarness.password, role: .technologist)
        let techToken = try await h.env.users.issueToken(userID: techID, label: "modality")
        let (physician, cookie) = try await h.signedIn(.physician, name: "doc")

        let server = try ServiceProcess(["serve", "--config", config.path], folder: h.folder, environment: ["STANDIN_SECONDS": "1"], label: "serve")
        defer { if server.process.isRunning { server.kill9() } }
        let up = try await waitUntil(30) { (try? curl(["-o", "/dev/null", "-w", "%{http_code}", "\(base)/healthz"])) == "200" }
        try #require(up, "server did not start: \(server.output)")

        // The order, through the JSON API with the technologist's token.
        let order = ServiceHarness.order(accession: "E2E1", patientID: "PE2E")
        let orderJSON = String(decoding: try JSONEncoder().encode(order), as: UTF8.self)
        let created = try curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(techToken)",
                                "-H", "Content-Type: application/json", "-d", orderJSON, "\(base)/orders"])
        #expect(created == "201")

        // 20 instances, each its own concurrent STOW-RS request (Basic auth with the API token).
        let studyFolder = h.folder.appendingPathComponent("upload")
        let studyUID = try ExternalTool.python("service_ct_study.py", [studyFolder.path, "20", "E2E1", "PE2E"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let files = try FileManager.default.contentsOfDirectory(atPath: studyFolder.path).sorted().map { studyFolder.appendingPathComponent($0) }
        #expect(files.count == 20)
        let client = DICOMwebClient(baseURL: URL(string: "\(base)/dicomweb")!,
                                    credentials: BasicCredentials(username: "tech", password: techToken))
        let responses = try await withThrowingTaskGroup(of: StowResponse.self) { group in
            for file in files { group.addTask { try await client.store(files: [file]) } }
            return try await group.reduce(into: [StowResponse]()) { $0.append($1) }
        }
        #expect(responses.allSatisfy { $0.failed.isEmpty && $0.stored.count == 1 })
        let study = try #require(try await h.db.first("SELECT * FROM studies WHERE study_instance_uid = ?", studyUID))
        #expect(study.int("instance_count") == 20)
        #expect(study.int("order_id") != nil)

        // Quiet study → job → in-server worker → draft report.
        let ready = try await waitUntil(60) {
            try await h.db.first("SELECT status FROM jobs WHERE study_id = ?", study.int("id")!)?.string("status") == "succeeded"
        }
        try #require(ready, "analysis did not finish: \(server.output)")
        let job = try #require(try await h.db.first("SELECT id FROM jobs WHERE study_id = ?", study.int("id")!)?.int("id"))

        let shots = h.folder.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let draft = try browser(base, cookie, shots, ["/worklist=worklist", "/cases/\(job)=case-draft"])
        #expect(draft["worklist"]?["rows"] as? Int == 1)
        #expect((draft["worklist"]?["text"] as? String)?.contains("E2E1") == true)
        #expect(draft["case-draft"]?["reportStatus"] as? String == "draft")
        #expect((draft["case-draft"]?["findings"] as? Int ?? 0) > 0)
        #expect(draft["case-draft"]?["externalResources"] as? Int == 0)

        // Sign over HTTP as the browser form does (cookie + CSRF token), then try to change it.
        let csrf = physician.csrfToken!
        func post(_ path: String, _ form: String) throws -> String {
            try curl(["-o", "/dev/null", "-w", "%{http_code}", "-b", "openbct_session=\(cookie)", "--data", form, "\(base)\(path)"])
        }
        #expect(try post("/cases/\(job)/report", "csrf=\(csrf)&action=sign&interpretation=Low+vertebral+strength.") == "303")
        #expect(try post("/cases/\(job)/report", "csrf=\(csrf)&action=save&interpretation=changed") == "409")
        #expect(try post("/cases/\(job)/addenda", "csrf=\(csrf)&text=Compared+with+prior+DXA.") == "303")
        let report = try #require(try await h.db.first("SELECT * FROM reports WHERE job_id = ?", job))
        #expect(report.string("status") == "signed" && report.string("interpretation") == "Low vertebral strength.")
        #expect(report.int("signed_by") == physician.id)

        // The FHIR DiagnosticReport, checked by an independent R4 model (fhir.resources R4B).
        let fhir = try curl(["-b", "openbct_session=\(cookie)", "\(base)/fhir/DiagnosticReport/\(job)"])
        let checked = try ExternalTool.python("fhir_r4_check.py", [fhir])
        #expect(checked.contains("DiagnosticReport amended 0554T"), "\(checked)")
        let billing = try curl(["-b", "openbct_session=\(cookie)", "\(base)/billing/export.csv"])
        #expect(billing.split(separator: "\r\n").count == 2 && billing.contains(",E2E1,PE2E,") && billing.contains(",0554T,"))

        let signed = try browser(base, cookie, shots, ["/cases/\(job)=case-signed"])
        #expect(signed["case-signed"]?["reportStatus"] as? String == "signed")
        #expect((signed["case-signed"]?["text"] as? String)?.contains("Compared with prior DXA.") == true)

        let views = try await h.db.first("SELECT COUNT(*) AS n FROM audit_log WHERE username = 'doc' AND action = 'view case' AND resource = ?", "case \(job)")
        #expect((views?.int("n") ?? 0) >= 2)
        #expect(!server.output.contains("PE2E"), "the application log names the patient")
        #expect(server.terminate() == 0, "serve did not stop on SIGTERM: \(server.output)")
        if let keep = ProcessInfo.processInfo.environment["OPENBCT_SCREENSHOTS"] {
            for name in ["worklist", "case-draft", "case-signed"] {
                let target = URL(fileURLWithPath: keep).appendingPathComponent("service-\(name).png")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: shots.appendingPathComponent("\(name).png"), to: target)
            }
        }
        try await h.close()
    }

    private func curl(_ arguments: [String]) throws -> String {
        let r = try ExternalTool.run("curl", ["-s", "--max-time", "30"] + arguments)
        guard r.status == 0 else { throw ServiceTestFailure("curl \(arguments.last ?? ""): exit \(r.status) \(r.stderr)") }
        return r.stdout
    }

    private func browser(_ base: String, _ cookie: String, _ folder: URL, _ pages: [String]) throws -> [String: [String: Any]] {
        guard ExternalTool.isAvailable("chromium") else { throw ServiceTestFailure("chromium is not installed (scripts/install-deps.sh)") }
        let out = try ExternalTool.python("service_browser.py", [base, cookie, folder.path] + pages)
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String: Any]] ?? [:]
    }
}
