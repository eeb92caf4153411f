// Real worker processes: a worker killed with SIGKILL mid-job; after restart every job completes
// with exactly one result and one report; SIGTERM stops a worker gracefully. Shared by the SQLite
// and PostgreSQL suites.
import Foundation
@testable import Service
import Testing
import TestSupport

enum WorkerChecks {
    /// `jobCount` jobs, `workerCount` worker processes; one is killed -9 while its job runs.
    static func killAndRecover(_ h: ServiceHarness, jobCount: Int, workerCount: Int) async throws {
        let config = try h.writeConfiguration()
        var jobIDs: [Int64] = []
        for i in 0..<jobCount {
            let (study, order) = try await h.studyWithOrder(accession: "K\(i)", patientID: "PK\(i)")
            jobIDs.append(try #require(try await h.env.jobs.enqueue(studyID: study, orderID: order, requestKey: "kill:\(i)")))
        }
        let env = ["STANDIN_SECONDS": "4"]
        var workers = try (0..<workerCount).map { i in
            try ServiceProcess(["worker", "--config", config.path], folder: h.folder, environment: env, label: "worker\(i)")
        }
        // Wait until the first job is running under the first worker, then kill that worker.
        let victim = workers[0]
        let victimName = ":\(victim.pid):"
        let running = try await waitUntil(30) {
            try await h.db.first("SELECT id FROM jobs WHERE status = 'running' AND lease_owner LIKE ?", "%\(victimName)%") != nil
        }
        #expect(running, "no job started under worker \(victim.pid): \(victim.output)")
        victim.kill9()
        // Read after the kill: on a loaded machine the victim may have finished a job between the check above
        // and the signal; the job it died in is the one still running under its name.
        let killedJob = try await h.db.first("SELECT id FROM jobs WHERE status = 'running' AND lease_owner LIKE ?", "%\(victimName)%")?.int("id")
        #expect(killedJob != nil, "the victim held no running job when killed")
        workers[0] = try ServiceProcess(["worker", "--config", config.path], folder: h.folder, environment: env, label: "worker-restarted")

        let done = try await waitUntil(90) {
            try await h.db.first("SELECT COUNT(*) AS n FROM jobs WHERE status = 'succeeded'")?.int("n") == Int64(jobCount)
        }
        let jobs = try await h.db.execute("SELECT id, status, attempts, error FROM jobs").map(\.values)
        #expect(done, "jobs: \(jobs)")
        for id in jobIDs {
            #expect(try await h.db.first("SELECT COUNT(*) AS n FROM results WHERE job_id = ?", id)?.int("n") == 1)
            #expect(try await h.db.first("SELECT COUNT(*) AS n FROM reports WHERE job_id = ?", id)?.int("n") == 1)
        }
        if let killedJob {
            // The killed job ran again: a second attempt, in its own folder.
            #expect((try await h.env.jobs.job(killedJob)?.int("attempts") ?? 0) >= 2)
        }
        for worker in workers {
            #expect(worker.terminate() == 0, "worker did not stop on SIGTERM: \(worker.output)")
        }
    }
}

@Suite("Service worker processes (SQLite)", .serialized)
struct WorkerProcessTests {
    @Test("kill -9 of a real openbct worker mid-job: after restart the job completes with exactly one report",
          .enabled(if: TestPaths.openbctBinary != nil, "needs the openbct binary"))
    func killNine() async throws {
        let h = try await ServiceHarness()
        try await WorkerChecks.killAndRecover(h, jobCount: 2, workerCount: 1)
        try await h.close()
    }
}
