// First-run tasks outside the HTTP server: migrating and creating users from the command line.
import Foundation

/// Command-line administration.
public enum ServiceBootstrap {
    /// Opens the configured database, migrates it and creates a user; returns an API token when asked.
    public static func createUser(configuration: ServiceConfiguration, username: String, displayName: String,
                                  password: String, role: Role, issueToken: Bool) async throws -> String? {
        let db = try configuration.openDatabase()
        try await Schema.migrate(db)
        let env = ServiceEnvironment(configuration: configuration, db: db)
        let id = try await env.users.create(username: username, displayName: displayName, password: password, role: role)
        try await env.audit.record(user: nil, action: "create user (command line)", resource: "user \(id)", remoteAddress: "local", outcome: "allowed")
        let token = issueToken ? try await env.users.issueToken(userID: id, label: "command line") : nil
        try await db.close()
        return token
    }
}
