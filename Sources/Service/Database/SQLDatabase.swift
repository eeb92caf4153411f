// The database boundary: the service's stores speak only this, never GRDB or postgres-nio directly.

/// A SQL database the service stores everything in: SQLite (embedded, the default) or PostgreSQL
/// (shared by several servers and worker processes). Statements are dialect-neutral (`SQLDialect`).
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement; returns its rows (a `RETURNING` clause or a `SELECT`), else none.
    func execute(_ statement: SQLStatement) async throws -> [SQLRow]
    /// Runs `statements` in one transaction: all or none. Returns each statement's rows.
    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]]
    /// Releases connections.
    func close() async throws
}

extension SQLDatabase {
    /// Runs one statement given as SQL text and bind values.
    @discardableResult
    public func execute(_ sql: String, _ binds: any SQLValueConvertible...) async throws -> [SQLRow] {
        try await execute(SQLStatement(sql, binds))
    }

    /// The first row of a query, if any.
    public func first(_ sql: String, _ binds: any SQLValueConvertible...) async throws -> SQLRow? {
        try await execute(SQLStatement(sql, binds)).first
    }
}

/// A database failure, with the statement that failed (no bind values: they may hold patient data).
public struct SQLDatabaseError: Error, CustomStringConvertible {
    public var message: String
    public var sql: String?
    public init(_ message: String, sql: String? = nil) { self.message = message; self.sql = sql }
    public var description: String { sql.map { "\(message) (in: \($0.prefix(200)))" } ?? message }
}
