// POSTs a transaction Bundle to the configured FHIR server's base URL (R4 §3.1.0.11.2: POST [base]).
// Over the DICOMweb client's transport (`HTTPExchange`: AsyncHTTPClient), not corelibs URLSession
// (docs/dicomweb.md, "HTTP client").
import DICOMweb
import Foundation
import NIOHTTP1

struct FHIRSender: Sendable {
    let endpoint: ServiceConfiguration.Endpoint
    let timeout: TimeInterval
    /// Answers larger than this are not read (an OperationOutcome or a transaction-response Bundle is small).
    private static let maximumResponseBytes = 16 << 20

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `bundle`; returns the HTTP status. Any status but 200 throws (with the start of the
    /// server's OperationOutcome, which names the resource it refused).
    func send(_ bundle: Data) async throws -> Int {
        guard let url = URL(string: endpoint.url), url.scheme != nil else {
            throw Failure(description: "fhir.url '\(endpoint.url)' is not a URL")
        }
        var headers = HTTPHeaders([("Content-Type", "application/fhir+json"), ("Accept", "application/fhir+json")])
        if let user = endpoint.username {
            headers.add(name: "Authorization", value: BasicCredentials(username: user, password: endpoint.password ?? "").authorizationHeader)
        }
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(.POST, url: url.absoluteString, headers: headers, body: bundle, timeout: timeout,
                                                 maximumResponseBytes: Self.maximumResponseBytes)
        } catch {
            throw Failure(description: "POST \(url.absoluteString): request failed: \(error)")
        }
        guard answer.status == 200 else {
            let excerpt = String(decoding: answer.body.prefix(300), as: UTF8.self)
            throw Failure(description: "POST \(url.absoluteString): HTTP \(answer.status) \(excerpt)")
        }
        return answer.status
    }
}
