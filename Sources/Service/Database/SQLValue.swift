// The values and rows that cross the database boundary, the same for SQLite and PostgreSQL.
import Foundation

/// One SQL value. Integers are 64-bit everywhere (the schema declares BIGINT), booleans are 0/1.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .text(let v): "'\(v)'"
        case .blob(let v): "<\(v.count) bytes>"
        }
    }
}

/// Conversions so call sites can pass plain Swift values as bind parameters.
public protocol SQLValueConvertible: Sendable { var sqlValue: SQLValue { get } }
extension Int: SQLValueConvertible { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLValueConvertible { public var sqlValue: SQLValue { .int(self) } }
extension Double: SQLValueConvertible { public var sqlValue: SQLValue { .double(self) } }
extension String: SQLValueConvertible { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLValueConvertible { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension SQLValue: SQLValueConvertible { public var sqlValue: SQLValue { self } }
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row: column name (lower case, as both databases report unquoted names) → value.
public struct SQLRow: Sendable {
    public var values: [String: SQLValue]

    public init(_ values: [String: SQLValue]) { self.values = values }

    public subscript(_ column: String) -> SQLValue { values[column] ?? .null }

    public func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let v): v
        case .double(let v): Int64(v)
        case .text(let s): Int64(s)
        default: nil
        }
    }

    public func string(_ column: String) -> String? {
        switch self[column] {
        case .text(let s): s
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .blob(let b): String(decoding: b, as: UTF8.self)
        case .null: nil
        }
    }

    public func bool(_ column: String) -> Bool { (int(column) ?? 0) != 0 }
}

/// One statement with its bind parameters (`?` placeholders, in order).
public struct SQLStatement: Sendable {
    public var sql: String
    public var binds: [SQLValue]
    public init(_ sql: String, _ binds: [any SQLValueConvertible] = []) {
        self.sql = sql; self.binds = binds.map(\.sqlValue)
    }
}
