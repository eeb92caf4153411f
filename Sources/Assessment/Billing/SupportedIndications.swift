// The ICD-10-CM indications of coding.md, kept as data with the corrections coding.md requires.

/// One row of coding.md's supported-diagnosis table and what the product accepts for it.
public struct IndicationEntry: Sendable, Equatable {
    /// The code as the source table prints it.
    public var sourceCode: String
    public var description: String
    /// Complete, billable codes accepted for this row (empty: the row's code is invalid).
    public var accepted: [String]
    /// Prefixes that name the category without its required characters (accepted as "incomplete").
    public var incompletePrefixes: [String]
    /// Why the source code was corrected, when it was.
    public var correction: String?
}

public enum SupportedIndications {
    /// 7th characters of the pathological-fracture families (initial, subsequent routine/delayed/nonunion/malunion, sequela).
    static let fractureEncounters = ["A", "D", "G", "K", "P", "S"]
    /// 7th characters of M48.5- (collapsed vertebra).
    static let collapseEncounters = ["A", "D", "G", "S"]

    public static let table: [IndicationEntry] = [
        IndicationEntry(sourceCode: "M80.00", description: "Age-related osteoporosis with current pathological fracture, unspecified site",
                        accepted: fractureEncounters.map { "M80.00X\($0)" }, incompletePrefixes: ["M80.00", "M80.00X"],
                        correction: "M80.00 needs a 7th-character encounter extension (e.g. M80.00XA)"),
        IndicationEntry(sourceCode: "M81.0", description: "Age-related osteoporosis without current pathological fracture",
                        accepted: ["M81.0"], incompletePrefixes: [], correction: nil),
        IndicationEntry(sourceCode: "M84.4X0", description: "Pathological fracture, unspecified site",
                        accepted: fractureEncounters.map { "M84.40X\($0)" }, incompletePrefixes: ["M84.40", "M84.40X"],
                        correction: "M84.4X0 is not a valid code; the family is M84.4- (M84.40XA: pathological fracture, unspecified site, initial encounter)"),
        IndicationEntry(sourceCode: "Z79.899", description: "Other long term (current) drug therapy",
                        accepted: ["Z79.899"], incompletePrefixes: [], correction: nil),
        IndicationEntry(sourceCode: "R29.6", description: "Repeated falls", accepted: ["R29.6"], incompletePrefixes: [], correction: nil),
        IndicationEntry(sourceCode: "M48.50", description: "Collapsed vertebra, not elsewhere classified, site unspecified",
                        accepted: collapseEncounters.map { "M48.50X\($0)" }, incompletePrefixes: ["M48.50", "M48.50X"],
                        correction: "M48.50 needs a 7th-character encounter extension (e.g. M48.50XA)"),
    ]

    /// Upper case, spaces removed, the dot inserted after the category when missing ("m8100" → "M81.00").
    public static func normalise(_ code: String) -> String {
        var c = code.uppercased().filter { !$0.isWhitespace }
        if !c.contains("."), c.count > 3 { c.insert(".", at: c.index(c.startIndex, offsetBy: 3)) }
        return c
    }
}
