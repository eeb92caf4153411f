// Users, their sessions (browser cookies) and API tokens (scripts, modality-side senders).
import Foundation
import OpenBCTCore

/// A signed-in user as the request handlers see it.
public struct AuthenticatedUser: Sendable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    /// The session's CSRF token; nil for API-token requests (which carry no ambient cookie).
    public var csrfToken: String?
}

/// Reads and writes users, sessions and API tokens.
public struct UserStore: Sendable {
    let db: any SQLDatabase
    let hasher: PasswordHasher
    let sessionHours: Int

    public init(db: any SQLDatabase, hasher: PasswordHasher, sessionHours: Int) {
        self.db = db; self.hasher = hasher; self.sessionHours = sessionHours
    }

    /// Creates a user; throws `InputError` for a bad name, a short password or a taken name.
    @discardableResult
    public func create(username: String, displayName: String, password: String, role: Role, npi: String? = nil) async throws -> Int64 {
        guard username.range(of: "^[a-z0-9._-]{2,64}$", options: .regularExpression) != nil else {
            throw InputError(location: "username", "expected 2–64 of a–z, 0–9, '.', '_', '-'")
        }
        guard password.count >= 12 else { throw InputError(location: "password", "expected at least 12 characters") }
        if try await db.first("SELECT id FROM users WHERE username = ?", username) != nil {
            throw InputError(location: "username", "'\(username)' is taken")
        }
        let hash = try await hasher.hash(password)
        let rows = try await db.execute(
            "INSERT INTO users (username, display_name, password_hash, role, npi, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            username, displayName, hash, role.rawValue, npi, Timestamp.now())
        return rows.first?.int("id") ?? 0
    }

    /// The user with this name and password, or nil.
    public func verify(username: String, password: String) async throws -> AuthenticatedUser? {
        guard let row = try await db.first("SELECT * FROM users WHERE username = ? AND disabled = 0", username),
              let hash = row.string("password_hash") else {
            // Same work as a real check, so response time does not reveal which names exist.
            _ = try await hasher.verify(password, hash: hasher.decoy)
            return nil
        }
        guard try await hasher.verify(password, hash: hash) else { return nil }
        return Self.user(row, csrf: nil)
    }

    /// Opens a session; returns (cookie token, CSRF token).
    public func openSession(userID: Int64) async throws -> (token: String, csrf: String) {
        let token = Secrets.randomToken(), csrf = Secrets.randomToken()
        let now = Timestamp.now()
        try await db.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                             Secrets.hash(token), userID, csrf, now, now + Int64(sessionHours) * 3_600_000)
        return (token, csrf)
    }

    public func closeSession(token: String) async throws {
        try await db.execute("DELETE FROM sessions WHERE token_hash = ?", Secrets.hash(token))
    }

    /// The user of a live session cookie.
    public func user(sessionToken: String) async throws -> AuthenticatedUser? {
        guard let row = try await db.first("""
            SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0
            """, Secrets.hash(sessionToken), Timestamp.now()) else { return nil }
        return Self.user(row, csrf: row.string("csrf_token"))
    }

    /// Issues an API token (shown once; only its hash is kept).
    public func issueToken(userID: Int64, label: String) async throws -> String {
        let token = "obct_" + Secrets.randomToken()
        try await db.execute("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)",
                             Secrets.hash(token), userID, label, Timestamp.now())
        return token
    }

    /// The user of a bearer token.
    public func user(apiToken: String) async throws -> AuthenticatedUser? {
        guard let row = try await db.first("""
            SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0
            """, Secrets.hash(apiToken)) else { return nil }
        return Self.user(row, csrf: nil)
    }

    public func count() async throws -> Int64 {
        try await db.first("SELECT COUNT(*) AS n FROM users")?.int("n") ?? 0
    }

    public func list() async throws -> [SQLRow] {
        try await db.execute("SELECT id, username, display_name, role, npi, disabled, created_at FROM users ORDER BY id")
    }

    private static func user(_ row: SQLRow, csrf: String?) -> AuthenticatedUser? {
        guard let id = row.int("id"), let name = row.string("username"),
              let role = row.string("role").flatMap(Role.init(rawValue:)) else { return nil }
        return AuthenticatedUser(id: id, username: name, displayName: row.string("display_name") ?? name, role: role, csrfToken: csrf)
    }
}
