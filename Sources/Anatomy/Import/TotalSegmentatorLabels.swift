// TotalSegmentator's "total" task class ids and names.
//
// Source: TotalSegmentator v2 (Wasserthal et al., Radiology: AI 2023), class map of the `total` task,
// `totalsegmentator/map_to_binary.py`, Apache License 2.0. Only the bones this project uses are
// embedded; any other class is read at run time from a user-given TSV (columns `id`, `name`).
import Foundation
import OpenBCTCore

/// A class-id ↔ name table of a label map made by TotalSegmentator (or any tool with such a table).
public struct TotalSegmentatorLabels: Sendable, Equatable {
    public private(set) var nameByID: [Int32: String]

    /// The embedded table: the bones of the `total` task (femurs, hips, sacrum, vertebrae, ribs).
    public static let embedded: TotalSegmentatorLabels = {
        var t: [Int32: String] = [25: "sacrum", 75: "femur_left", 76: "femur_right", 77: "hip_left", 78: "hip_right"]
        let vertebrae = ["S1", "L5", "L4", "L3", "L2", "L1"] + (1...12).reversed().map { "T\($0)" } + (1...7).reversed().map { "C\($0)" }
        for (o, v) in vertebrae.enumerated() { t[Int32(26 + o)] = "vertebrae_\(v)" }
        for r in 1...12 { t[Int32(91 + r)] = "rib_left_\(r)"; t[Int32(103 + r)] = "rib_right_\(r)" }
        return TotalSegmentatorLabels(nameByID: t)
    }()

    public init(nameByID: [Int32: String]) { self.nameByID = nameByID }

    /// Reads a tab-separated table with a header line `id<TAB>name`.
    public init(contentsOf url: URL) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw InputError(path: url.path, "cannot read the label table as UTF-8 text")
        }
        var table: [Int32: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || (n == 0 && line.lowercased().hasPrefix("id")) { continue }
            let cols = line.split(separator: "\t").map(String.init)
            guard cols.count >= 2, let id = Int32(cols[0]) else {
                throw InputError(path: url.path, location: "line \(n + 1)", "expected '<integer id><TAB><name>', found '\(line)'")
            }
            table[id] = cols[1]
        }
        guard !table.isEmpty else { throw InputError(path: url.path, "the label table has no rows") }
        nameByID = table
    }

    /// The id of a class name (exact, case-insensitive), or nil.
    public func id(of name: String) -> Int32? {
        nameByID.first { $0.value.lowercased() == name.lowercased() }?.key
    }
}
