// A service set up for one test: a temporary data folder, a migrated database (SQLite, or a fresh
// database on the test PostgreSQL server), the stores, and users of each role.
import Foundation
@testable import Service
import TestSupport

struct ServiceHarness {
    let folder: URL
    var configuration: ServiceConfiguration
    let db: any SQLDatabase
    let env: ServiceEnvironment

    /// The stand-in analysis used by queue tests (see the script's header).
    static let standinAnalysis = TestPaths.repositoryRoot.appendingPathComponent("Tests/ServiceFixtures/standin-analysis.sh").path

    /// A password that satisfies the 12-character rule.
    static let password = "correct horse battery"

    /// `configure` changes the test configuration before the environment is built (e.g. a PACS).
    init(postgres: ServiceConfiguration.PostgreSQL? = nil, configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws {
        folder = try TestPaths.temporaryDirectory("openbct-service")
        var configuration = ServiceConfiguration()
        configuration.dataDirectory = folder.path
        configuration.postgresql = postgres
        // bcrypt's cost is a deployment setting; the minimum keeps the suite fast. The hash format and
        // verification path are the same at every cost.
        configuration.security.bcryptCost = 4
        configuration.jobs.analysisExecutable = Self.standinAnalysis
        configuration.jobs.leaseSeconds = 3
        configuration.jobs.heartbeatSeconds = 1
        configuration.jobs.pollMilliseconds = 100
        configuration.jobs.studyQuietSeconds = 1
        configure(&configuration)
        self.configuration = configuration
        db = try configuration.openDatabase()
        try await Schema.migrate(db)
        env = ServiceEnvironment(configuration: configuration, db: db)
    }

    /// Creates a user of `role` named after it and returns it signed in (session with CSRF token).
    func signedIn(_ role: Role, name: String? = nil) async throws -> (user: AuthenticatedUser, cookie: String) {
        let username = name ?? role.rawValue
        let id = try await env.users.create(username: username, displayName: "Test \(role.rawValue)", password: Self.password, role: role)
        let session = try await env.users.openSession(userID: id)
        let user = try await env.users.user(sessionToken: session.token)!
        return (user, session.token)
    }

    /// A study with one stored instance file and a matched order; returns (study id, order id).
    func studyWithOrder(accession: String = "ACC1", patientID: String = "P1") async throws -> (study: Int64, order: Int64) {
        let (tech, _) = try await signedIn(.technologist, name: "tech-\(accession.lowercased())")
        let order = try await env.orders.create(Self.order(accession: accession, patientID: patientID), by: tech)
        let uid = "1.2.826.0.1.3680043.10.\(abs(accession.hashValue) % 100000)"
        let studyFolder = folder.appendingPathComponent("studies/\(uid)/1.2.3")
        try FileManager.default.createDirectory(at: studyFolder, withIntermediateDirectories: true)
        try Data("not read by the stand-in".utf8).write(to: studyFolder.appendingPathComponent("1.2.3.4.dcm"))
        let now = Timestamp.now()
        let row = try await db.first("""
            INSERT INTO studies (study_instance_uid, accession_number, patient_id, order_id, folder, instance_count, first_received_at, last_received_at)
            VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id
            """, uid, accession, patientID, order, folder.appendingPathComponent("studies/\(uid)").path, now, now)
        return (row!.int("id")!, order)
    }

    static func order(accession: String, patientID: String) -> OrderRequest {
        OrderRequest(accessionNumber: accession, patientID: patientID, patientName: "Test^Patient", patientBirthDate: "19570312",
                     indications: ["M81.0", "R29.6"], orderingProviderName: "Dr Example", orderingProviderNPI: "1234567893",
                     orderingProviderTaxonomy: "207RE0101X", sites: ["spine", "hip"], ctContraindicationsScreened: true,
                     priorDXAReviewed: true, patientInformed: true)
    }

    func close() async throws {
        try await db.close()
        try? FileManager.default.removeItem(at: folder)
    }
}
