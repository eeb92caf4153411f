// Sends requests straight to the service's router, in process (no sockets): the handlers, middleware
// and error mapping are the ones `openbct serve` runs.
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import Service

struct InProcessResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer
}

struct InProcessClient: Sendable {
    let responder: Router<ServiceRequestContext>.Responder
    let logger = Logger(label: "openbct.test")

    init(_ router: Router<ServiceRequestContext>) { responder = router.buildResponder() }

    /// Runs `test` with a client of `router`.
    static func test<T>(_ router: Router<ServiceRequestContext>, _ test: (InProcessClient) async throws -> T) async throws -> T {
        try await test(InProcessClient(router))
    }

    @discardableResult
    func execute<T>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                    testCallback: (InProcessResponse) async throws -> T = { $0 }) async throws -> T {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
                              body: RequestBody(buffer: body ?? ByteBuffer()))
        let context = ServiceRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        let response: Response
        do { response = try await responder.respond(to: request, context: context) } catch {
            response = Response(status: .internalServerError)
        }
        let writer = CollectingWriter()
        try await response.body.write(writer)
        return try await testCallback(InProcessResponse(status: response.status, headers: response.headers, body: writer.box.buffer))
    }
}

/// Collects a response body.
private struct CollectingWriter: ResponseBodyWriter {
    final class Box: @unchecked Sendable { var buffer = ByteBuffer() }
    let box = Box()
    mutating func write(_ buffer: ByteBuffer) async throws { var b = buffer; box.buffer.writeBuffer(&b) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
