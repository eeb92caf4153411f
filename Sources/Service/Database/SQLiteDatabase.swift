// SQLite through GRDB: the embedded default. WAL mode, so readers never wait for the writer, and a
// busy timeout, so several processes (server + `openbct worker`s on one machine) share one file.
import Foundation
import GRDB

/// An SQLite database file opened with GRDB.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let pool: DatabasePool

    /// Opens (creating if needed) the database at `path`.
    public init(path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        // Another process holding the write lock: wait for it rather than fail at once.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func execute(_ statement: SQLStatement) async throws -> [SQLRow] {
        let sql = dialect.render(statement.sql)
        let binds = statement.binds
        do {
            return try await pool.write { db in try Self.run(db, sql, binds) }
        } catch let error as GRDB.DatabaseError {
            throw SQLDatabaseError(error.message ?? "\(error.resultCode)", sql: sql)
        }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        let rendered = statements.map { (dialect.render($0.sql), $0.binds) }
        do {
            // `write` wraps its closure in one IMMEDIATE transaction: the single writer for its duration.
            return try await pool.write { db in try rendered.map { try Self.run(db, $0.0, $0.1) } }
        } catch let error as GRDB.DatabaseError {
            throw SQLDatabaseError(error.message ?? "\(error.resultCode)", sql: error.sql)
        }
    }

    public func close() async throws { try pool.close() }

    private static func run(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.makeStatement(sql: sql)
        let arguments = StatementArguments(binds.map(Self.databaseValue))
        if statement.columnCount == 0 {
            try statement.execute(arguments: arguments)
            return []
        }
        return try Row.fetchAll(statement, arguments: arguments).map { row in
            var values: [String: SQLValue] = [:]
            for (name, value) in zip(row.columnNames, row.databaseValues) {
                values[name.lowercased()] = Self.sqlValue(value)
            }
            return SQLRow(values)
        }
    }

    private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .int(let v): v.databaseValue
        case .double(let v): v.databaseValue
        case .text(let v): v.databaseValue
        case .blob(let v): Data(v).databaseValue
        }
    }

    private static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let v): .int(v)
        case .double(let v): .double(v)
        case .string(let v): .text(v)
        case .blob(let v): .blob([UInt8](v))
        }
    }
}
