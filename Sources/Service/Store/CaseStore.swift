// Cases as physicians see them: a job with its study, order, result, report and addenda; the
// worklist; and the report's life: draft → signed (immutable; later text only as addenda) or rejected.
import Foundation
import OpenBCTCore

/// Reads cases and changes reports.
public struct CaseStore: Sendable {
    let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// Worklist rows, newest first, with optional filters on job status, report status and accession;
    /// each with its order's workflow status (`order_status`, see `OrderStatus`).
    public func worklist(jobStatus: String? = nil, reportStatus: String? = nil, accession: String? = nil, limit: Int = 200) async throws -> [SQLRow] {
        var sql = """
            SELECT j.id AS job_id, j.status AS job_status, j.progress, j.attempts, j.created_at, j.finished_at,
                   r.id AS report_id, r.status AS report_status, r.signed_at,
                   o.accession_number, o.patient_id, o.patient_name, o.sites, s.instance_count,
                   \(OrderStatus.sql) AS order_status
            FROM jobs j JOIN studies s ON s.id = j.study_id
            LEFT JOIN orders o ON o.id = j.order_id
            LEFT JOIN reports r ON r.job_id = j.id
            \(OrderStatus.newestCase)
            WHERE 1 = 1
            """
        var binds: [any SQLValueConvertible] = []
        if let jobStatus, !jobStatus.isEmpty { sql += " AND j.status = ?"; binds.append(jobStatus) }
        if let reportStatus, !reportStatus.isEmpty { sql += " AND r.status = ?"; binds.append(reportStatus) }
        if let accession, !accession.isEmpty { sql += " AND o.accession_number = ?"; binds.append(accession) }
        sql += " ORDER BY j.id DESC LIMIT ?"
        binds.append(limit)
        return try await db.execute(SQLStatement(sql, binds))
    }

    /// One case: the job joined with everything about it; nil if no such job.
    public func caseRow(jobID: Int64) async throws -> SQLRow? {
        try await db.first("""
            SELECT j.id AS job_id, j.status AS job_status, j.progress, j.attempts, j.error, j.overrides,
                   j.study_id, j.created_at, j.finished_at,
                   r.id AS report_id, r.status AS report_status, r.interpretation, r.signed_at,
                   u.display_name AS signer, u.npi AS signer_npi, res.document, res.folder,
                   o.id AS order_id, o.accession_number, o.patient_id, o.patient_name, o.patient_birth_date,
                   o.indications, o.ordering_provider_name, o.ordering_provider_npi, o.ordering_provider_taxonomy, o.sites,
                   s.study_instance_uid, s.instance_count, \(OrderStatus.sql) AS order_status
            FROM jobs j JOIN studies s ON s.id = j.study_id
            LEFT JOIN orders o ON o.id = j.order_id
            LEFT JOIN reports r ON r.job_id = j.id
            LEFT JOIN users u ON u.id = r.signed_by
            LEFT JOIN results res ON res.job_id = j.id
            \(OrderStatus.newestCase)
            WHERE j.id = ?
            """, jobID)
    }

    public func addenda(reportID: Int64) async throws -> [SQLRow] {
        try await db.execute("""
            SELECT a.text, a.signed_at, u.display_name AS signer FROM addenda a JOIN users u ON u.id = a.signed_by
            WHERE a.report_id = ? ORDER BY a.id
            """, reportID)
    }

    /// Saves the draft interpretation. False when the report is no longer a draft (signed text never changes).
    public func saveInterpretation(reportID: Int64, text: String) async throws -> Bool {
        !(try await db.execute("UPDATE reports SET interpretation = ? WHERE id = ? AND status = 'draft' RETURNING id", text, reportID)).isEmpty
    }

    /// Signs a draft with its final text. False when it was not a draft (already signed or rejected).
    /// `alsoRun` (the report's outbox rows) commits in the same transaction: never a signature without them.
    public func sign(reportID: Int64, text: String, by user: AuthenticatedUser, alsoRun: [SQLStatement] = []) async throws -> Bool {
        let results = try await db.transaction([SQLStatement("""
            UPDATE reports SET interpretation = ?, status = 'signed', signed_by = ?, signed_at = ?
            WHERE id = ? AND status = 'draft' RETURNING id
            """, [text, user.id, Timestamp.now(), reportID])] + alsoRun)
        return !(results.first ?? []).isEmpty
    }

    /// Adds an addendum to a signed report. False when the report is not signed. `alsoRun` commits
    /// in the same transaction.
    public func addAddendum(reportID: Int64, text: String, by user: AuthenticatedUser, alsoRun: [SQLStatement] = []) async throws -> Bool {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw InputError(location: "addendum", "empty") }
        let results = try await db.transaction([SQLStatement("""
            INSERT INTO addenda (report_id, text, signed_by, signed_at)
            SELECT id, ?, ?, ? FROM reports WHERE id = ? AND status = 'signed' RETURNING id
            """, [text, user.id, Timestamp.now(), reportID])] + alsoRun)
        return !(results.first ?? []).isEmpty
    }

    /// Stores the billing summary of a signed report (once: a repeated call keeps the first).
    public func storeBillingSummary(reportID: Int64, json: String) async throws {
        try await db.execute("INSERT INTO billing_summaries (report_id, summary, created_at) VALUES (?, ?, ?) ON CONFLICT (report_id) DO NOTHING",
                             reportID, json, Timestamp.now())
    }

    /// Every stored billing summary (JSON), oldest first.
    public func billingSummaries() async throws -> [String] {
        try await db.execute("SELECT summary FROM billing_summaries ORDER BY report_id").compactMap { $0.string("summary") }
    }

    /// Rejects a draft (the analysis is not fit to sign). False when it was not a draft.
    public func reject(reportID: Int64, reason: String) async throws -> Bool {
        !(try await db.execute("UPDATE reports SET status = 'rejected', interpretation = ? WHERE id = ? AND status = 'draft' RETURNING id",
                               "Rejected: " + reason, reportID)).isEmpty
    }
}
