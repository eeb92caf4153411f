// The database layer: dialect rendering, migrations on SQLite, configuration loading.
import Foundation
@testable import Service
import Testing
import TestSupport
import OpenBCTCore

@Suite("Service database and configuration")
struct DatabaseTests {
    @Test("PostgreSQL placeholders are numbered and quoted question marks left alone")
    func placeholders() {
        #expect(SQLDialect.postgresql.render("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?") ==
                "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2")
        #expect(SQLDialect.sqlite.render("CREATE TABLE x (id {id}, b {blob})") == "CREATE TABLE x (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB)")
        #expect(SQLDialect.postgresql.render("SELECT id FROM jobs LIMIT 1 {skip_locked}") == "SELECT id FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED")
    }

    @Test("Migrations create every table on an empty SQLite file, and a second run applies nothing")
    func sqliteMigrations() async throws {
        let folder = try TestPaths.temporaryDirectory("openbct-migrate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try SQLiteDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        #expect(try await Schema.migrate(db) == Array(1...Schema.latestVersion))
        #expect(try await Schema.migrate(db) == [])
        #expect(try await Schema.currentVersion(db) == Schema.latestVersion)
        let tables = Set(try await db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.string("name") })
        for table in ["users", "sessions", "api_tokens", "audit_log", "orders", "studies", "instances", "jobs", "results", "reports", "addenda", "billing_summaries"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        // A second process opening the same file sees the same schema (the worker's view).
        let other = try SQLiteDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        #expect(try await Schema.currentVersion(other) == Schema.latestVersion)
        try await other.close()
        try await db.close()
    }

    @Test("A configuration file names only what it changes; environment variables override it")
    func configuration() throws {
        let folder = try TestPaths.temporaryDirectory("openbct-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("openbct.json")
        try Data(#"{"port": 9000, "jobs": {"leaseSeconds": 90}}"#.utf8).write(to: file)
        let c = try ServiceConfiguration.load(file: file.path, environment: [
            "OPENBCT_DATABASE_URL": "postgres://u:p%40ss@db.example:6543/bct", "OPENBCT_WORKERS": "3"])
        #expect(c.port == 9000)
        #expect(c.jobs.leaseSeconds == 90)
        #expect(c.jobs.heartbeatSeconds == ServiceConfiguration().jobs.heartbeatSeconds)
        #expect(c.jobs.workersInServer == 3)
        #expect(c.postgresql?.host == "db.example" && c.postgresql?.port == 6543 && c.postgresql?.database == "bct")
        #expect(c.postgresql?.user == "u")

        try Data(#"{"port": "eighty"}"#.utf8).write(to: file)
        #expect(throws: InputError.self) { try ServiceConfiguration.load(file: file.path, environment: [:]) }
        #expect(throws: InputError.self) { try ServiceConfiguration.load(file: nil, environment: ["OPENBCT_PORT": "x"]) }
        // Options every analysis gets; the worker's own output options are refused.
        try Data(#"{"jobs": {"analysisArguments": ["--voxel", "2"]}}"#.utf8).write(to: file)
        #expect(try ServiceConfiguration.load(file: file.path, environment: [:]).jobs.analysisArguments == ["--voxel", "2"])
        try Data(#"{"jobs": {"analysisArguments": ["--output=/tmp/x"]}}"#.utf8).write(to: file)
        #expect(throws: InputError.self) { try ServiceConfiguration.load(file: file.path, environment: [:]) }
    }
}
