// Helpers shared by all test targets: the repository root, ../shared/data, temporary folders,
// and running reference tools (python3 with pydicom/nibabel, dcm2niix, ccx, dciodvfy).
import Foundation

public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/data` beside the repository, or nil when absent (a user's fresh clone).
    public static let sharedData: URL? = {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// True when `../shared/data` is present. In CI (`CI=true`) its absence is a hard failure, so
    /// tests that need it always run there.
    public static var hasSharedData: Bool {
        if sharedData == nil && ProcessInfo.processInfo.environment["CI"] == "true" {
            fatalError("CI=true but ../shared/data is missing: shared-data tests must run in CI")
        }
        return sharedData != nil
    }

    /// A file under `../shared/data` (call only when `hasSharedData`).
    public static func shared(_ relative: String) -> URL { sharedData!.appendingPathComponent(relative) }

    /// Python reference scripts in Tests/Python.
    public static func pythonScript(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Python").appendingPathComponent(name)
    }

    /// A new empty temporary folder.
    public static func temporaryDirectory(_ label: String = "openbct-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The outcome of running an external program.
public struct ToolResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum ExternalTool {
    /// Whether an executable is on PATH.
    public static func isAvailable(_ name: String) -> Bool {
        (try? run("/usr/bin/env", ["which", name]).status == 0) ?? false
    }

    /// Runs `executable` with `arguments` and collects its output (both pipes drained concurrently).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) throws -> ToolResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ToolResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a script from Tests/Python with python3 and returns its stdout; throws on failure.
    public static func python(_ script: String, _ arguments: [String]) throws -> String {
        let r = try run("python3", [TestPaths.pythonScript(script).path] + arguments)
        guard r.status == 0 else {
            throw ToolFailure(description: "python3 \(script) \(arguments.joined(separator: " ")) exited \(r.status): \(r.stderr)")
        }
        return r.stdout
    }
}

public struct ToolFailure: Error, CustomStringConvertible { public var description: String }
