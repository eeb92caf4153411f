// Administration: users (create, list), API tokens, the audit log.
import Foundation
import HTTPTypes
import Hummingbird
import OpenBCTCore

extension ServiceEnvironment {
    func addAdminRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/admin/users") { request, context -> Response in
            let user = try await access.require(.manageUsers, action: "list users", resource: "users", request: request, context: context)
            return Responses.html(Pages.users(try await users.list(), user: user))
        }
        router.post("/admin/users") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            let admin = try await access.require(.manageUsers, action: "create user", resource: "user \(form["username"] ?? "")",
                                                 request: request, context: context, csrfToken: form["csrf"])
            guard let role = form["role"].flatMap(Role.init(rawValue:)) else { throw HTTPError(.badRequest, message: "unknown role") }
            do {
                try await users.create(username: form["username"] ?? "", displayName: form["displayName"] ?? "",
                                       password: form["password"] ?? "", role: role, npi: form["npi"].flatMap { $0.isEmpty ? nil : $0 })
                return Responses.redirect("/admin/users")
            } catch let error as InputError {
                return Responses.html(Pages.users(try await users.list(), user: admin, message: error.description), status: .badRequest)
            }
        }
        // API tokens are issued to the caller (a signed-in user of any role), shown once.
        router.post("/api/tokens") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            guard let user = context.user, let expected = user.csrfToken, let given = form["csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!],
                  Secrets.equal(given, expected) else { throw HTTPError(.unauthorized, message: "sign in (session) first") }
            let token = try await users.issueToken(userID: user.id, label: form["label"] ?? "api")
            try await audit.record(user: user, action: "issue API token", resource: "user \(user.username)", remoteAddress: context.clientAddress, outcome: "allowed")
            return try Responses.json(["token": token], status: .created)
        }
        router.get("/admin/audit") { request, context -> Response in
            let user = try await access.require(.viewAudit, action: "read audit log", resource: "audit log", request: request, context: context)
            let rows = try await audit.recent(limit: 500)
            if request.headers[.accept]?.contains("application/json") == true {
                return try Responses.json(rows.map { r in
                    ["at": r.string("at") ?? "", "username": r.string("username") ?? "", "action": r.string("action") ?? "",
                     "resource": r.string("resource") ?? "", "remoteAddress": r.string("remote_address") ?? "", "outcome": r.string("outcome") ?? ""]
                })
            }
            return Responses.html(Pages.audit(rows, user: user))
        }
    }
}
