// Resolves who is calling: a session cookie (browsers), `Authorization: Bearer <API token>` (scripts),
// or `Authorization: Basic user:<API token>` (DICOMweb senders such as Orthanc, which speak only Basic).
// Passwords are never accepted outside the login form: Basic carries an API token, not a password.
// It never refuses a request itself; each handler states the permission it needs (`Access`).
import Foundation
import Hummingbird

/// Sets `context.user` when the request carries a valid session cookie or API token.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    static let sessionCookie = "openbct_session"
    let users: UserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            context.user = try await users.user(apiToken: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } else if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
                  let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":") {
            let user = try await users.user(apiToken: String(pair[pair.index(after: colon)...]))
            context.user = user?.username == String(pair[..<colon]) ? user : nil
        } else if let cookie = request.cookies[Self.sessionCookie] {
            context.user = try await users.user(sessionToken: cookie.value)
        }
        return try await next(request, context)
    }
}
