// `openbct dicomweb store|pull`: the DICOMweb client from the command line (also used by
// Benchmarks/dicomweb). The password comes from an environment variable, never from the arguments.
import ArgumentParser
import DICOMweb
import Foundation
import OpenBCTCore

struct DicomwebCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicomweb",
        abstract: "Store instances to, or pull a study from, a DICOMweb server (STOW-RS, QIDO-RS, WADO-RS).",
        subcommands: [Store.self, Pull.self])

    struct Connection: ParsableArguments {
        @Option(help: "DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web") var url: String
        @Option(help: "User name for HTTP basic authentication.") var user: String?
        @Option(help: "Environment variable holding the password.") var passwordEnv = "OPENBCT_DICOMWEB_PASSWORD"
        @Option(help: "Seconds before a request fails.") var timeout: Double = 300

        func client() throws -> DICOMwebClient {
            guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https" else {
                throw ValidationError("--url must be an http(s) URL, got \(url)")
            }
            let credentials = try user.map { name -> BasicCredentials in
                guard let password = ProcessInfo.processInfo.environment[passwordEnv] else {
                    throw ValidationError("--user given but $\(passwordEnv) is not set")
                }
                return BasicCredentials(username: name, password: password)
            }
            return DICOMwebClient(baseURL: base, credentials: credentials, timeout: timeout)
        }
    }

    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "STOW-RS: store DICOM files; prints a JSON summary.")
        @OptionGroup var connection: Connection
        @Option(help: "Instances per request.") var batch = 50
        @Argument(help: "DICOM files (folders are searched one level deep).") var paths: [String]

        func run() throws {
            let files = try expandFiles(paths)
            let client = try connection.client()
            let start = Date()
            let (stored, failed) = try runAsync {
                var stored = 0, failed: [StowInstanceStatus] = []
                for chunk in stride(from: 0, to: files.count, by: max(1, batch)).map({ Array(files[$0 ..< min($0 + max(1, batch), files.count)]) }) {
                    let response = try await client.store(files: chunk)
                    stored += response.stored.count; failed += response.failed
                }
                return (stored, failed)
            }
            let seconds = Date().timeIntervalSince(start)
            let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
            print(jsonLine(["stored": stored, "failed": failed.count, "seconds": seconds, "MBps": Double(bytes) / 1e6 / seconds]))
            for f in failed { printError("failed: \(f.sopInstanceUID) reason 0x\(String(f.failureReason ?? 0, radix: 16, uppercase: true))") }
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "QIDO-RS + WADO-RS: copy a study into a folder; prints a JSON summary.")
        @OptionGroup var connection: Connection
        @Argument(help: "Study Instance UID.") var study: String
        @Option(help: "Output folder.") var out: String

        func run() throws {
            let client = try connection.client()
            let start = Date()
            let pulled = try runAsync { try await client.pullStudy(study, into: URL(fileURLWithPath: out)) }
            let seconds = Date().timeIntervalSince(start)
            let bytes = pulled.files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
            print(jsonLine(["instances": pulled.files.count, "series": pulled.seriesInstanceUIDs.count, "seconds": seconds,
                            "MBps": Double(bytes) / 1e6 / seconds]))
        }
    }
}

/// Files named, and the files inside folders named (one level), sorted.
private func expandFiles(_ paths: [String]) throws -> [URL] {
    try paths.flatMap { path -> [URL] in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("\(path) does not exist") }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        return try FileManager.default.contentsOfDirectory(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
            .filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }
}

/// Runs async client code from this synchronous command; errors are printed as `error: …`.
private func runAsync<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    nonisolated(unsafe) var result: Result<T, Error>?
    let done = DispatchSemaphore(value: 0)
    Task { do { result = .success(try await work()) } catch { result = .failure(error) }; done.signal() }
    done.wait()
    switch result! {
    case .success(let value): return value
    case .failure(let error):
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

private func jsonLine(_ object: [String: Any]) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
}

private func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
