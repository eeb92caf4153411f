// Output files appear complete or not at all: write to a temporary sibling, then rename.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `data` to `url` atomically: a temporary file in the same folder, renamed on success, so
/// a failure never leaves a half-written file that looks complete.
public func writeAtomically(_ data: Data, to url: URL) throws {
    try writeAtomically(to: url) { handle in try handle.write(contentsOf: data) }
}

/// Streams an output file atomically: `produce` writes into a temporary sibling (through the given
/// handle), which is renamed onto `url` only when `produce` returns. Large outputs (compressed volumes)
/// are written without first building the whole file in memory.
public func writeAtomically(to url: URL, _ produce: (FileHandle) throws -> Void) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // A unique name per call: concurrent writers of the same target never share a temporary file.
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(12))")
    do {
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
        }
        let handle = try FileHandle(forWritingTo: tmp)
        do { try produce(handle); try handle.close() } catch { try? handle.close(); throw error }
        // rename(2) replaces an existing target atomically: readers see the old file or the new one.
        guard rename(tmp.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                NSLocalizedDescriptionKey: "cannot rename \(tmp.path) to \(url.path): \(String(cString: strerror(errno)))"])
        }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
    }
}
