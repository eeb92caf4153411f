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

/// Streams an output file atomically: `produce` writes into a temporary sibling (through the given
/// handle), which is renamed onto `url` only when `produce` returns. Large outputs (compressed volumes)
/// are written without first building the whole file in memory.
public func writeAtomically(to url: URL, _ produce: (FileHandle) throws -> Void) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    do {
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
        }
        let handle = try FileHandle(forWritingTo: tmp)
        do { try produce(handle); try handle.close() } catch { try? handle.close(); throw error }
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: tmp, to: url)
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
