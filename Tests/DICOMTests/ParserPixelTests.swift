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
        try compareWithPydicom(native, label: "native")
    }

    /// Lossless encapsulated syntaxes: decoded by PixelCodecs, then masked/sign-extended by us.
    static let losslessSyntaxes: Set<String> = [
        "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
        "1.2.840.10008.1.2.4.90",
    ]

    @Test("lossless encapsulated frames (RLE, JPEG lossless, JPEG-LS, JPEG 2000) equal pydicom's values",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func losslessEncapsulatedPixelsMatchPydicom() throws {
        let files = DicomCorpus.files().compactMap { url -> (URL, DicomFile)? in
            guard let f = try? DicomFile.read(contentsOf: url), Self.losslessSyntaxes.contains(f.transferSyntax.uid),
                  f.dataSet.contains(.pixelData), f.dataSet.int(.samplesPerPixel) ?? 1 == 1 else { return nil }
            return (url, f)
        }
        #expect(files.count > 15)
        try compareWithPydicom(files, label: "lossless encapsulated")
    }

    private func compareWithPydicom(_ native: [(URL, DicomFile)], label: String) throws {
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
        print("\(label) pixels vs pydicom: \(compared) files identical, \(refusedByBoth) refused by both, \(unsigned32) unsigned 32-bit files refused (Int32 API)")
    }
}
