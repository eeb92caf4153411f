// PostgreSQL through postgres-nio: for several servers and worker processes on several machines.
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// A PostgreSQL database reached over TCP (or a Unix socket) through a postgres-nio connection pool.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgresql
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let logger = Logger(label: "openbct.postgres")

    /// Connects to `settings` (the pool opens connections lazily; the first statement waits for one).
    public init(_ settings: ServiceConfiguration.PostgreSQL) {
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user,
            password: settings.password, database: settings.database, tls: .disable)
        if settings.requireTLS { configuration.tls = .require(.makeClientConfiguration()) }
        configuration.options.maximumConnections = settings.maximumConnections
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runTask = Task { await client.run() }
    }

    public func execute(_ statement: SQLStatement) async throws -> [SQLRow] {
        let query = try makeQuery(statement)
        do {
            return try await Self.collect(client.query(query, logger: logger))
        } catch let error as PSQLError {
            throw SQLDatabaseError(Self.describe(error), sql: query.sql)
        }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        let queries = try statements.map(makeQuery)
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var results: [[SQLRow]] = []
                for query in queries {
                    results.append(try await Self.collect(connection.query(query, logger: logger)))
                }
                return results
            }
        } catch let error as PostgresTransactionError {
            throw SQLDatabaseError("transaction failed: \(error.closureError.map { "\($0)" } ?? Self.describe(error.beginError ?? error.commitError ?? error.rollbackError))")
        } catch let error as PSQLError {
            throw SQLDatabaseError(Self.describe(error))
        }
    }

    public func close() async throws {
        runTask.cancel()
        await runTask.value
    }

    private func makeQuery(_ statement: SQLStatement) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: statement.binds.count)
        for value in statement.binds {
            switch value {
            case .null: binds.appendNull()
            case .int(let v): binds.append(v)
            case .double(let v): binds.append(v)
            case .text(let v): binds.append(v)
            case .blob(let v): binds.append(ByteBuffer(bytes: v))
            }
        }
        return PostgresQuery(unsafeSQL: dialect.render(statement.sql), binds: binds)
    }

    private static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in rows {
            var values: [String: SQLValue] = [:]
            for cell in row { values[cell.columnName.lowercased()] = try sqlValue(cell) }
            result.append(SQLRow(values))
        }
        return result
    }

    private static func sqlValue(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2: return .int(Int64(try cell.decode(Int16.self)))
        case .int4: return .int(Int64(try cell.decode(Int32.self)))
        case .int8: return .int(try cell.decode(Int64.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
        default: return .text(try cell.decode(String.self))
        }
    }

    /// The server's message without the query's bind values.
    private static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "unknown PostgreSQL error" }
        if let psql = error as? PSQLError, let info = psql.serverInfo, let message = info[.message] {
            return "PostgreSQL: \(message)"
        }
        return "PostgreSQL: \(String(reflecting: error).prefix(300))"
    }
}
