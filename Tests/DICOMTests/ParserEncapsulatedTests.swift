// Encapsulated pixel data: frames split exactly as pydicom splits them, for every encapsulated file.
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

private struct ReferenceFrames: Decodable {
    var file: String
    var status: String
    var frames: [String]?
    var error: String?
}

@Suite("Parser encapsulated frames")
struct ParserEncapsulatedTests {
    @Test("encoded frames of every encapsulated file equal pydicom.encaps.generate_frames",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func framesMatchPydicom() throws {
        let encapsulated = DicomCorpus.files().compactMap { url -> (URL, DicomFile)? in
            guard let f = try? DicomFile.read(contentsOf: url), f.transferSyntax.isEncapsulated,
                  f.dataSet.contains(.pixelData) else { return nil }
            return (url, f)
        }
        #expect(encapsulated.count > 40)
        let dir = try TestPaths.temporaryDirectory("frames")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try ExternalTool.python("dicom_dump.py", ["frames", dir.path] + encapsulated.map(\.0.path))
        let references = try JSONDecoder().decode([ReferenceFrames].self, from: Data(json.utf8))
        var problems: [String] = []
        var identical = 0, multiFrame = 0
        for ((url, file), reference) in zip(encapsulated, references) {
            let name = url.lastPathComponent
            guard reference.status == "ok", let frames = reference.frames else {
                do { _ = try file.encodedFrame(0); problems.append("\(name): pydicom cannot split (\(reference.error ?? "")) but we do") }
                catch { if !(error is InputError) { problems.append("\(name): \(error)") } }
                continue
            }
            guard frames.count == file.numberOfFrames else {
                problems.append("\(name): pydicom splits \(frames.count) frames, NumberOfFrames \(file.numberOfFrames)"); continue
            }
            var same = true
            for (i, path) in frames.enumerated() {
                let theirs = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                do {
                    let ours = try file.encodedFrame(i)
                    if ours != theirs { same = false; problems.append("\(name) frame \(i): \(ours.count) bytes vs pydicom \(theirs.count)") }
                } catch { same = false; problems.append("\(name) frame \(i): \(error)") }
            }
            if same { identical += 1; if frames.count > 1 { multiFrame += 1 } }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print("encapsulated frames vs pydicom: \(identical) of \(encapsulated.count) files identical (\(multiFrame) multi-frame), the rest refused by both")
    }
}
