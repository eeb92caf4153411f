// The durable job queue. Workers in the server and `openbct worker` processes on any machine that
// shares the database claim jobs with one atomic statement, hold them by a lease they renew
// (heartbeat), and finish them idempotently. A worker that dies (crash, OOM, kill -9) stops renewing;
// when its lease runs out the job is claimable again.

/// One claimed job, as a worker sees it.
public struct ClaimedJob: Sendable {
    public var id: Int64
    public var studyID: Int64
    public var attempt: Int64
    public var overrides: String?
}

/// The queue's operations. Every state change is one statement or one transaction.
public struct JobQueue: Sendable {
    let db: any SQLDatabase
    public let leaseMilliseconds: Int64
    public let maxAttempts: Int

    public init(db: any SQLDatabase, leaseSeconds: Int, maxAttempts: Int) {
        self.db = db; self.leaseMilliseconds = Int64(leaseSeconds) * 1000; self.maxAttempts = maxAttempts
    }

    /// Queues an analysis of `studyID`. `requestKey` makes it idempotent: the same key (the intake of
    /// a study, one re-run request) never yields a second job. Returns the job's id.
    @discardableResult
    public func enqueue(studyID: Int64, orderID: Int64?, requestKey: String, overrides: String? = nil) async throws -> Int64? {
        try await db.execute("""
            INSERT INTO jobs (study_id, order_id, request_key, status, overrides, max_attempts, created_at)
            VALUES (?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (request_key) DO NOTHING
            """, studyID, orderID, requestKey, overrides, maxAttempts, Timestamp.now())
        return try await db.first("SELECT id FROM jobs WHERE request_key = ?", requestKey)?.int("id")
    }

    /// Claims the oldest claimable job for `worker`: a queued one, or a running one whose lease ran
    /// out (its worker died). One statement: on PostgreSQL the inner SELECT locks the row and skips rows
    /// other claimers hold (`FOR UPDATE SKIP LOCKED`); on SQLite the statement holds the single writer
    /// lock. Either way two workers never get the same job.
    public func claim(worker: String) async throws -> ClaimedJob? {
        let now = Timestamp.now()
        // Jobs whose lease expired after the last allowed attempt are failed, not re-run forever.
        try await db.execute("""
            UPDATE jobs SET status = 'failed', finished_at = ?, lease_owner = NULL,
                error = COALESCE(error, 'worker lost (lease expired) on the last allowed attempt')
            WHERE status = 'running' AND lease_until < ? AND attempts >= max_attempts
            """, now, now)
        let rows = try await db.execute("""
            UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1,
                started_at = ?, progress = 'claimed'
            WHERE id = (
                SELECT id FROM jobs
                WHERE status = 'queued' OR (status = 'running' AND lease_until < ? AND attempts < max_attempts)
                ORDER BY id LIMIT 1 {skip_locked})
            RETURNING id, study_id, attempts, overrides
            """, worker, now + leaseMilliseconds, now, now)
        guard let row = rows.first, let id = row.int("id"), let study = row.int("study_id") else { return nil }
        return ClaimedJob(id: id, studyID: study, attempt: row.int("attempts") ?? 1, overrides: row.string("overrides"))
    }

    /// Renews the lease and records progress. False when the job is no longer this worker's (its lease
    /// ran out and another worker took it): the caller must abandon it.
    public func heartbeat(jobID: Int64, worker: String, progress: String) async throws -> Bool {
        let rows = try await db.execute("""
            UPDATE jobs SET lease_until = ?, progress = ? WHERE id = ? AND lease_owner = ? AND status = 'running'
            RETURNING id
            """, Timestamp.now() + leaseMilliseconds, String(progress.prefix(500)), jobID, worker)
        return !rows.isEmpty
    }

    /// Stores the result and the draft report and marks the job done, in one transaction. Idempotent:
    /// `results` and `reports` are keyed by job, so a second completion (a worker that lost its lease
    /// but finished anyway) adds nothing: exactly one result and one report per job.
    public func complete(jobID: Int64, worker: String, document: String, folder: String) async throws {
        let now = Timestamp.now()
        _ = try await db.transaction([
            SQLStatement("""
                INSERT INTO results (job_id, document, folder, worker, stored_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_id) DO NOTHING
                """, [jobID, document, folder, worker, now]),
            SQLStatement("""
                INSERT INTO reports (job_id, status, created_at) VALUES (?, 'draft', ?) ON CONFLICT (job_id) DO NOTHING
                """, [jobID, now]),
            SQLStatement("""
                UPDATE jobs SET status = 'succeeded', finished_at = ?, progress = 'done', lease_owner = NULL, error = NULL
                WHERE id = ? AND status <> 'succeeded'
                """, [now, jobID]),
        ])
    }

    /// Records a failed attempt: back to the queue while attempts remain, else failed.
    public func fail(jobID: Int64, worker: String, error: String) async throws {
        try await db.execute("""
            UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                error = ?, lease_owner = NULL, lease_until = NULL,
                finished_at = CASE WHEN attempts >= max_attempts THEN ? ELSE NULL END
            WHERE id = ? AND lease_owner = ? AND status = 'running'
            """, String(error.prefix(2000)), Timestamp.now(), jobID, worker)
    }

    /// One job's row.
    public func job(_ id: Int64) async throws -> SQLRow? {
        try await db.first("SELECT * FROM jobs WHERE id = ?", id)
    }

    /// Counts by status (for /metrics).
    public func countsByStatus() async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try await db.execute("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status") {
            if let status = row.string("status") { counts[status] = row.int("n") ?? 0 }
        }
        return counts
    }
}
