// The service's settings: a JSON file, then environment variables on top (for containers and secrets).
import Foundation
import OpenBCTCore

/// Everything `openbct serve` and `openbct worker` need to know. Every field has a default, so an
/// empty file (or none) gives a working single-machine setup: SQLite under `dataDirectory`, one
/// in-server worker, HTTP on 127.0.0.1:8080.
public struct ServiceConfiguration: Codable, Sendable {
    /// Address to listen on. Default loopback: exposing the service is a deliberate act.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Root of stored studies, job folders and (by default) the SQLite file.
    public var dataDirectory = "openbct-data"
    /// PostgreSQL settings; when nil the embedded SQLite file `<dataDirectory>/openbct.sqlite` is used.
    public var postgresql: PostgreSQL?
    /// TLS: PEM certificate chain and private key. When both are set the server speaks HTTPS only.
    public var tls: TLS?
    public var jobs = Jobs()
    public var security = Security()
    /// The PACS that receives signed reports (STOW-RS), if any.
    public var pacs: Endpoint?
    /// A FHIR server that receives each signed DiagnosticReport (a transaction Bundle), if any.
    public var fhir: Endpoint?
    /// The outbox that sends signed reports to `pacs` and `fhir`.
    public var delivery = Delivery()
    /// Who performs each component of CPT 0554T (billing summary).
    public var billing = Billing()

    public init() {}

    public struct PostgreSQL: Codable, Sendable {
        public var host = "127.0.0.1"
        public var port = 5432
        public var user = "openbct"
        public var password: String?
        public var database = "openbct"
        public var requireTLS = false
        public var maximumConnections = 10
        public init() {}
    }

    public struct TLS: Codable, Sendable {
        public var certificatePath: String
        public var privateKeyPath: String
        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath; self.privateKeyPath = privateKeyPath
        }
    }

    public struct Jobs: Codable, Sendable {
        /// Workers running inside `openbct serve` (0: only separate `openbct worker` processes).
        public var workersInServer = 1
        /// A claimed job belongs to its worker until this many seconds after its last heartbeat.
        public var leaseSeconds = 60
        /// Heartbeat interval (must be well under `leaseSeconds`).
        public var heartbeatSeconds = 10
        /// Attempts before a job is marked failed (a crash, a kill, or the analysis failing).
        public var maxAttempts = 3
        /// A matched study is queued for analysis once no instance has arrived for this long.
        public var studyQuietSeconds = 5
        /// How often an idle worker looks for work.
        public var pollMilliseconds = 500
        /// The program run for each analysis as `<executable> analyze <input> -o <folder> --json`.
        /// nil: this `openbct` executable.
        public var analysisExecutable: String?
        /// Options added to every analysis (e.g. `["--voxel", "2"]` for a site's FE element size),
        /// followed by a re-run's overrides. `-o`, `--output` and `--json` stay the worker's.
        public var analysisArguments: [String] = []
        public init() {}
    }

    public struct Security: Codable, Sendable {
        /// Session cookie lifetime.
        public var sessionHours = 12
        /// Failed logins allowed per user name and per client address within `loginWindowSeconds`.
        public var loginAttemptsPerWindow = 5
        public var loginWindowSeconds = 300
        /// bcrypt cost (2^cost rounds).
        public var bcryptCost = 12
        public init() {}
    }

    public struct Delivery: Codable, Sendable {
        /// The first retry waits this long; each further one twice as long, up to `retryMaxSeconds`.
        public var retryBaseSeconds = 30
        public var retryMaxSeconds = 3600
        /// A claimed delivery belongs to its worker this long (a worker that dies mid-send loses it).
        public var leaseSeconds = 300
        /// How often an idle delivery loop looks for due deliveries.
        public var pollMilliseconds = 1000
        /// Seconds one HTTP request to the PACS or FHIR server may take.
        public var requestTimeoutSeconds = 120
        public init() {}
    }

    /// Billing entities per component (coding.md). All nil or all equal: one provider did everything
    /// and the global 0554T is billed; different ones: 0555T, 0556T and 0557T, each by its performer.
    public struct Billing: Codable, Sendable {
        /// Retrieval and transmission of the scan data (0555T): the imaging site.
        public var retrievalBy: String?
        /// The computation (0556T): the analysis facility.
        public var analysisBy: String?
        /// Interpretation and report (0557T): the interpreting physician's billing entity (also the
        /// signed SR's Verifying Organization).
        public var interpretationBy: String?
        public init() {}
    }

    public struct Endpoint: Codable, Sendable {
        /// Base URL: a DICOMweb root (e.g. http://pacs:8042/dicom-web) or a FHIR base.
        public var url: String
        public var username: String?
        public var password: String?
        public init(url: String, username: String? = nil, password: String? = nil) {
            self.url = url; self.username = username; self.password = password
        }
    }

    /// The database this configuration names.
    public func openDatabase() throws -> any SQLDatabase {
        if let postgresql { return PostgresDatabase(postgresql) }
        return try SQLiteDatabase(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("openbct.sqlite").path)
    }
}

extension ServiceConfiguration {
    /// Reads `file` (JSON; missing keys keep their defaults) if given, then applies `environment`.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let file {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw InputError(path: file, "cannot read the configuration file: \(error.localizedDescription)")
            }
            configuration = try decode(data, file: file)
            if let reserved = configuration.jobs.analysisArguments.first(where: { Overrides.reserved.contains($0.split(separator: "=").first.map(String.init) ?? $0) }) {
                throw InputError(path: file, location: "jobs.analysisArguments", "'\(reserved)' is set by the worker")
            }
        }
        try configuration.apply(environment: environment)
        return configuration
    }

    /// The file's keys laid over the defaults (so a file names only what it changes), then decoded.
    static func decode(_ data: Data, file: String) throws -> ServiceConfiguration {
        do {
            guard let given = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw InputError(path: file, "expected a JSON object at the top level")
            }
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ServiceConfiguration())) as! [String: Any]
            let merged = try JSONSerialization.data(withJSONObject: overlay(given, on: defaults))
            return try JSONDecoder().decode(ServiceConfiguration.self, from: merged)
        } catch let error as InputError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context) {
            throw InputError(path: file, location: context.codingPath.map(\.stringValue).joined(separator: "."), context.debugDescription)
        } catch {
            throw InputError(path: file, "not a valid JSON configuration: \(error.localizedDescription)")
        }
    }

    private static func overlay(_ given: [String: Any], on defaults: [String: Any]) -> [String: Any] {
        var result = defaults
        for (key, value) in given {
            if let nested = value as? [String: Any], let base = defaults[key] as? [String: Any] {
                result[key] = overlay(nested, on: base)
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// Environment variables override the file (names in docs/service.md).
    mutating func apply(environment env: [String: String]) throws {
        func int(_ name: String) throws -> Int? {
            guard let text = env[name] else { return nil }
            guard let value = Int(text) else { throw InputError(location: "environment \(name)", "expected an integer, got '\(text)'") }
            return value
        }
        if let v = env["OPENBCT_HOST"] { host = v }
        if let v = try int("OPENBCT_PORT") { port = v }
        if let v = env["OPENBCT_DATA_DIR"] { dataDirectory = v }
        if let v = env["OPENBCT_DATABASE_URL"] { postgresql = try Self.postgresql(url: v) }
        if let cert = env["OPENBCT_TLS_CERT"], let key = env["OPENBCT_TLS_KEY"] {
            tls = TLS(certificatePath: cert, privateKeyPath: key)
        }
        if let v = try int("OPENBCT_WORKERS") { jobs.workersInServer = v }
        if let v = try int("OPENBCT_LEASE_SECONDS") { jobs.leaseSeconds = v }
        if let v = try int("OPENBCT_HEARTBEAT_SECONDS") { jobs.heartbeatSeconds = v }
        if let v = try int("OPENBCT_STUDY_QUIET_SECONDS") { jobs.studyQuietSeconds = v }
        if let v = env["OPENBCT_ANALYSIS_EXECUTABLE"] { jobs.analysisExecutable = v }
        if let v = try int("OPENBCT_BCRYPT_COST") { security.bcryptCost = v }
        if let v = env["OPENBCT_PACS_URL"] { pacs = Endpoint(url: v, username: env["OPENBCT_PACS_USER"], password: env["OPENBCT_PACS_PASSWORD"]) }
        if let v = try int("OPENBCT_DELIVERY_RETRY_SECONDS") { delivery.retryBaseSeconds = v }
        if let v = env["OPENBCT_FHIR_URL"] { fhir = Endpoint(url: v, username: env["OPENBCT_FHIR_USER"], password: env["OPENBCT_FHIR_PASSWORD"]) }
    }

    /// `postgres://user:password@host:port/database` → settings.
    static func postgresql(url text: String) throws -> PostgreSQL {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql",
              let host = url.host, !host.isEmpty else {
            throw InputError(location: "environment OPENBCT_DATABASE_URL", "expected postgres://user:password@host:port/database")
        }
        var settings = PostgreSQL()
        settings.host = host
        if let port = url.port { settings.port = port }
        if let user = url.user { settings.user = user }
        settings.password = url.password
        let database = url.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !database.isEmpty { settings.database = database }
        if url.queryItems?.contains(where: { $0.name == "sslmode" && $0.value == "require" }) == true { settings.requireTLS = true }
        return settings
    }
}
