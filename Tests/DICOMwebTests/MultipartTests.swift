import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOMweb

@Suite("multipart/related")
struct MultipartTests {
    /// Bodies whose bytes look like delimiters: CRLF, dashes, the boundary with a suffix.
    static let tricky: [Data] = [
        Data("plain".utf8),
        Data("\r\n--openbct-test-boundaryX not a delimiter\r\n--openbct-test-boundar\r\n-".utf8),
        Data(),
        Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) }),
    ]
    static let boundary = "openbct-test-boundary"

    @Test("encode then decode gives the same parts, headers and bytes")
    func roundTrip() throws {
        let parts = Self.tricky.map { MultipartPart.dicom($0) }
        let body = MultipartEncoder.encode(parts, boundary: Self.boundary)
        let type = MultipartEncoder.contentType(boundary: Self.boundary).description
        let decoded = try MultipartDecoder.decode(body, contentType: type)
        #expect(decoded.map(\.body) == Self.tricky)
        #expect(decoded.allSatisfy { $0.contentType == .dicom })
    }

    @Test("feeding the body in chunks of every size from 1 to 97 bytes gives the same parts")
    func chunked() throws {
        let body = MultipartEncoder.encode(Self.tricky.map { MultipartPart.dicom($0) }, boundary: Self.boundary)
        for size in 1...97 {
            var decoder = MultipartDecoder(boundary: Self.boundary)
            var parts: [MultipartPart] = []
            var offset = 0
            while offset < body.count {
                let end = min(offset + size, body.count)
                parts += try decoder.append(body[offset ..< end])
                offset = end
            }
            try decoder.finish()
            #expect(parts.map(\.body) == Self.tricky, "chunk size \(size)")
        }
    }

    @Test("Python's email parser reads our encoding of real CT instances byte for byte",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func pythonReadsOurs() throws {
        let instances = try Fixtures.qrmSeries().prefix(3).map { try Data(contentsOf: $0) }
        let boundary = MultipartEncoder.makeBoundary()
        let dir = try TestPaths.temporaryDirectory("multipart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bodyURL = dir.appendingPathComponent("body")
        try MultipartEncoder.encode(instances.map(MultipartPart.dicom), boundary: boundary).write(to: bodyURL)
        let lines = try ExternalTool.python("multipart_reference.py", [MultipartEncoder.contentType(boundary: boundary).description, bodyURL.path, dir.path])
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == instances.count)
        for (n, (line, instance)) in zip(lines, instances).enumerated() {
            #expect(line[0] == "application/dicom")
            #expect(try Data(contentsOf: dir.appendingPathComponent("part-\(n + 1)")) == instance)
        }
    }

    @Test("a preamble, transport padding after a delimiter and an epilogue are accepted")
    func preambleAndPadding() throws {
        let body = Data("preamble text\r\n--b  \r\nContent-Type: application/dicom\r\n\r\nABC\r\n--b--\r\nepilogue".utf8)
        let parts = try MultipartDecoder.decode(body, contentType: "multipart/related; type=\"application/dicom\"; boundary=\"b\"")
        #expect(parts.count == 1)
        #expect(parts.first?.body == Data("ABC".utf8))
    }

    @Test("a Content-Type without boundary is refused, naming the header")
    func missingBoundary() {
        #expect { try MultipartDecoder(contentType: "multipart/related; type=\"application/dicom\"") } throws: { error in
            let e = error as? InputError
            return e?.location == "Content-Type" && e!.message.contains("no boundary")
        }
    }

    @Test("a body without any delimiter is refused: boundary missing or wrong")
    func wrongBoundary() {
        #expect { try MultipartDecoder.decode(Data("--other\r\n\r\nx\r\n--other--".utf8), contentType: "multipart/related; boundary=b") } throws: { error in
            (error as? InputError)?.message.contains("boundary missing or wrong") == true
        }
    }

    @Test("a part without Content-Type is refused, naming the part")
    func partWithoutContentType() {
        let body = Data("--b\r\nContent-Type: application/dicom\r\n\r\nA\r\n--b\r\nContent-Length: 1\r\n\r\nB\r\n--b--".utf8)
        #expect { try MultipartDecoder.decode(body, contentType: "multipart/related; boundary=b") } throws: { error in
            let e = error as? InputError
            return e?.location == "multipart part 2" && e!.message.contains("no Content-Type")
        }
    }

    @Test("a truncated body is refused, naming the incomplete part")
    func truncated() throws {
        let full = MultipartEncoder.encode(Self.tricky.map { MultipartPart.dicom($0) }, boundary: Self.boundary)
        let cut = full.prefix(full.count - 40)
        #expect { try MultipartDecoder.decode(Data(cut), contentType: "multipart/related; boundary=\(Self.boundary)") } throws: { error in
            let e = error as? InputError
            return e?.location == "multipart part 4" && e!.message.contains("truncated")
        }
    }

    @Test("media types: quoted parameters, case, escaped quotes")
    func mediaTypes() {
        let t = MediaType(parsing: "Multipart/Related; TYPE=\"application/dicom\"; boundary=\"a;b=\\\"c\\\"\"")
        #expect(t?.essence == "multipart/related")
        #expect(t?.parameters["type"] == "application/dicom")
        #expect(t?.parameters["boundary"] == "a;b=\"c\"")
        #expect(MediaType(parsing: "nonsense") == nil)
    }
}
