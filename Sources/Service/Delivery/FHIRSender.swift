// POSTs a transaction Bundle to the configured FHIR server's base URL (R4 §3.1.0.11.2: POST [base]).
// Over AsyncHTTPClient, like the DICOMweb client, not corelibs URLSession (docs/dicomweb.md, "HTTP client").
import AsyncHTTPClient
import DICOMweb
import Foundation
import NIOCore
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
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/fhir+json")
        request.headers.add(name: "Accept", value: "application/fhir+json")
        if let user = endpoint.username {
            let token = Data("\(user):\(endpoint.password ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(token)")
        }
        request.body = .bytes(ByteBuffer(bytes: bundle))   // written by the event loop (DICOMwebClient.send says why)
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        let status: Int, data: Data
        do {
            let response = try await DICOMwebClient.sharedHTTPClient.execute(request, deadline: deadline)
            status = Int(response.status.code)
            data = Data(try await response.body.collect(upTo: Self.maximumResponseBytes).readableBytesView)
        } catch {
            throw Failure(description: "POST \(url.absoluteString): request failed: \(error)")
        }
        guard status == 200 else {
            let excerpt = String(decoding: data.prefix(300), as: UTF8.self)
            throw Failure(description: "POST \(url.absoluteString): HTTP \(status) \(excerpt)")
        }
        return status
    }
}
