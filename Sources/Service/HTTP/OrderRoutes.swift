// Orders (HTML form and JSON API) and the unmatched-studies list with manual assignment.
import Foundation
import Hummingbird
import OpenBCTCore

extension ServiceEnvironment {
    func addOrderRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/orders") { request, context -> Response in
            let user = try await access.require(.viewOrders, action: "list orders", resource: "orders", request: request, context: context)
            if request.headers[.accept]?.contains("application/json") == true {
                return try Responses.json(try await orders.list().map { ["id": $0.string("id") ?? "", "accessionNumber": $0.string("accession_number") ?? "",
                                                                         "status": $0.string("workflow_status") ?? ""] })
            }
            return Responses.html(Pages.orders(try await orders.list(), pulls: try await latestPulls(), user: user))
        }
        router.post("/orders") { request, context -> Response in
            let isJSON = request.headers[.contentType]?.hasPrefix("application/json") == true
            if isJSON {
                let user = try await access.require(.manageOrders, action: "create order", resource: "orders", request: request, context: context)
                let order = try await request.decode(as: OrderRequest.self, context: context)
                do {
                    let id = try await orders.create(order, by: user)
                    return try Responses.json(["id": id], status: .created)
                } catch let error as InputError {
                    throw HTTPError(.badRequest, message: error.description)
                }
            }
            let form = try await FormBody.read(request, context: context)
            let user = try await access.require(.manageOrders, action: "create order", resource: "orders", request: request, context: context, csrfToken: form["csrf"])
            let order = OrderRequest(
                accessionNumber: form["accessionNumber"] ?? "", patientID: form["patientID"] ?? "", patientName: form["patientName"] ?? "",
                patientBirthDate: form["patientBirthDate"].flatMap { $0.isEmpty ? nil : $0 },
                indications: (form["indications"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                orderingProviderName: form["orderingProviderName"] ?? "", orderingProviderNPI: form["orderingProviderNPI"] ?? "",
                orderingProviderTaxonomy: form["orderingProviderTaxonomy"] ?? "",
                sites: (form["sites"] ?? "").split(separator: ",").map(String.init),
                ctContraindicationsScreened: form["ctContraindicationsScreened"] == "1", priorDXAReviewed: form["priorDXAReviewed"] == "1",
                patientInformed: form["patientInformed"] == "1")
            do {
                _ = try await orders.create(order, by: user)
                return Responses.redirect("/orders")
            } catch let error as InputError {
                return Responses.html(Pages.orders(try await orders.list(), pulls: try await latestPulls(), user: user, error: error.description),
                                      status: .badRequest)
            }
        }
        router.get("/studies/unmatched") { request, context -> Response in
            let user = try await access.require(.sendStudies, action: "list unmatched studies", resource: "unmatched studies", request: request, context: context)
            let rows = try await studies.unmatched()
            if request.headers[.accept]?.contains("application/json") == true {
                return try Responses.json(rows.map { ["id": $0.string("id") ?? "", "studyInstanceUID": $0.string("study_instance_uid") ?? "",
                                                      "accessionNumber": $0.string("accession_number") ?? ""] })
            }
            return Responses.html(Pages.unmatched(rows, user: user))
        }
        router.post("/studies/:study/assign") { request, context -> Response in
            let study = try context.parameters.require("study", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            try await access.require(.manageOrders, action: "assign study to order", resource: "study \(study)", request: request, context: context, csrfToken: form["csrf"])
            guard let order = form["order"].flatMap({ Int64($0) }), try await orders.order(order) != nil else {
                throw HTTPError(.badRequest, message: "no such order")
            }
            guard try await studies.assign(studyID: study, orderID: order) else { throw HTTPError(.conflict, message: "the study is already matched") }
            return Responses.redirect("/studies/unmatched")
        }
    }
}
