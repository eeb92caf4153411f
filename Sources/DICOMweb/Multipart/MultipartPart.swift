// One body part of a multipart/related message and the encoder that joins parts into a body.
import Foundation

/// One part of a multipart message: its header fields and its bytes.
public struct MultipartPart: Sendable {
    /// Header fields with lower-cased names ("content-type", "content-location", …).
    public var headers: [String: String]
    public var body: Data

    public init(headers: [String: String] = [:], body: Data) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }

    /// A part of type `application/dicom` (a Part-10 instance), as STOW-RS and WADO-RS carry them.
    public static func dicom(_ instance: Data) -> MultipartPart {
        MultipartPart(headers: ["content-type": MediaType.dicom.description], body: instance)
    }

    /// The part's Content-Type, parsed; nil when absent or malformed.
    public var contentType: MediaType? { headers["content-type"].flatMap(MediaType.init(parsing:)) }
}

/// Writes multipart/related bodies (RFC 2387) for STOW-RS requests and WADO-RS responses.
public enum MultipartEncoder {
    /// A fresh boundary: long and random, so it cannot plausibly occur inside a DICOM instance.
    public static func makeBoundary() -> String { "openbct-" + UUID().uuidString + UUID().uuidString.prefix(8) }

    /// The Content-Type header value for a multipart/related body of `type` parts.
    public static func contentType(boundary: String, type: MediaType = .dicom) -> MediaType {
        MediaType("multipart/related", parameters: ["type": type.essence, "boundary": boundary])
    }

    /// The body: `--boundary CRLF headers CRLF CRLF bytes CRLF` per part, then `--boundary--`.
    public static func encode(_ parts: [MultipartPart], boundary: String) -> Data {
        var out = Data()
        out.reserveCapacity(parts.reduce(0) { $0 + $1.body.count + 128 } + boundary.utf8.count + 8)
        for part in parts {
            out.append(contentsOf: Array("--\(boundary)\r\n".utf8))
            for name in part.headers.keys.sorted() {
                out.append(contentsOf: Array("\(canonicalName(name)): \(part.headers[name]!)\r\n".utf8))
            }
            out.append(contentsOf: [0x0D, 0x0A])
            out.append(part.body)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: Array("--\(boundary)--\r\n".utf8))
        return out
    }

    /// "content-type" → "Content-Type" (names are case-insensitive; this is the customary spelling).
    static func canonicalName(_ name: String) -> String {
        name.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
    }
}
