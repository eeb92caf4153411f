// The only places SQLite and PostgreSQL differ for OpenBCT's SQL: written once, with a few tokens.

/// A SQL dialect. Statements are written once with `?` placeholders and these tokens:
/// `{id}` an auto-numbered primary key, `{blob}` a byte column, `{skip_locked}` the row-lock clause of
/// a queue claim (PostgreSQL's `FOR UPDATE SKIP LOCKED`; nothing on SQLite, where a write statement
/// already holds the single database writer lock).
public enum SQLDialect: String, Sendable, Codable {
    case sqlite
    case postgresql

    /// `sql` with the dialect tokens replaced and, for PostgreSQL, `?` placeholders numbered `$1…`.
    public func render(_ sql: String) -> String {
        var s = sql
        switch self {
        case .sqlite:
            s = s.replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
            s = s.replacingOccurrences(of: "{blob}", with: "BLOB")
            s = s.replacingOccurrences(of: "{skip_locked}", with: "")
            return s
        case .postgresql:
            s = s.replacingOccurrences(of: "{id}", with: "BIGSERIAL PRIMARY KEY")
            s = s.replacingOccurrences(of: "{blob}", with: "BYTEA")
            s = s.replacingOccurrences(of: "{skip_locked}", with: "FOR UPDATE SKIP LOCKED")
            return Self.numberPlaceholders(s)
        }
    }

    /// `?` → `$1, $2, …`, leaving quoted literals alone.
    static func numberPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var n = 0
        var inQuote = false
        for ch in sql {
            if ch == "'" { inQuote.toggle() }
            if ch == "?" && !inQuote {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
