// The one gate in front of every patient-data handler: authenticated, allowed, CSRF-checked, audited.
import HTTPTypes
import Hummingbird

/// Checks and records access to patient data.
struct Access: Sendable {
    let audit: AuditLog

    /// Returns the user when they may `permission`; otherwise records the refusal and throws 401/403.
    /// Every call — allowed or refused — writes one audit row (who, what, when, from where).
    /// `csrfToken` is the token a cookie-authenticated state-changing request submitted.
    @discardableResult
    func require(_ permission: Permission, action: String, resource: String, request: Request,
                 context: ServiceRequestContext, csrfToken: String? = nil) async throws -> AuthenticatedUser {
        guard let user = context.user else {
            try await audit.record(user: nil, action: action, resource: resource, remoteAddress: context.clientAddress, outcome: "refused: unauthenticated")
            throw HTTPError(.unauthorized, message: "sign in first")
        }
        guard user.role.allows(permission) else {
            try await audit.record(user: user, action: action, resource: resource, remoteAddress: context.clientAddress,
                                   outcome: "refused: role \(user.role.rawValue) lacks \(permission.rawValue)")
            throw HTTPError(.forbidden, message: "your role (\(user.role.rawValue)) may not do this")
        }
        // Cookie sessions: a state-changing request must echo the session's CSRF token (form field
        // `csrf` or header X-CSRF-Token). Bearer-token requests carry no ambient credential: exempt.
        if request.method != .get && request.method != .head, let expected = user.csrfToken {
            let given = csrfToken ?? request.headers[HTTPField.Name("X-CSRF-Token")!]
            guard let given, Secrets.equal(given, expected) else {
                try await audit.record(user: user, action: action, resource: resource, remoteAddress: context.clientAddress, outcome: "refused: CSRF token missing or wrong")
                throw HTTPError(.forbidden, message: "CSRF token missing or wrong: reload the page")
            }
        }
        try await audit.record(user: user, action: action, resource: resource, remoteAddress: context.clientAddress, outcome: "allowed")
        return user
    }
}
