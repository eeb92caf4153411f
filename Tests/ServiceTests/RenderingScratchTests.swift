// The private folders signed reports are rendered in before they are renamed into place
// (`deliveries/report-<id>/.rendering-<uuid>`): a rendering that fails removes its own, and the folders
// of workers that died mid-render are swept by the delivery loop once they are older than a lease.
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("Rendering scratch folders")
struct RenderingScratchTests {
    static func scratchFolders(_ h: ServiceHarness, report: Int64) throws -> [String] {
        let folder = h.folder.appendingPathComponent("deliveries/report-\(report)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".rendering-") }
    }

    @Test("A rendering that fails (figure altered after the analysis) leaves no scratch folder and no revision")
    func failedRendering() async throws {
        let port = try OrthancServer.freePort()
        let h = try await ServiceHarness { OutboxChecks.unreachableTargets(&$0, port: port) }
        let finished = try await SignedReportFixture.finishedCase(h)
        let physician = try await h.signedIn(.physician)
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await ReviewActions(client: client, physician: physician).sign(job: finished.job, text: "Signed.")
        }
        // The label map no longer has the document's SHA-256: Reporting refuses it mid-rendering.
        let resultFolder = try #require(try await h.db.first("SELECT folder FROM results WHERE job_id = ?", finished.job)?.string("folder"))
        let labels = try FileHandle(forWritingTo: URL(fileURLWithPath: resultFolder).appendingPathComponent("labels.nii.gz"))
        try labels.seekToEnd()
        try labels.write(contentsOf: Data([0]))
        try labels.close()

        let worker = DeliveryWorker(name: "d1", db: h.db, configuration: h.configuration)
        let outcome = try #require(try await worker.runOnce())
        #expect(outcome.delivered == false)
        let error = try await h.db.first("SELECT last_error FROM deliveries WHERE id = ?", outcome.id)?.string("last_error") ?? ""
        #expect(error.contains("sha256"), "\(error)")
        #expect(try Self.scratchFolders(h, report: finished.report).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: h.folder.appendingPathComponent("deliveries/report-\(finished.report)/revision-0").path))
        try await h.close()
    }

    @Test("The delivery loop removes scratch folders older than a lease (a dead worker's), not a live one's")
    func abandonedSwept() async throws {
        let h = try await ServiceHarness { $0.delivery.leaseSeconds = 300 }
        let report = h.folder.appendingPathComponent("deliveries/report-7")
        let dead = report.appendingPathComponent(".rendering-dead"), live = report.appendingPathComponent(".rendering-live")
        let done = report.appendingPathComponent("revision-0")
        for folder in [dead, live, done] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: folder.appendingPathComponent("report.pdf"))
        }
        // Killed 10 minutes ago mid-render: its folder stopped changing then.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: dead.path)

        let loop = Task { await DeliveryWorker(name: "d1", db: h.db, configuration: h.configuration).run() }
        let swept = try await waitUntil(10) { !FileManager.default.fileExists(atPath: dead.path) }
        loop.cancel()
        await loop.value
        #expect(swept)
        #expect(FileManager.default.fileExists(atPath: live.path) && FileManager.default.fileExists(atPath: done.path))
        try await h.close()
    }
}
