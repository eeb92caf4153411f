// The streamed ZIP archive of the research export download, read back by Python's zipfile (CRC-32 of
// every entry, byte-identical extraction) and by Info-ZIP's `unzip -t` where installed — with classic
// records, and with Zip64 records forced on a small archive (as a > 4 GiB export writes them).
import Foundation
@testable import Service
import Testing
import TestSupport

@Suite("ZIP stream writer")
struct ZipStreamWriterTests {
    @Test("Stored entries (empty, nested, binary) are read back byte for byte; Zip64 records too", arguments: [false, true])
    func roundTrip(zip64: Bool) throws {
        let folder = try TestPaths.temporaryDirectory("openbct-zip")
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        let entries: [(String, Data)] = [
            ("export/manifest.json", Data("{\"subjects\": []}\n".utf8)),
            ("export/study-1/ct/empty.dcm", Data()),
            ("export/study-1/ct/1.2.3.dcm", Data((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) })),
        ]
        var writer = ZipStreamWriter(zip64Threshold: zip64 ? 0 : 0xFFFF_FFFF)
        var archive = Data()
        for (name, data) in entries { archive += writer.entry(name: name, data: data) }
        archive += writer.finish()
        let file = folder.appendingPathComponent("a.zip")
        try archive.write(to: file)

        let out = folder.appendingPathComponent("out")
        let answer = try ExternalTool.python("zip_check.py", [file.path, out.path])
        let read = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
        #expect(read["entries"] as? [String] == entries.map(\.0))
        #expect(read["zip64"] as? Bool == zip64)
        for (name, data) in entries {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == data, "\(name)")
        }
        #expect(ZipStreamWriter.crc32(Data("123456789".utf8)) == 0xCBF4_3926, "the CRC-32 check value")
        if ExternalTool.isAvailable("unzip") {
            let test = try ExternalTool.run("unzip", ["-t", file.path])
            #expect(test.status == 0 && test.stdout.contains("No errors detected"), "\(test.stdout) \(test.stderr)")
        }
    }
}
