// /healthz (is the database reachable and migrated?) and /metrics (Prometheus text exposition).
// Neither shows patient data, so neither needs a login (monitoring systems scrape them).
import Foundation
import Hummingbird

extension ServiceEnvironment {
    func addHealthRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            do {
                let version = try await Schema.currentVersion(db)
                let ok = version == Schema.latestVersion
                return Responses.text("{\"status\":\"\(ok ? "ok" : "schema behind")\",\"database\":\"\(db.dialect.rawValue)\",\"schemaVersion\":\(version)}\n",
                                      contentType: "application/json", status: ok ? .ok : .serviceUnavailable)
            } catch {
                return Responses.text("{\"status\":\"database unreachable\"}\n", contentType: "application/json", status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            var lines: [String] = []
            lines.append("# HELP openbct_jobs Analysis jobs by status.")
            lines.append("# TYPE openbct_jobs gauge")
            let counts = try await jobs.countsByStatus()
            for status in ["queued", "running", "succeeded", "failed", "cancelled"] {
                lines.append("openbct_jobs{status=\"\(status)\"} \(counts[status] ?? 0)")
            }
            let unmatched = try await db.first("SELECT COUNT(*) AS n FROM studies WHERE order_id IS NULL")?.int("n") ?? 0
            lines.append("# HELP openbct_unmatched_studies Received studies matching no order.")
            lines.append("# TYPE openbct_unmatched_studies gauge")
            lines.append("openbct_unmatched_studies \(unmatched)")
            lines.append("# HELP openbct_reports Reports by status.")
            lines.append("# TYPE openbct_reports gauge")
            for row in try await db.execute("SELECT status, COUNT(*) AS n FROM reports GROUP BY status") {
                lines.append("openbct_reports{status=\"\(row.string("status") ?? "")\"} \(row.int("n") ?? 0)")
            }
            lines.append("# HELP openbct_deliveries Signed-report deliveries (PACS, FHIR) by status.")
            lines.append("# TYPE openbct_deliveries gauge")
            let deliveryCounts = try await deliveries.countsByStatus()
            for status in ["pending", "sending", "delivered"] {
                lines.append("openbct_deliveries{status=\"\(status)\"} \(deliveryCounts[status] ?? 0)")
            }
            for (name, value) in metrics.snapshot.sorted(by: { $0.key < $1.key }) {
                lines.append("# TYPE openbct_\(name)_total counter")
                lines.append("openbct_\(name)_total \(value)")
            }
            lines.append("# TYPE openbct_uptime_seconds gauge")
            lines.append("openbct_uptime_seconds \(Int(Date().timeIntervalSince(metrics.started)))")
            return Responses.text(lines.joined(separator: "\n") + "\n", contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
