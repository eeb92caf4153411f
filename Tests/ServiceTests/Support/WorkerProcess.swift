// A real `openbct worker` (or `openbct serve`) process for the tests, killed or stopped like in production.
import Foundation
import Service
import TestSupport

final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let log: URL

    /// Starts `openbct <arguments>` with extra environment, logging to a file in `folder`.
    init(_ arguments: [String], folder: URL, environment: [String: String] = [:], label: String) throws {
        guard let binary = TestPaths.openbctBinary else { throw ServiceTestFailure("the openbct binary is not built") }
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        log = folder.appendingPathComponent("\(label).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// kill -9: no chance to clean up, as in a crash or the OOM killer.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait (graceful shutdown); returns the exit status, or nil after `timeout` seconds.
    func terminate(timeout: TimeInterval = 20) -> Int32? {
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill9(); return nil }
        return process.terminationStatus
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

/// Polls `condition` every 100 ms until true or `seconds` pass.
func waitUntil(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

extension ServiceHarness {
    /// Writes this harness's configuration as a JSON file for child processes.
    func writeConfiguration() throws -> URL {
        let url = folder.appendingPathComponent("openbct.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .prettyPrinted
        try encoder.encode(configuration).write(to: url)
        return url
    }
}

/// A test set-up step that failed (a tool missing, a server that did not start).
struct ServiceTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
