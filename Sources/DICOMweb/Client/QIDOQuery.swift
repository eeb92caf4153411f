// QIDO-RS search parameters (PS3.18 §10.6.1.2): matching keys, included fields, paging.
import DICOM

/// The query part of a QIDO-RS search.
public struct QIDOQuery: Sendable, Equatable {
    /// Attribute matching: keyword or "GGGGEEEE" → value (single value, wildcards `*`/`?`, date
    /// ranges "20240101-20241231", UID lists separated by commas or backslashes).
    public var matching: [String: String]
    /// Extra attributes to return (`includefield`); "all" asks for every available attribute.
    public var includeFields: [String]
    public var fuzzyMatching: Bool
    public var limit: Int?
    public var offset: Int?

    public init(matching: [String: String] = [:], includeFields: [String] = [], fuzzyMatching: Bool = false,
                limit: Int? = nil, offset: Int? = nil) {
        self.matching = matching; self.includeFields = includeFields; self.fuzzyMatching = fuzzyMatching
        self.limit = limit; self.offset = offset
    }

    /// A query matching `tag` (by its "GGGGEEEE" number) against `value`.
    public static func matching(_ tag: Tag, _ value: String) -> QIDOQuery { QIDOQuery(matching: [DicomJSON.key(tag): value]) }

    /// The URL query items, in a stable order.
    var queryItems: [(String, String)] {
        var items = matching.keys.sorted().map { ($0, matching[$0]!) }
        items += includeFields.map { ("includefield", $0) }
        if fuzzyMatching { items.append(("fuzzymatching", "true")) }
        if let limit { items.append(("limit", String(limit))) }
        if let offset { items.append(("offset", String(offset))) }
        return items
    }
}
