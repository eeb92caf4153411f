// Every compressed frame in ../shared/data/dicom decoded by PixelCodecs and compared with an
// independent decoder's output for the same file.
import Foundation
import OpenBCTCore
import PixelCodecs
import Testing
import TestSupport

@Suite("Decoding matches reference decoders", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct ReferenceDecodeTests {
    @Test("every compressed file: lossless bit-exact, lossy within ±1 of a reference decoder (±3 RGB from YCbCr)")
    func everyCompressedFrame() throws {
        let fixtures = try CodecFixtures.load()
        #expect(fixtures.count >= 60)
        var report: [String] = []
        // CODEC_ONLY=<part of a file name> narrows the run when debugging one file.
        for fixture in fixtures where ProcessInfo.processInfo.environment["CODEC_ONLY"].map({ fixture.name.contains($0) }) ?? true {
            let codec = try #require(PixelCodec(transferSyntaxUID: fixture.transferSyntax), "\(fixture.name)")
            let d = fixture.frameDescriptor
            for i in fixture.frames.indices {
                let data = try fixture.frame(i)
                guard let reference = try fixture.referenceFrame(i) else {
                    // No reference decoder reads it: we must refuse it with an InputError.
                    #expect(throws: InputError.self, "\(fixture.name) frame \(i) should be refused") {
                        try codec.decode(data, descriptor: d)
                    }
                    continue
                }
                do {
                    let decoded = try codec.decode(data, descriptor: d)
                    // CODEC_DUMP=<folder> keeps our output beside the reference for inspection.
                    if let dump = ProcessInfo.processInfo.environment["CODEC_DUMP"] {
                        try Data(decoded).write(to: URL(fileURLWithPath: dump).appendingPathComponent(URL(fileURLWithPath: fixture.frames[i]).lastPathComponent + ".ours"))
                    }
                    let worst = maximumDifference(decoded, reference, d)
                    #expect(worst <= fixture.tolerance, "\(fixture.name) frame \(i) (\(codec.name)): max |Δ| \(worst) vs \(fixture.referenceSource ?? "")")
                    if worst > 0 { report.append("\(fixture.name)[\(i)] max|Δ| \(worst)") }
                } catch {
                    Issue.record("\(fixture.name) frame \(i) (\(codec.name)): \(error)")
                }
            }
        }
        print("codec reference comparison: \(fixtures.count) files; nonzero differences: \(report)")
    }
}
