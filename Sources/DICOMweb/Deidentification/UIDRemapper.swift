// Consistent UID replacement within one export: the same original UID always maps to the same new one,
// so studies, series, frames of reference and references between instances stay linked.
import DICOM
import Foundation

/// Maps original UIDs to fresh `2.25.<UUID>` UIDs, the same answer for the same input. Thread-safe:
/// one remapper is shared by every instance of an export (instances may be processed concurrently).
/// The mapping is not derived from the original (no hash of it), so it cannot be reversed without the
/// table; keep `mapping` only where re-identification is allowed, or discard it.
public final class UIDRemapper: @unchecked Sendable {
    private var table: [String: String] = [:]
    private let lock = NSLock()

    public init() {}

    /// The replacement of `uid` (minted on first use).
    public func replacement(for uid: String) -> String {
        lock.lock(); defer { lock.unlock() }
        if let known = table[uid] { return known }
        let fresh = UID.generate()
        table[uid] = fresh
        return fresh
    }

    /// Original → replacement, for every UID seen so far.
    public var mapping: [String: String] {
        lock.lock(); defer { lock.unlock() }
        return table
    }

    /// UIDs of the DICOM standard itself (SOP classes, transfer syntaxes, coding schemes, …) identify
    /// nothing about a patient and must stay as they are.
    public static func isStandardUID(_ uid: String) -> Bool { uid.hasPrefix("1.2.840.10008.") }
}
