// The same checks against PostgreSQL (Debian's `postgresql`, started here as the `postgres` user on
// a test port): migrations, exclusive claims with FOR UPDATE SKIP LOCKED, lease recovery, access
// control, the delivery outbox, and two real worker processes with a kill -9.
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("Service on PostgreSQL", .serialized)
struct PostgresTests {
    @Test("Migrations, queue, access control and two worker processes with kill -9, on PostgreSQL",
          .enabled(if: PostgresTestServer.isUsable, "needs Debian's postgresql and root (to run it as postgres)"))
    func postgres() async throws {
        let server = try PostgresTestServer(port: 55432 + Int(getpid() % 1000))
        defer { server.stop() }

        let m = try await ServiceHarness(postgres: server.database("migrations"))
        #expect(try await Schema.currentVersion(m.db) == Schema.latestVersion)
        #expect(try await Schema.migrate(m.db) == [])
        try await m.close()

        let claims = try await ServiceHarness(postgres: server.database("claims"))
        try await QueueChecks.exclusiveClaims(claims)
        try await claims.close()

        let lease = try await ServiceHarness(postgres: server.database("lease"))
        try await QueueChecks.leaseRecovery(lease)
        try await QueueChecks.failures(lease)
        try await lease.close()

        let orders = try await ServiceHarness(postgres: server.database("orders"))
        let (tech, _) = try await orders.signedIn(.technologist)
        let id = try await orders.env.orders.create(ServiceHarness.order(accession: "PG1", patientID: "P1"), by: tech)
        #expect(try await orders.env.orders.order(id)?.string("indications") == "M81.0,R29.6")
        try await orders.close()

        let outboxPort = try OrthancServer.freePort()
        let outbox = try await ServiceHarness(postgres: server.database("outbox")) { OutboxChecks.unreachableTargets(&$0, port: outboxPort) }
        try await OutboxChecks.rowsAndClaims(outbox)
        try await outbox.close()

        if TestPaths.openbctBinary != nil {
            let workers = try await ServiceHarness(postgres: server.database("workers"))
            try await WorkerChecks.killAndRecover(workers, jobCount: 4, workerCount: 2)
            try await workers.close()
        }
    }
}
