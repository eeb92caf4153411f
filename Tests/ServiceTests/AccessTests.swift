// Every patient-data endpoint refuses unauthenticated and wrong-role requests, accepts the right
// role, and leaves an audit row for each attempt; CSRF and login rate limiting.
import Foundation
import Hummingbird
@testable import Service
import Testing

@Suite("Service access control and audit")
struct AccessTests {
    /// (method, path, role that may, a role that may not). Paths use job/study/order 1.
    static let endpoints: [(HTTPRequest.Method, String, Role, Role)] = [
        (.get, "/worklist", .physician, .admin),
        (.get, "/cases/1", .physician, .technologist),
        (.get, "/api/cases/1/result.json", .physician, .technologist),
        (.get, "/api/jobs/1", .technologist, .admin),
        (.get, "/cases/1/figures/a.png", .physician, .technologist),
        (.get, "/cases/1/slices/a.png", .physician, .admin),
        (.post, "/cases/1/report", .physician, .technologist),
        (.post, "/cases/1/addenda", .physician, .technologist),
        (.post, "/cases/1/reject", .physician, .admin),
        (.post, "/cases/1/rerun", .physician, .technologist),
        (.get, "/orders", .technologist, .admin),
        (.post, "/orders", .technologist, .physician),
        (.get, "/studies/unmatched", .technologist, .physician),
        (.post, "/studies/1/assign", .technologist, .physician),
        (.post, "/orders/1/pull", .technologist, .physician),
        (.post, "/dicomweb/studies", .technologist, .physician),
        (.get, "/admin/users", .admin, .physician),
        (.post, "/admin/users", .admin, .technologist),
        (.get, "/admin/audit", .admin, .physician),
        (.get, "/fhir/DiagnosticReport/1", .physician, .technologist),
        (.get, "/billing/export.csv", .admin, .technologist),
        (.get, "/billing/export.json", .physician, .technologist),
        (.post, "/admin/research-export", .admin, .physician),
        (.get, "/admin/research-export/export-1-0123abcd.zip", .admin, .physician),
    ]

    @Test("Each patient-data endpoint: 401 without credentials, 403 for the wrong role, audited")
    func refusals() async throws {
        let h = try await ServiceHarness()
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            let id = try await h.env.users.create(username: "api-\(role.rawValue)", displayName: role.rawValue,
                                                  password: ServiceHarness.password, role: role)
            tokens[role] = try await h.env.users.issueToken(userID: id, label: "test")
        }
        _ = try await h.studyWithOrder()
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            for (method, path, allowed, refused) in Self.endpoints {
                let before = try await h.db.first("SELECT COUNT(*) AS n FROM audit_log")?.int("n") ?? 0
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .unauthorized, "\(method) \(path) without credentials gave \(response.status)")
                }
                try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(tokens[refused]!)"]) { response in
                    #expect(response.status == .forbidden, "\(method) \(path) as \(refused) gave \(response.status)")
                }
                try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(tokens[allowed]!)"]) { response in
                    #expect(response.status != .unauthorized && response.status != .forbidden,
                            "\(method) \(path) as \(allowed) gave \(response.status)")
                }
                let after = try await h.db.first("SELECT COUNT(*) AS n FROM audit_log")?.int("n") ?? 0
                #expect(after - before == 3, "\(method) \(path): \(after - before) audit rows for 3 requests")
            }
        }
        let refusedRows = try await h.db.execute("SELECT * FROM audit_log WHERE outcome LIKE 'refused%'")
        #expect(refusedRows.count == 2 * Self.endpoints.count)
        #expect(refusedRows.allSatisfy { $0.string("action") != nil && ($0.int("at") ?? 0) > 0 })
        try await h.close()
    }

    @Test("Cookie sessions must send the CSRF token with state-changing requests")
    func csrf() async throws {
        let h = try await ServiceHarness()
        let (user, cookie) = try await h.signedIn(.technologist)
        let form = "accessionNumber=C1&patientID=PC1&patientName=X&indications=M81.0&orderingProviderName=Dr&orderingProviderNPI=1234567893&orderingProviderTaxonomy=207RE0101X&sites=spine&ctContraindicationsScreened=1&priorDXAReviewed=1&patientInformed=1"
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            let headers: HTTPFields = [.cookie: "openbct_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/orders", method: .post, headers: headers, body: ByteBuffer(string: form)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/orders", method: .post, headers: headers,
                                     body: ByteBuffer(string: form + "&csrf=\(user.csrfToken!)")) { response in
                #expect(response.status == .seeOther)
            }
        }
        #expect(try await h.db.first("SELECT COUNT(*) AS n FROM orders WHERE accession_number = 'C1'")?.int("n") == 1)
        try await h.close()
    }

    @Test("Login: a session cookie on success; after 5 failures even the right password is refused")
    func loginRateLimit() async throws {
        let h = try await ServiceHarness()
        _ = try await h.signedIn(.physician, name: "doc")
        let type: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await client.execute(uri: "/login", method: .post, headers: type,
                                     body: ByteBuffer(string: "username=doc&password=correct+horse+battery")) { response in
                #expect(response.status == .seeOther)
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.contains("openbct_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            }
            for _ in 0..<5 {
                try await client.execute(uri: "/login", method: .post, headers: type, body: ByteBuffer(string: "username=doc&password=wrong")) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/login", method: .post, headers: type,
                                     body: ByteBuffer(string: "username=doc&password=correct+horse+battery")) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
        #expect(try await h.db.first("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login' AND outcome = 'refused: rate limit'")?.int("n") == 1)
        try await h.close()
    }

    @Test("/healthz and /metrics answer without login and show no patient data")
    func health() async throws {
        let h = try await ServiceHarness()
        _ = try await h.studyWithOrder(accession: "SECRET1", patientID: "PSECRET")
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"schemaVersion\":\(Schema.latestVersion)"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("openbct_jobs{status=\"queued\"}"))
                #expect(!text.contains("SECRET") && !text.contains("PSECRET"))
            }
        }
        try await h.close()
    }
}
