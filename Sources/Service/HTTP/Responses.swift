// Building responses: HTML pages, JSON documents, plain text and redirects.
import Foundation
import Hummingbird

enum Responses {
    /// Pages load nothing from elsewhere: scripts, styles and images from this server only.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                           .contentSecurityPolicy: contentSecurityPolicy,
                                           .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return json(try encoder.encode(value), status: status)
    }

    static func text(_ body: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func file(_ url: URL, contentType: String) throws -> Response {
        guard let data = try? Data(contentsOf: url) else { throw HTTPError(.notFound) }
        return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "private, max-age=300"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
