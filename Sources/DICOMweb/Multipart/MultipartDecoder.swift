// Incremental multipart/related parsing: bytes arrive in chunks of any size, parts come out whole.
import Foundation
import OpenBCTCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses a multipart body (RFC 2046 §5.1) fed in chunks of any size — a delimiter may be split
/// across chunks — and returns each part as soon as its closing delimiter has arrived. Bytes are
/// scanned once (the search resumes where it stopped), and consumed parts are dropped, so memory stays
/// at about one part plus one chunk. Errors are `InputError`s with `location` "multipart part N".
public struct MultipartDecoder: Sendable {
    public let boundary: String
    /// Refuse a part bigger than this many bytes (protects a server from an unbounded upload).
    public let maximumPartSize: Int
    /// When true a part without a Content-Type header is an error (DICOMweb requires one per part).
    public let requiresPartContentType: Bool

    private enum State { case preamble, headers, body, epilogue }
    private var state = State.preamble
    private var buffer: [UInt8] = []
    private var start = 0            // first unconsumed byte of `buffer`
    private var scanFrom = 0         // where the next delimiter search resumes
    private var partHeaders: [String: String] = [:]
    private var partIndex = 0
    private let delimiter: [UInt8]   // CRLF "--" boundary

    /// A decoder for the body of a message whose Content-Type is `contentType`; the `boundary`
    /// parameter is required.
    public init(contentType: String, maximumPartSize: Int = 2 << 30, requiresPartContentType: Bool = true) throws {
        guard let type = MediaType(parsing: contentType), type.essence.hasPrefix("multipart/") else {
            throw InputError(location: "Content-Type", "expected multipart/related, got \"\(contentType)\"")
        }
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw InputError(location: "Content-Type", "multipart media type \"\(contentType)\" has no boundary parameter")
        }
        self.init(boundary: boundary, maximumPartSize: maximumPartSize, requiresPartContentType: requiresPartContentType)
    }

    public init(boundary: String, maximumPartSize: Int = 2 << 30, requiresPartContentType: Bool = true) {
        self.boundary = boundary
        self.maximumPartSize = maximumPartSize
        self.requiresPartContentType = requiresPartContentType
        delimiter = [0x0D, 0x0A, 0x2D, 0x2D] + Array(boundary.utf8)
        // The first delimiter may open the body without a preceding CRLF: pretend one came before.
        buffer = [0x0D, 0x0A]
    }

    /// Adds bytes and returns the parts completed by them.
    public mutating func append(_ chunk: some Sequence<UInt8>) throws -> [MultipartPart] {
        buffer.append(contentsOf: chunk)
        var parts: [MultipartPart] = []
        while let part = try step() { parts.append(part) }
        compact()
        return parts
    }

    /// Declares the end of the body; throws when it ended inside a part or before the closing delimiter.
    public func finish() throws {
        switch state {
        case .epilogue: return
        case .preamble:
            throw InputError(location: "multipart body", "no delimiter \"--\(boundary)\" found: boundary missing or wrong")
        case .headers, .body:
            throw InputError(location: "multipart part \(partIndex + 1)",
                             "body truncated: it ended after \(buffer.count - start) bytes of this part without the closing delimiter \"--\(boundary)--\"")
        }
    }

    /// Decodes a complete body at once.
    public static func decode(_ body: Data, contentType: String, requiresPartContentType: Bool = true) throws -> [MultipartPart] {
        var decoder = try MultipartDecoder(contentType: contentType, requiresPartContentType: requiresPartContentType)
        let parts = try decoder.append(body)
        try decoder.finish()
        return parts
    }

    // MARK: State machine

    /// Advances as far as the buffered bytes allow; returns a part when one completed.
    private mutating func step() throws -> MultipartPart? {
        while true {
            switch state {
            case .epilogue:
                start = buffer.count; return nil   // everything after the close delimiter is ignored
            case .preamble:
                guard let at = find(delimiter, from: max(start, scanFrom)) else {
                    scanFrom = max(start, buffer.count - delimiter.count + 1); return nil
                }
                switch afterDelimiter(at) {
                case .needMoreBytes: scanFrom = at; return nil
                case .notADelimiter: scanFrom = at + 1
                case .next(let next): start = next; scanFrom = next
                }
            case .headers:
                // Headers end with an empty line; a part with no headers starts with CRLF at once.
                if buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
                    partHeaders = [:]; start += 2; scanFrom = start; state = .body; continue
                }
                guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: max(start, scanFrom)) else {
                    if buffer.count - start > 64 * 1024 {
                        throw InputError(location: "multipart part \(partIndex + 1)", "header block longer than 64 KiB without an empty line")
                    }
                    scanFrom = max(start, buffer.count - 3); return nil
                }
                partHeaders = try parseHeaders(buffer[start ..< end])
                if requiresPartContentType && partHeaders["content-type"] == nil {
                    throw InputError(location: "multipart part \(partIndex + 1)", "part has no Content-Type header")
                }
                start = end + 4; scanFrom = start; state = .body
            case .body:
                guard let at = find(delimiter, from: max(start, scanFrom)) else {
                    if buffer.count - start > maximumPartSize + delimiter.count {
                        throw InputError(location: "multipart part \(partIndex + 1)", "part larger than the limit of \(maximumPartSize) bytes")
                    }
                    scanFrom = max(start, buffer.count - delimiter.count + 1); return nil
                }
                switch afterDelimiter(at) {
                case .needMoreBytes: scanFrom = at; return nil
                case .notADelimiter: scanFrom = at + 1
                case .next(let next):
                    let part = MultipartPart(headers: partHeaders, body: Data(buffer[start ..< at]))
                    partIndex += 1; start = next; scanFrom = next
                    return part
                }
            }
        }
    }

    private enum DelimiterEnd { case needMoreBytes, notADelimiter, next(Int) }

    /// Looks past a delimiter at `at`: "--" closes the body, else optional whitespace and CRLF open
    /// the next part's headers. The boundary followed by anything else is not a delimiter (RFC 2046).
    private mutating func afterDelimiter(_ at: Int) -> DelimiterEnd {
        var i = at + delimiter.count
        guard buffer.count - i >= 2 else { return .needMoreBytes }
        if buffer[i] == 0x2D && buffer[i + 1] == 0x2D { state = .epilogue; return .next(buffer.count) }
        while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }   // transport padding
        guard buffer.count - i >= 2 else { return .needMoreBytes }
        guard buffer[i] == 0x0D && buffer[i + 1] == 0x0A else { return .notADelimiter }
        state = .headers
        return .next(i + 2)
    }

    private func parseHeaders(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
        var headers: [String: String] = [:]
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw InputError(location: "multipart part \(partIndex + 1)", "header line \"\(line.prefix(80))\" has no colon")
            }
            headers[line[..<colon].trimmingSpaces().lowercased()] = line[line.index(after: colon)...].trimmingSpaces()
        }
        return headers
    }

    /// The first occurrence of `needle` at or after `from` (memchr for the first byte, memcmp for the rest).
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard buffer.count - from >= needle.count else { return nil }
        return buffer.withUnsafeBytes { hay in
            needle.withUnsafeBytes { n in
                let base = hay.baseAddress!
                var i = from
                let last = hay.count - n.count
                while i <= last {
                    guard let p = memchr(base + i, Int32(n[0]), last - i + 1) else { return nil }
                    let at = UnsafeRawPointer(p) - UnsafeRawPointer(base)
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    /// Drops consumed bytes once they are the larger share of the buffer (amortised O(1) per byte).
    private mutating func compact() {
        guard start > 0, start >= buffer.count / 2 else { return }
        buffer.removeFirst(start)
        scanFrom -= start
        start = 0
    }
}
