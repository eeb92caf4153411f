// The audit trail: every access to patient data, who, what, when and from where. Append-only.

/// Appends and reads audit rows.
public struct AuditLog: Sendable {
    let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// Records one access. `resource` names the object ("case 12", "order 3"), never its contents.
    public func record(user: AuthenticatedUser?, action: String, resource: String, remoteAddress: String?, outcome: String) async throws {
        try await db.execute("""
            INSERT INTO audit_log (at, user_id, username, action, resource, remote_address, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, Timestamp.now(), user?.id, user?.username, action, resource, remoteAddress, outcome)
    }

    /// The newest `limit` rows.
    public func recent(limit: Int = 200) async throws -> [SQLRow] {
        try await db.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", limit)
    }
}
