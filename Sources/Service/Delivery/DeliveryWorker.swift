// Sends the outbox: claims a due delivery, renders the signed report (once per revision), sends it to
// the PACS (STOW-RS) or the FHIR server, and records the outcome in the outbox and the audit log.
// Runs inside `openbct serve` and in each `openbct worker` process; any number may run at once.
import DICOMweb
import Foundation
import Logging
import OpenBCTCore
import Reporting

/// One delivery loop.
public struct DeliveryWorker: Sendable {
    public let name: String
    let outbox: DeliveryOutbox
    let rendering: SignedReportRendering
    let audit: AuditLog
    let configuration: ServiceConfiguration
    let logger: Logger

    public init(name: String, db: any SQLDatabase, configuration: ServiceConfiguration) {
        self.name = name
        outbox = DeliveryOutbox(db: db, configuration: configuration.delivery)
        rendering = SignedReportRendering(db: db, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory),
                                          organization: configuration.billing.interpretationBy)
        audit = AuditLog(db: db)
        self.configuration = configuration
        logger = Logger(label: "openbct.delivery.\(name)")
    }

    /// Sends due deliveries until the task is cancelled. Once per lease period it also removes the
    /// rendering scratch folders of workers that died mid-render.
    public func run() async {
        let lease = TimeInterval(configuration.delivery.leaseSeconds)
        var lastSweep = Date.distantPast
        while !Task.isCancelled {
            if Date().timeIntervalSince(lastSweep) >= lease {
                let removed = rendering.removeAbandonedScratch(olderThan: lease)
                if removed > 0 { logger.info("removed \(removed) abandoned rendering folder(s)") }
                lastSweep = Date()
            }
            do {
                if try await runOnce() != nil { continue }
            } catch is CancellationError {
                break
            } catch {
                logger.error("delivery loop error: \(type(of: error))")
            }
            try? await Task.sleep(for: .milliseconds(configuration.delivery.pollMilliseconds))
        }
    }

    /// Claims and attempts one due delivery; returns it with its outcome (nil when none was due).
    @discardableResult
    public func runOnce() async throws -> (id: Int64, delivered: Bool)? {
        guard let delivery = try await outbox.claim(worker: name) else { return nil }
        let action = delivery.target == .pacs ? "send report to PACS (STOW-RS)" : "send DiagnosticReport to FHIR server"
        let resource = "case \(delivery.jobID)" + (delivery.revision == 0 ? "" : " addendum \(delivery.revision)")
        do {
            let folder = try await rendering.rendered(delivery)
            let detail = try await send(delivery, folder: folder)
            try await outbox.delivered(delivery, worker: name, detail: detail)
            try await audit.record(user: nil, action: action, resource: resource, remoteAddress: nil, outcome: "delivered (attempt \(delivery.attempt))")
            logger.info("delivery \(delivery.id) (\(delivery.target.rawValue)) delivered on attempt \(delivery.attempt)")
            return (delivery.id, true)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The outbox keeps the message (it names the URL and status); the log only the kind.
            try await outbox.retryLater(delivery, worker: name, error: String(describing: error))
            try await audit.record(user: nil, action: action, resource: resource, remoteAddress: nil,
                                   outcome: "failed (attempt \(delivery.attempt)): will retry")
            logger.warning("delivery \(delivery.id) (\(delivery.target.rawValue)) attempt \(delivery.attempt) failed: \(type(of: error))")
            return (delivery.id, false)
        }
    }

    /// Sends the rendered files; returns what the receiver now holds.
    func send(_ delivery: ClaimedDelivery, folder: URL) async throws -> String {
        let timeout = TimeInterval(configuration.delivery.requestTimeoutSeconds)
        switch delivery.target {
        case .pacs:
            guard let pacs = configuration.pacs, let url = URL(string: pacs.url) else {
                throw InputError(location: "configuration pacs.url", "not set or not a URL: the delivery waits until it is")
            }
            let credentials = pacs.username.map { BasicCredentials(username: $0, password: pacs.password ?? "") }
            let files = SignedReportRendering.dicomFiles(in: folder, revision: delivery.revision)
            let client = DICOMwebClient(baseURL: url, credentials: credentials, timeout: timeout)
            let response = try await client.store(files: files)
            guard response.failed.isEmpty, response.stored.count == files.count else {
                throw InputError(location: "STOW-RS response", "\(response.stored.count) of \(files.count) instances stored, \(response.failed.count) failed")
            }
            // Done only when the PACS lists what it said it stored (DICOMweb has no storage commitment;
            // StorageConfirmation.swift). Otherwise retried: the same SOP Instance UIDs are sent again.
            let unlisted = try await client.unlisted(try files.map(InstanceLocation.init(file:)))
            guard unlisted.isEmpty else {
                throw InputError(location: "QIDO-RS confirmation", "the PACS answered stored but does not list \(unlisted.count) of \(files.count) instances: "
                                 + unlisted.map(\.sopInstanceUID).joined(separator: ", "))
            }
            return response.stored.map(\.sopInstanceUID).joined(separator: " ") + " (listed by QIDO-RS)"
        case .fhir:
            guard let fhir = configuration.fhir else {
                throw InputError(location: "configuration fhir.url", "not set: the delivery waits until it is")
            }
            let collection = try Data(contentsOf: folder.appendingPathComponent(ReportRenderer.fhirName))
            let status = try await FHIRSender(endpoint: fhir, timeout: timeout)
                .send(try FHIRTransaction.make(collection: collection, caseID: delivery.jobID))
            return "transaction HTTP \(status): DiagnosticReport/openbct-\(delivery.jobID)"
        }
    }
}
