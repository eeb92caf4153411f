// One analysis as a child process: `openbct analyze <study folder> -o <attempt folder> --json`.
// A crash or an out-of-memory kill of the analysis ends only the child, never the server.
import Foundation

/// A running child analysis: its stdout's last line is the progress shown to users.
final class AnalysisProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var lastLine = "started"
    private var stderrTail = Data()

    init(executable: String, arguments: [String]) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    }

    /// The last line the analysis printed.
    var progress: String { lock.withLock { lastLine } }

    /// The end of its standard error (for the job's error message).
    var errorTail: String { lock.withLock { String(decoding: stderrTail.suffix(2000), as: UTF8.self) } }

    /// Starts it and returns its exit status when it ends.
    func run() async throws -> Int32 {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            if let last = lines.last { self.lock.withLock { self.lastLine = String(last) } }
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrTail = (self.stderrTail + data).suffix(4000) }
        }
        let outHandle = out.fileHandleForReading, errHandle = err.fileHandleForReading
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in
                outHandle.readabilityHandler = nil
                errHandle.readabilityHandler = nil
                continuation.resume(returning: p.terminationStatus)
            }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Stops it (the job was taken away or the worker is shutting down).
    func terminate() { if process.isRunning { process.terminate() } }
}
