// Wall-clock time as stored in the database: integer milliseconds since 1970 (same in both dialects).
import Foundation

enum Timestamp {
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// ISO 8601 (UTC) for pages and exports.
    static func iso(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "" }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
