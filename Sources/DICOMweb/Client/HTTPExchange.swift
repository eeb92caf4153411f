// One HTTP request and its whole answer over AsyncHTTPClient: the transport shared by the DICOMweb
// client and the service's FHIR sender (the client on its own event-loop thread, the body in one
// ByteBuffer, a deadline over the whole exchange, a cap on the answer's size; docs/dicomweb.md, "HTTP client").
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What came back: status, headers and the whole body.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
}

/// A request that got no usable answer (refused, timed out, too large); `reason` says which, in words.
public struct HTTPTransportFailure: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}

public enum HTTPExchange {
    /// Sends one request and collects its answer, whatever its status (the caller judges it).
    /// Throws `HTTPTransportFailure` when no whole answer arrived within `timeout` seconds or it was
    /// larger than `maximumResponseBytes`.
    public static func send(_ method: HTTPMethod, url: String, headers: HTTPHeaders, body: Data?, timeout: TimeInterval,
                            maximumResponseBytes: Int, client: HTTPClient = DICOMwebClient.sharedHTTPClient) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        // One ByteBuffer, written by the client's event loop. A `Data` body is streamed as an async sequence
        // fed from Swift's cooperative pool; when that pool is busy with CPU work (analyses, rendering; seen
        // in the full test run) the upload stalls until the server's read timeout cuts it (Orthanc: 400).
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        do {
            let response = try await client.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: maximumResponseBytes)
            return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        } catch {
            let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout]
            let reason = (error as? HTTPClientError).map(timeouts.contains) == true ? "no answer within \(Int(timeout)) s"
                : error is NIOTooManyBytesError ? "response larger than \(maximumResponseBytes) bytes" : "\(error)"
            throw HTTPTransportFailure(reason: reason)
        }
    }
}
