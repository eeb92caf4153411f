// The outbox's SQL on both engines: rows written with the signature and with each addendum (one per
// target and revision, never twice), exclusive claims, retry times, nothing claimable before it is due.
import Foundation
@testable import Service
import TestSupport
import Testing

enum OutboxChecks {
    /// A harness whose PACS and FHIR server do not answer (a closed loopback port).
    static func unreachableTargets(_ c: inout ServiceConfiguration, port: Int) {
        c.pacs = .init(url: "http://127.0.0.1:\(port)/dicom-web")
        c.fhir = .init(url: "http://127.0.0.1:\(port)/fhir")
        c.delivery.retryBaseSeconds = 60
        c.delivery.requestTimeoutSeconds = 5
    }

    static func rowsAndClaims(_ h: ServiceHarness) async throws {
        let finished = try await SignedReportFixture.finishedCase(h)
        let physician = try await h.signedIn(.physician)
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            let review = ReviewActions(client: client, physician: physician)
            try await review.sign(job: finished.job, text: "Signed.")
            try await review.addendum(job: finished.job, text: "First addendum.")
        }
        // A repeated enqueue (e.g. a retried transaction) adds nothing.
        _ = try await h.db.transaction(DeliveryOutbox.enqueueSigned(reportID: finished.report, targets: [.pacs, .fhir]))
        let rows = try await h.env.deliveries.deliveries(jobID: finished.job)
        let addendum = try #require(try await h.db.first("SELECT id FROM addenda WHERE report_id = ?", finished.report)?.int("id"))
        #expect(rows.map { "\($0.string("target") ?? "")@\($0.int("revision") ?? -1)" }.sorted()
                == ["fhir@0", "fhir@\(addendum)", "pacs@0", "pacs@\(addendum)"])

        // Six concurrent claimers, four due rows: four distinct claims.
        let outbox = h.env.deliveries
        let claimed = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for i in 0..<6 { group.addTask { try await outbox.claim(worker: "claimer-\(i)")?.id } }
            return try await group.reduce(into: [Int64]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(claimed.count == 4 && Set(claimed).count == 4)
        #expect(try await outbox.claim(worker: "late") == nil)

        // A failed attempt goes back with its retry time and the error; it is not due before then.
        let row = try #require(try await h.db.first("SELECT id, lease_owner FROM deliveries WHERE target = 'pacs' AND revision = 0"))
        let delivery = ClaimedDelivery(id: row.int("id")!, reportID: finished.report, jobID: finished.job, target: .pacs, revision: 0, attempt: 1)
        let before = Timestamp.now()
        try await outbox.retryLater(delivery, worker: row.string("lease_owner")!, error: "PACS down")
        let back = try #require(try await h.db.first("SELECT status, next_attempt_at, last_error FROM deliveries WHERE id = ?", delivery.id))
        #expect(back.string("status") == "pending" && back.string("last_error") == "PACS down")
        #expect((back.int("next_attempt_at") ?? 0) >= before + 60_000)
        #expect(try await outbox.claim(worker: "early") == nil)
    }
}

@Suite("Delivery outbox (SQLite)")
struct OutboxTests {
    @Test("rows written with the signature and each addendum; exclusive claims; retry time respected")
    func sqlite() async throws {
        let port = try OrthancServer.freePort()
        let h = try await ServiceHarness { OutboxChecks.unreachableTargets(&$0, port: port) }
        try await OutboxChecks.rowsAndClaims(h)
        try await h.close()
    }
}
