// Reports leaving the service: the FHIR DiagnosticReport of a case and the billing summary export.
import Foundation
import Hummingbird

extension ServiceEnvironment {
    func addReportRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/fhir/DiagnosticReport/:job") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            try await access.require(.review, action: "read FHIR DiagnosticReport", resource: "case \(job)", request: request, context: context)
            guard let row = try await cases.caseRow(jobID: job), let reportID = row.int("report_id") else { throw HTTPError(.notFound) }
            let data = try FHIRDiagnosticReport.make(row, addenda: try await cases.addenda(reportID: reportID))
            return Responses.json(data, contentType: "application/fhir+json")
        }
        router.get("/billing/export.csv") { request, context -> Response in
            try await access.require(.exportBilling, action: "export billing summaries (CSV)", resource: "billing", request: request, context: context)
            return Responses.text(BillingRecord.csv(try await billingRecords()), contentType: "text/csv; charset=utf-8")
        }
        router.get("/billing/export.json") { request, context -> Response in
            try await access.require(.exportBilling, action: "export billing summaries (JSON)", resource: "billing", request: request, context: context)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return Responses.json(try encoder.encode(try await billingRecords()))
        }
    }

    /// The stored summaries, oldest first (rows written by an older format are skipped).
    func billingRecords() async throws -> [BillingRecord] {
        try await cases.billingSummaries().compactMap { try? JSONDecoder().decode(BillingRecord.self, from: Data($0.utf8)) }
    }
}
