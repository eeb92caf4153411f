// Everything route handlers share: configuration, database and the stores built on it.
import Foundation

/// The service's shared state, built once per process.
public struct ServiceEnvironment: Sendable {
    public let configuration: ServiceConfiguration
    public let db: any SQLDatabase
    public let users: UserStore
    public let audit: AuditLog
    public let orders: OrderStore
    public let studies: StudyStore
    public let cases: CaseStore
    public let jobs: JobQueue
    public let deliveries: DeliveryOutbox
    public let loginLimiter: LoginRateLimiter
    public let metrics = ServiceMetrics()
    let access: Access

    public init(configuration: ServiceConfiguration, db: any SQLDatabase) {
        self.configuration = configuration
        self.db = db
        users = UserStore(db: db, hasher: PasswordHasher(cost: configuration.security.bcryptCost),
                          sessionHours: configuration.security.sessionHours)
        audit = AuditLog(db: db)
        orders = OrderStore(db: db)
        studies = StudyStore(db: db, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
        cases = CaseStore(db: db)
        jobs = JobQueue(db: db, leaseSeconds: configuration.jobs.leaseSeconds, maxAttempts: configuration.jobs.maxAttempts)
        deliveries = DeliveryOutbox(db: db, configuration: configuration.delivery)
        loginLimiter = LoginRateLimiter(limit: configuration.security.loginAttemptsPerWindow,
                                        windowSeconds: configuration.security.loginWindowSeconds)
        access = Access(audit: audit)
    }

    /// Where signed reports go: the configured PACS and FHIR server.
    var deliveryTargets: [DeliveryTarget] {
        (configuration.pacs != nil ? [.pacs] : []) + (configuration.fhir != nil ? [.fhir] : [])
    }
}
