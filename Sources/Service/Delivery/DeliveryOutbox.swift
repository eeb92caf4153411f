// The outbox of signed reports: one row per delivery (a signed report or an addendum, to the PACS or
// the FHIR server), written in the same transaction as the signature, so a report is never signed
// without its deliveries. Workers claim due rows like jobs (lease, `SKIP LOCKED`), send, and either
// mark them delivered or put them back with a later `next_attempt_at` (exponential backoff). A
// delivery is never dropped: a PACS that is down only delays it.

/// Where a delivery goes.
public enum DeliveryTarget: String, Sendable, CaseIterable {
    /// The configured PACS, by STOW-RS: Encapsulated PDF, SR and (on signing) SEG.
    case pacs
    /// The configured FHIR server: a transaction Bundle with the DiagnosticReport and its Observations.
    case fhir
}

/// One claimed delivery, as a worker sees it.
public struct ClaimedDelivery: Sendable {
    public var id: Int64
    public var reportID: Int64
    public var jobID: Int64
    public var target: DeliveryTarget
    /// 0: the signed report; otherwise the id of the addendum this delivery carries (with all before it).
    public var revision: Int64
    public var attempt: Int64
}

/// The outbox's operations. Every state change is one statement or one transaction.
public struct DeliveryOutbox: Sendable {
    let db: any SQLDatabase
    let leaseMilliseconds: Int64
    let retryBaseMilliseconds: Int64
    let retryMaxMilliseconds: Int64

    public init(db: any SQLDatabase, configuration: ServiceConfiguration.Delivery) {
        self.db = db
        leaseMilliseconds = Int64(configuration.leaseSeconds) * 1000
        retryBaseMilliseconds = Int64(configuration.retryBaseSeconds) * 1000
        retryMaxMilliseconds = Int64(configuration.retryMaxSeconds) * 1000
    }

    /// Statements that queue the deliveries of a just-signed report (revision 0), to run in the
    /// signing transaction. Only a signed report gets rows; a repeated call adds nothing.
    static func enqueueSigned(reportID: Int64, targets: [DeliveryTarget]) -> [SQLStatement] {
        let now = Timestamp.now()
        return targets.map { target in
            SQLStatement("""
                INSERT INTO deliveries (report_id, job_id, target, revision, status, next_attempt_at, created_at)
                SELECT id, job_id, ?, 0, 'pending', ?, ? FROM reports WHERE id = ? AND status = 'signed'
                ON CONFLICT (report_id, target, revision) DO NOTHING
                """, [target.rawValue, now, now, reportID])
        }
    }

    /// Statements that queue the deliveries of the addendum just added to `reportID` (its newest), to
    /// run in the transaction that inserts it.
    static func enqueueAddendum(reportID: Int64, targets: [DeliveryTarget]) -> [SQLStatement] {
        let now = Timestamp.now()
        return targets.map { target in
            SQLStatement("""
                INSERT INTO deliveries (report_id, job_id, target, revision, status, next_attempt_at, created_at)
                SELECT r.id, r.job_id, ?, a.id, 'pending', ?, ? FROM reports r
                JOIN addenda a ON a.id = (SELECT MAX(id) FROM addenda WHERE report_id = r.id)
                WHERE r.id = ? AND r.status = 'signed'
                ON CONFLICT (report_id, target, revision) DO NOTHING
                """, [target.rawValue, now, now, reportID])
        }
    }

    /// Claims the oldest due delivery: a pending one whose retry time has come, or one whose sender's
    /// lease ran out (it died mid-send). Two workers never get the same row.
    public func claim(worker: String) async throws -> ClaimedDelivery? {
        let now = Timestamp.now()
        let rows = try await db.execute("""
            UPDATE deliveries SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1
            WHERE id = (
                SELECT id FROM deliveries
                WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?)
                ORDER BY next_attempt_at, id LIMIT 1 {skip_locked})
            RETURNING id, report_id, job_id, target, revision, attempts
            """, worker, now + leaseMilliseconds, now, now)
        guard let row = rows.first, let id = row.int("id"), let report = row.int("report_id"), let job = row.int("job_id"),
              let target = row.string("target").flatMap(DeliveryTarget.init(rawValue:)) else { return nil }
        return ClaimedDelivery(id: id, reportID: report, jobID: job, target: target, revision: row.int("revision") ?? 0,
                               attempt: row.int("attempts") ?? 1)
    }

    /// Marks a claimed delivery done; `detail` says what the receiver holds (e.g. the SOP Instance UIDs).
    public func delivered(_ delivery: ClaimedDelivery, worker: String, detail: String) async throws {
        try await db.execute("""
            UPDATE deliveries SET status = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL,
                last_error = NULL, detail = ?
            WHERE id = ? AND lease_owner = ? AND status = 'sending'
            """, Timestamp.now(), detail, delivery.id, worker)
    }

    /// Puts a failed delivery back for a later attempt: base · 2^(attempt−1), capped. Never dropped.
    public func retryLater(_ delivery: ClaimedDelivery, worker: String, error: String) async throws {
        try await db.execute("""
            UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?
            WHERE id = ? AND lease_owner = ? AND status = 'sending'
            """, Timestamp.now() + backoffMilliseconds(attempt: delivery.attempt), String(error.prefix(2000)), delivery.id, worker)
    }

    /// The wait before the attempt after `attempt`.
    func backoffMilliseconds(attempt: Int64) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 30)
        return min(retryBaseMilliseconds << doublings, retryMaxMilliseconds)
    }

    /// A case's deliveries, in order (case page, API).
    public func deliveries(jobID: Int64) async throws -> [SQLRow] {
        try await db.execute("""
            SELECT id, target, revision, status, attempts, next_attempt_at, last_error, detail, created_at, delivered_at
            FROM deliveries WHERE job_id = ? ORDER BY revision, target
            """, jobID)
    }

    /// Counts by status (for /metrics).
    public func countsByStatus() async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try await db.execute("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status") {
            if let status = row.string("status") { counts[status] = row.int("n") ?? 0 }
        }
        return counts
    }
}
