// Vertebral levels and the rule that names them.

/// A vertebral level from C1 to L5 (plus L6 for lumbarised anatomy) and the sacrum.
public enum VertebralLevel: Int, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case C1 = 1, C2, C3, C4, C5, C6, C7
    case T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12
    case L1, L2, L3, L4, L5, L6
    case sacrum

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { name }

    /// The name, e.g. "L1".
    public var name: String {
        switch self {
        case .sacrum: return "sacrum"
        default:
            let r = rawValue
            if r <= 7 { return "C\(r)" }
            if r <= 19 { return "T\(r - 7)" }
            return "L\(r - 19)"
        }
    }

    /// The level `offset` steps caudal (+) or cranial (−), or nil past C1 / the sacrum.
    public func offset(by steps: Int) -> VertebralLevel? { VertebralLevel(rawValue: rawValue + steps) }

    /// The level called `name` ("T12", "L1", "sacrum"), case-insensitive.
    public init?(name: String) {
        guard let l = VertebralLevel.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = l
    }
}
