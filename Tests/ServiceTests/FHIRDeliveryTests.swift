// The signed DiagnosticReport to a FHIR server through the outbox. No FHIR server is installed here, so
// the receiver is a small HTTP endpoint in the test that records what it is sent; what is sent is
// checked by fhir.resources' R4B models (Python), which nobody here wrote.
import Foundation
import Hummingbird
@testable import Service
import Testing
import TestSupport

/// What the test FHIR endpoint received; it answers 503 to the first `failFirst` requests.
actor FHIRInbox {
    var bodies: [Data] = []
    var running = false
    var failFirst: Int
    init(failFirst: Int) { self.failFirst = failFirst }
    func receive(_ body: Data) -> Bool {
        if failFirst > 0 { failFirst -= 1; return false }
        bodies.append(body)
        return true
    }
    func started() { running = true }
}

@Suite("Signed reports to a FHIR server", .serialized)
struct FHIRDeliveryTests {
    @Test("sign → a transaction Bundle of PUTs (stable ids) is POSTed, valid R4; a 503 is retried; an addendum updates the same DiagnosticReport as amended")
    func fhirDelivery() async throws {
        let port = try OrthancServer.freePort()
        let inbox = FHIRInbox(failFirst: 1)
        let router = Router()
        router.post("/fhir") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            let accepted = await inbox.receive(Data(String(buffer: body).utf8))
            return Response(status: accepted ? .ok : .serviceUnavailable,
                            headers: [.contentType: "application/fhir+json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"resourceType":"Bundle","type":"transaction-response"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { _ in await inbox.started() })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        while await !inbox.running { try await Task.sleep(for: .milliseconds(50)) }

        let h = try await ServiceHarness {
            $0.fhir = .init(url: "http://127.0.0.1:\(port)/fhir", username: "ehr", password: "ehr-secret")
            $0.delivery.retryBaseSeconds = 1
        }
        let finished = try await SignedReportFixture.finishedCase(h)
        let physician = try await h.signedIn(.physician)
        let worker = DeliveryWorker(name: "test-fhir", db: h.db, configuration: h.configuration)
        let interpretation = "Reduced femoral strength; spine not assessed."
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            let review = ReviewActions(client: client, physician: physician)
            try await review.sign(job: finished.job, text: interpretation)
            #expect(try await worker.runOnce()?.delivered == false, "the first POST is answered 503")
            let failed = try #require(try await h.env.deliveries.deliveries(jobID: finished.job).first)
            #expect(failed.string("target") == "fhir" && failed.string("last_error")?.contains("HTTP 503") == true)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await worker.runOnce()?.delivered == true)
            try await review.addendum(job: finished.job, text: "Addendum: calcium and vitamin D levels normal.")
            #expect(try await worker.runOnce()?.delivered == true)
        }
        let bodies = await inbox.bodies
        #expect(bodies.count == 2)
        var idSets: [Set<String>] = []
        for (i, body) in bodies.enumerated() {
            let file = h.folder.appendingPathComponent("fhir-\(i).json")
            try body.write(to: file)
            let checked = try JSONSerialization.jsonObject(with: Data(try ExternalTool.python("fhir_bundle_check.py", [file.path]).utf8)) as? [String: Any]
            #expect(checked?["type"] as? String == "transaction")
            let bundle = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let entries = try #require(bundle["entry"] as? [[String: Any]])
            var ids = Set<String>()
            for entry in entries {
                let resource = try #require(entry["resource"] as? [String: Any])
                let request = try #require(entry["request"] as? [String: Any])
                let type = resource["resourceType"] as? String ?? "", id = resource["id"] as? String ?? ""
                #expect(request["method"] as? String == "PUT" && request["url"] as? String == "\(type)/\(id)")
                #expect(id.range(of: "^[A-Za-z0-9.-]{1,64}$", options: .regularExpression) != nil, "FHIR id '\(id)'")
                ids.insert("\(type)/\(id)")
            }
            idSets.append(ids)
            let report = try #require(entries.compactMap { $0["resource"] as? [String: Any] }.first { $0["resourceType"] as? String == "DiagnosticReport" })
            #expect(report["id"] as? String == "openbct-\(finished.job)", "the id GET /fhir/DiagnosticReport/<case> serves")
            #expect(report["status"] as? String == (i == 0 ? "final" : "amended"))
            let conclusion = report["conclusion"] as? String ?? ""
            #expect(conclusion.contains(interpretation))
            #expect(conclusion.contains("calcium and vitamin D") == (i == 1))
        }
        #expect(idSets.count == 2 && idSets[0] == idSets[1], "the addendum updates the same resources")
        try await h.close()
    }
}
