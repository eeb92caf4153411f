// A throw-away PostgreSQL server for the tests: Debian's `postgresql` binaries, a fresh data folder,
// loopback on a test port, run as the `postgres` user (initdb and postgres refuse root).
import Foundation
import Service
import TestSupport

final class PostgresTestServer: @unchecked Sendable {
    let port: Int
    let folder: URL
    private let process: Process

    /// The binaries' folder (/usr/lib/postgresql/<version>/bin), or nil when PostgreSQL is not installed.
    static let binaries: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for v in versions {
            let bin = root.appendingPathComponent("\(v)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path) { return bin }
        }
        return nil
    }()

    /// Tests run as root in CI and here; the server must run as `postgres`.
    static var isUsable: Bool { binaries != nil && getuid() == 0 && ExternalTool.isAvailable("runuser") }

    /// Starts a server with a user `openbct` (password `openbct-test`).
    init(port: Int) throws {
        guard let bin = Self.binaries else { throw ServiceTestFailure("PostgreSQL is not installed") }
        self.port = port
        folder = URL(fileURLWithPath: "/tmp/openbct-pg-\(port)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func asPostgres(_ args: [String]) throws {
            let r = try ExternalTool.run("/usr/sbin/runuser", ["-u", "postgres", "--"] + args)
            guard r.status == 0 else { throw ServiceTestFailure("\(args.first ?? "") failed: \(r.stderr)") }
        }
        try ExternalTool.run("/bin/chown", ["postgres:postgres", folder.path])
        try asPostgres([bin.appendingPathComponent("initdb").path, "-D", folder.appendingPathComponent("data").path,
                        "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "postgres", "--", bin.appendingPathComponent("postgres").path,
                             "-D", folder.appendingPathComponent("data").path, "-p", String(port), "-k", folder.path,
                             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when psql connects (usually well under a second).
        let psql = bin.appendingPathComponent("psql").path
        var ready = false
        for _ in 0..<100 {
            if (try? ExternalTool.run("/usr/sbin/runuser", ["-u", "postgres", "--", psql, "-h", "127.0.0.1", "-p", String(port), "-c", "SELECT 1"]))?.status == 0 {
                ready = true; break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        guard ready, process.isRunning else { stop(); throw ServiceTestFailure("PostgreSQL did not start on port \(port) (another server on it?)") }
        try asPostgres([psql, "-h", "127.0.0.1", "-p", String(port), "-c", "CREATE USER openbct PASSWORD 'openbct-test'"])
    }

    /// A new empty database owned by `openbct`, and the settings to reach it.
    func database(_ name: String) throws -> ServiceConfiguration.PostgreSQL {
        let r = try ExternalTool.run("/usr/sbin/runuser", ["-u", "postgres", "--", Self.binaries!.appendingPathComponent("psql").path,
                                                            "-h", "127.0.0.1", "-p", String(port), "-c", "CREATE DATABASE \(name) OWNER openbct"])
        guard r.status == 0 else { throw ServiceTestFailure("CREATE DATABASE \(name): \(r.stderr)") }
        var s = ServiceConfiguration.PostgreSQL()
        s.host = "127.0.0.1"; s.port = port; s.user = "openbct"; s.password = "openbct-test"; s.database = name
        return s
    }

    /// Stops the server (`pg_ctl stop -m fast`; runuser does not pass signals on) and removes its files.
    func stop() {
        let stop = Process()
        stop.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        stop.arguments = ["-u", "postgres", "--", Self.binaries!.appendingPathComponent("pg_ctl").path,
                          "-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "-t", "20", "stop"]
        stop.standardOutput = FileHandle.nullDevice
        stop.standardError = FileHandle.nullDevice
        if (try? stop.run()) != nil { stop.waitUntilExit() }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        try? FileManager.default.removeItem(at: folder)
    }
}
