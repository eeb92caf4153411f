// Pulling an order's study from the PACS: the button on the order page (cookie + CSRF token), or a
// script with an API token (`Accept: application/json` answers the outcome as JSON).
import Foundation
import Hummingbird

extension ServiceEnvironment {
    func addPullRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/orders/:order/pull") { request, context -> Response in
            let orderID = try context.parameters.require("order", as: Int64.self)
            let form = try await FormBody.read(request, context: context)
            let user = try await access.require(.sendStudies, action: "pull study from PACS", resource: "order \(orderID)",
                                                request: request, context: context, csrfToken: form["csrf"])
            guard let order = try await orders.order(orderID) else { throw HTTPError(.notFound, message: "no such order") }
            let named = form["studyInstanceUID"]?.trimmingCharacters(in: .whitespaces)
            let outcome = try await pullFromPACS(order: order, studyInstanceUID: named?.isEmpty == false ? named : nil, by: user)
            let status = HTTPResponse.Status(code: outcome.httpStatus)
            if request.headers[.accept]?.contains("application/json") == true {
                return try Responses.json(outcome, status: status)
            }
            let message = "Order #\(orderID), PACS pull: \(outcome.detail)"
            return Responses.html(Pages.orders(try await orders.list(), pulls: try await latestPulls(), user: user,
                                               error: outcome.succeeded ? nil : message, message: outcome.succeeded ? message : nil),
                                  status: status)
        }
    }
}
