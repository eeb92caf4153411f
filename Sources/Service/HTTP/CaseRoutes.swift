// The worklist and the case page with its actions: save, sign, addendum, reject, re-run; the
// analysis's images and result document.
import Foundation
import Hummingbird
import OpenBCTCore

extension ServiceEnvironment {
    func addCaseRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/worklist") { request, context -> Response in
            let user = try await access.require(.viewStatus, action: "view worklist", resource: "worklist", request: request, context: context)
            let q = request.uri.queryParameters
            let filters = ["status": q["status"].map(String.init) ?? "", "report": q["report"].map(String.init) ?? "",
                           "accession": q["accession"].map(String.init) ?? ""]
            let rows = try await cases.worklist(jobStatus: filters["status"], reportStatus: filters["report"], accession: filters["accession"])
            if request.headers[.accept]?.contains("application/json") == true {
                return try Responses.json(rows.map(Self.worklistItem))
            }
            return Responses.html(Pages.worklist(rows, user: user, filters: filters))
        }
        router.get("/cases/:job") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            let user = try await access.require(.review, action: "view case", resource: "case \(job)", request: request, context: context)
            guard let row = try await cases.caseRow(jobID: job) else { throw HTTPError(.notFound) }
            var addenda: [SQLRow] = []
            if let report = row.int("report_id") { addenda = try await cases.addenda(reportID: report) }
            return Responses.html(CasePage.render(row, addenda: addenda, deliveries: try await deliveries.deliveries(jobID: job), user: user))
        }
        router.get("/api/cases/:job/result.json") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            try await access.require(.review, action: "read result", resource: "case \(job)", request: request, context: context)
            guard let document = try await cases.caseRow(jobID: job)?.string("document") else { throw HTTPError(.notFound) }
            return Responses.json(Data(document.utf8))
        }
        router.get("/api/jobs/:job") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            try await access.require(.viewStatus, action: "view job status", resource: "case \(job)", request: request, context: context)
            guard let row = try await cases.caseRow(jobID: job) else { throw HTTPError(.notFound) }
            return try Responses.json(Self.worklistItem(row))
        }
        for kind in ["figures", "slices"] {
            router.get(RouterPath("/cases/:job/\(kind)/:name")) { request, context -> Response in
                let job = try context.parameters.require("job", as: Int64.self)
                let name = try context.parameters.require("name")
                try await access.require(.review, action: "view \(kind)", resource: "case \(job)", request: request, context: context)
                // File names only: no separators, no dot-dot.
                guard name.hasSuffix(".png"), !name.contains("/"), !name.hasPrefix("."),
                      let folder = try await cases.caseRow(jobID: job)?.string("folder") else { throw HTTPError(.notFound) }
                return try Responses.file(URL(fileURLWithPath: folder).appendingPathComponent("\(kind)/\(name)"), contentType: "image/png")
            }
        }
        router.post("/cases/:job/report") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            let signing = form["action"] == "sign"
            let user = try await access.require(signing ? .sign : .review, action: signing ? "sign report" : "edit interpretation",
                                                resource: "case \(job)", request: request, context: context, csrfToken: form["csrf"])
            guard let reportID = try await cases.caseRow(jobID: job)?.int("report_id") else { throw HTTPError(.notFound) }
            let text = form["interpretation"] ?? ""
            if signing {
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw HTTPError(.badRequest, message: "an empty interpretation cannot be signed")
                }
                guard try await cases.sign(reportID: reportID, text: text, by: user,
                                           alsoRun: DeliveryOutbox.enqueueSigned(reportID: reportID, targets: deliveryTargets)) else {
                    throw HTTPError(.conflict, message: "the report is not a draft: signed reports change only by addenda")
                }
                metrics.increment("reports_signed")
                if let signed = try await cases.caseRow(jobID: job) {
                    let record = BillingRecord.make(signed, performers: configuration.billing)
                    try await cases.storeBillingSummary(reportID: reportID, json: String(decoding: try JSONEncoder().encode(record), as: UTF8.self))
                }
            } else {
                guard try await cases.saveInterpretation(reportID: reportID, text: text) else {
                    throw HTTPError(.conflict, message: "the report is not a draft: signed reports change only by addenda")
                }
            }
            return Responses.redirect("/cases/\(job)")
        }
        router.post("/cases/:job/addenda") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            let user = try await access.require(.sign, action: "add addendum", resource: "case \(job)", request: request, context: context, csrfToken: form["csrf"])
            guard let reportID = try await cases.caseRow(jobID: job)?.int("report_id") else { throw HTTPError(.notFound) }
            guard try await cases.addAddendum(reportID: reportID, text: form["text"] ?? "", by: user,
                                              alsoRun: DeliveryOutbox.enqueueAddendum(reportID: reportID, targets: deliveryTargets)) else {
                throw HTTPError(.conflict, message: "addenda are for signed reports; edit the draft instead")
            }
            return Responses.redirect("/cases/\(job)")
        }
        router.post("/cases/:job/reject") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            try await access.require(.sign, action: "reject report", resource: "case \(job)", request: request, context: context, csrfToken: form["csrf"])
            guard let reportID = try await cases.caseRow(jobID: job)?.int("report_id") else { throw HTTPError(.notFound) }
            guard try await cases.reject(reportID: reportID, reason: form["reason"] ?? "") else {
                throw HTTPError(.conflict, message: "only a draft can be rejected")
            }
            return Responses.redirect("/cases/\(job)")
        }
        router.post("/cases/:job/rerun") { request, context -> Response in
            let job = try context.parameters.require("job", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            try await access.require(.review, action: "re-run analysis", resource: "case \(job)", request: request, context: context, csrfToken: form["csrf"])
            guard let row = try await jobs.job(job), let study = row.int("study_id") else { throw HTTPError(.notFound) }
            let arguments: [String]
            do { arguments = try Overrides.parse(form["overrides"] ?? "") } catch let error as InputError {
                throw HTTPError(.badRequest, message: error.description)
            }
            // The form's one-time token makes a double-submitted form one re-run, not two.
            let key = "rerun:\(job):\(Secrets.hash((form["csrf"] ?? "") + (form["overrides"] ?? "") + String(Timestamp.now() / 10_000)))"
            guard let newJob = try await jobs.enqueue(studyID: study, orderID: row.int("order_id"), requestKey: key,
                                                      overrides: Overrides.encode(arguments)) else { throw HTTPError(.internalServerError) }
            return Responses.redirect("/cases/\(newJob)")
        }
    }

    /// A worklist row as JSON (for API clients and tests).
    static func worklistItem(_ r: SQLRow) -> [String: String] {
        var item: [String: String] = [:]
        for key in ["job_id", "job_status", "progress", "attempts", "report_id", "report_status", "accession_number", "order_status"] {
            if let v = r.string(key) { item[key] = v }
        }
        return item
    }
}
