// Assembling `openbct serve`: database + migrations, routes, in-server workers, the intake sweeper,
// HTTP or HTTPS, and graceful shutdown on SIGTERM/SIGINT (in-flight requests finish, workers stop;
// a job in hand is left to its lease, so another worker re-runs it).
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// The web service.
public enum ServiceApplication {
    /// The router with every route, for `serve` and for in-process tests.
    public static func router(_ env: ServiceEnvironment) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: AuthenticationMiddleware(users: env.users))
        env.addHealthRoutes(to: router)
        env.addAuthRoutes(to: router)
        env.addCaseRoutes(to: router)
        env.addOrderRoutes(to: router)
        env.addPullRoutes(to: router)
        env.addStowRoutes(to: router)
        env.addAdminRoutes(to: router)
        env.addReportRoutes(to: router)
        env.addExportRoutes(to: router)
        return router
    }

    /// Runs the server until SIGTERM/SIGINT. `executable` is this `openbct` binary (what workers run).
    public static func run(configuration: ServiceConfiguration, executable: String) async throws {
        var logger = Logger(label: "openbct.serve")
        logger.logLevel = .info
        let db = try configuration.openDatabase()
        let applied = try await Schema.migrate(db)
        logger.info("database \(db.dialect.rawValue) at schema version \(Schema.latestVersion) (applied now: \(applied))")
        let env = ServiceEnvironment(configuration: configuration, db: db)

        let host = ProcessInfo.processInfo.hostName
        var services: [any Service] = [IntakeSweeper(env: env, logger: logger),
                                       DeliveryService(worker: DeliveryWorker(name: "\(host):\(getpid()):serve-delivery", db: db, configuration: configuration))]
        for i in 0..<configuration.jobs.workersInServer {
            services.append(WorkerService(worker: JobWorker(name: "\(host):\(getpid()):serve-\(i)", db: db, configuration: configuration, executable: executable)))
        }
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
            var tlsConfiguration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            tlsConfiguration.minimumTLSVersion = .tlsv12
            server = try .tls(.http1(), tlsConfiguration: tlsConfiguration)
        } else {
            server = .http1()
        }
        let app = Application(router: router(env), server: server,
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "OpenBCT"),
                              services: services, logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        try await db.close()
    }

    /// Runs `count` workers (the `openbct worker` process) until SIGTERM/SIGINT.
    public static func runWorkers(configuration: ServiceConfiguration, count: Int, executable: String) async throws {
        var logger = Logger(label: "openbct.worker")
        logger.logLevel = .info
        let db = try configuration.openDatabase()
        try await Schema.migrate(db)
        let host = ProcessInfo.processInfo.hostName
        var services: [any Service] = (0..<count).map { i in
            WorkerService(worker: JobWorker(name: "\(host):\(getpid()):worker-\(i)", db: db, configuration: configuration, executable: executable))
        }
        services.append(DeliveryService(worker: DeliveryWorker(name: "\(host):\(getpid()):worker-delivery", db: db, configuration: configuration)))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await db.close()
    }
}

/// A worker loop as a lifecycle service: stops on graceful shutdown.
struct WorkerService: Service {
    let worker: JobWorker
    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}

/// The outbox's delivery loop as a lifecycle service.
struct DeliveryService: Service {
    let worker: DeliveryWorker
    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}

/// Queues the analysis of matched studies once their senders have gone quiet.
struct IntakeSweeper: Service {
    let env: ServiceEnvironment
    let logger: Logger
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let jobs = try await env.studies.enqueueSettled(queue: env.jobs, quietMilliseconds: Int64(env.configuration.jobs.studyQuietSeconds) * 1000)
                    if !jobs.isEmpty { logger.info("queued jobs \(jobs)") }
                } catch {
                    logger.error("intake sweep failed: \(type(of: error))")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
