// Output files appear complete or not at all: write to a temporary sibling, then rename.
import Foundation

/// Writes `data` to `url` atomically: a temporary file in the same folder, renamed on success, so
/// a failure never leaves a half-written file that looks complete.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    do {
        try data.write(to: tmp)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: tmp, to: url)
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
