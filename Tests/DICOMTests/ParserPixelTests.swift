// Native pixel values against pydicom for every native-syntax file of the shared corpus.
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

private struct ReferencePixels: Decodable {
    var file: String
    var status: String
    var raw: String?
    var count: Int?
    var error: String?
}

@Suite("Parser pixel values")
struct ParserPixelTests {
    @Test("native pixel values equal pydicom's for every native-syntax file (all frames)",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func nativePixelsMatchPydicom() throws {
        let native = DicomCorpus.files().compactMap { url -> (URL, DicomFile)? in
            guard let f = try? DicomFile.read(contentsOf: url), !f.transferSyntax.isEncapsulated,
                  f.dataSet.contains(.pixelData) else { return nil }
            return (url, f)
        }
        #expect(native.count > 50)
        let dir = try TestPaths.temporaryDirectory("pixels")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try ExternalTool.python("dicom_dump.py", ["pixels", dir.path] + native.map(\.0.path))
        let references = try JSONDecoder().decode([ReferencePixels].self, from: Data(json.utf8))
        var problems: [String] = []
        var compared = 0, refusedByBoth = 0, unsigned32 = 0
        for ((url, file), reference) in zip(native, references) {
            var ours: [Int32] = []
            var ourError: Error?
            do {
                for i in 0 ..< file.numberOfFrames { ours += try file.storedValues(frame: i) }
            } catch { ourError = error }
            switch (reference.status, ourError) {
            case ("ok", nil):
                let data = try Data(contentsOf: URL(fileURLWithPath: reference.raw!))
                let theirs = data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
                if theirs != ours {
                    let firstDiff = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }
                    problems.append("\(url.lastPathComponent): \(ours.count) values vs pydicom \(theirs.count); first difference \(String(describing: firstDiff))")
                } else { compared += 1 }
            case ("ok", let e as InputError) where e.message.contains("does not fit a signed 32-bit"):
                // documented limit of storedValues: unsigned 32-bit beyond Int32
                unsigned32 += 1
            case ("ok", let e?):
                problems.append("\(url.lastPathComponent): we fail (\(e)) where pydicom decodes")
            case (_, nil):
                problems.append("\(url.lastPathComponent): pydicom fails (\(reference.error ?? "")) where we decode")
            case (_, let e?):
                if !(e is InputError) { problems.append("\(url.lastPathComponent): not an InputError: \(e)") }
                refusedByBoth += 1
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print("native pixels vs pydicom: \(compared) files identical, \(refusedByBoth) refused by both, \(unsigned32) unsigned 32-bit files refused (Int32 API)")
    }
}
