// A physician's review actions through HTTP (cookie session + CSRF token, as the browser sends them).
import Foundation
import Hummingbird
@testable import Service
import Testing

struct ReviewActions {
    let client: InProcessClient
    let cookie: String
    let csrf: String

    init(client: InProcessClient, physician: (user: AuthenticatedUser, cookie: String)) {
        self.client = client; cookie = physician.cookie; csrf = physician.user.csrfToken ?? ""
    }

    private func post(_ path: String, _ fields: [String: String]) async throws -> HTTPResponse.Status {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = (fields.merging(["csrf": csrf]) { a, _ in a }).map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post,
                                        headers: [.cookie: "openbct_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: body)) { $0.status }
    }

    /// Signs the case's report with `text`; expects the redirect back to the case.
    func sign(job: Int64, text: String) async throws {
        let status = try await post("/cases/\(job)/report", ["action": "sign", "interpretation": text])
        #expect(status == .seeOther, "signing case \(job) answered \(status)")
    }

    /// Adds an addendum.
    func addendum(job: Int64, text: String) async throws {
        let status = try await post("/cases/\(job)/addenda", ["text": text])
        #expect(status == .seeOther, "addendum to case \(job) answered \(status)")
    }

    /// The case page's HTML.
    func casePage(job: Int64) async throws -> String {
        try await client.execute(uri: "/cases/\(job)", method: .get, headers: [.cookie: "openbct_session=\(cookie)"]) { String(buffer: $0.body) }
    }
}
