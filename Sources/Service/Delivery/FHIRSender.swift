// POSTs a transaction Bundle to the configured FHIR server's base URL (R4 §3.1.0.11.2: POST [base]).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct FHIRSender: Sendable {
    let endpoint: ServiceConfiguration.Endpoint
    let timeout: TimeInterval

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `bundle`; returns the HTTP status. Any status but 200 throws (with the start of the
    /// server's OperationOutcome, which names the resource it refused).
    func send(_ bundle: Data) async throws -> Int {
        guard let url = URL(string: endpoint.url) else { throw Failure(description: "fhir.url '\(endpoint.url)' is not a URL") }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/fhir+json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/fhir+json", forHTTPHeaderField: "Accept")
        request.setValue("close", forHTTPHeaderField: "Connection")
        request.setValue("", forHTTPHeaderField: "Expect")
        if let user = endpoint.username {
            let token = Data("\(user):\(endpoint.password ?? "")".utf8).base64EncodedString()
            request.setValue("Basic \(token)", forHTTPHeaderField: "Authorization")
        }
        request.httpBody = bundle
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: RefuseChallenges(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (data, response): (Data, URLResponse)
        do { (data, response) = try await session.data(for: request) } catch {
            throw Failure(description: "POST \(url.absoluteString): request failed: \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw Failure(description: "POST \(url.absoluteString): not an HTTP response") }
        guard http.statusCode == 200 else {
            let excerpt = String(decoding: data.prefix(300), as: UTF8.self)
            throw Failure(description: "POST \(url.absoluteString): HTTP \(http.statusCode) \(excerpt)")
        }
        return http.statusCode
    }
}

/// Credentials are sent up front, so an authentication challenge means they were refused: end the
/// task (corelibs Foundation otherwise waits forever on a 401 with WWW-Authenticate; see
/// DICOMweb's client, which does the same).
private final class RefuseChallenges: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        completionHandler(.rejectProtectionSpace, nil)
    }
}
