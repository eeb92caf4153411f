// Damaged frames must raise InputError naming the codec — never crash, hang or return pixels.
import Foundation
import OpenBCTCore
import PixelCodecs
import Testing
import TestSupport

@Suite("Corrupt input is refused with InputError", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct CorruptInputTests {
    /// One lossless frame per codec family (small ones, to keep the test quick).
    static let samples = [
        "pydicom/MR_small_RLE.dcm", "pydicom/MR_small_jp2klossless.dcm", "pydicom/MR_small_jpeg_ls_lossless.dcm",
        "one-ct-15-syntaxes/CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm",
        "one-ct-15-syntaxes/CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm",
        "one-ct-15-syntaxes/CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm",
        "one-ct-15-syntaxes/CTImage.dcm_JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55.dcm",
    ]

    func fixtures() throws -> [CodecFixture] {
        let all = try CodecFixtures.load()
        let chosen = all.filter { Self.samples.contains($0.name) }
        #expect(chosen.count == Self.samples.count)
        return chosen
    }

    /// Runs `decode` and requires an InputError whose text names the codec.
    func expectRefusal(_ fixture: CodecFixture, _ what: String, _ data: [UInt8], _ descriptor: FrameDescriptor) throws {
        let codec = try #require(PixelCodec(transferSyntaxUID: fixture.transferSyntax))
        do {
            _ = try codec.decode(data, descriptor: descriptor)
            Issue.record("\(fixture.name): \(what) decoded without error")
        } catch let error as InputError {
            #expect(error.description.contains(codec.name) || error.location?.contains(codec.name) == true,
                    "\(fixture.name): \(what): \(error)")
        } catch {
            Issue.record("\(fixture.name): \(what): not an InputError: \(error)")
        }
    }

    @Test("truncated frames (every codec) are refused")
    func truncated() throws {
        for fixture in try fixtures() {
            let data = try fixture.frame(0)
            for fraction in [0.0, 0.02, 0.5, 0.9] {
                try expectRefusal(fixture, "truncated to \(Int(fraction * 100)) %", Array(data.prefix(Int(Double(data.count) * fraction))),
                                  fixture.frameDescriptor)
            }
        }
    }

    @Test("random bytes are refused")
    func garbage() throws {
        var generator = SystemRandomNumberGenerator()
        for fixture in try fixtures() {
            for length in [1, 64, 5000] {
                let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try expectRefusal(fixture, "\(length) random bytes", noise, fixture.frameDescriptor)
            }
        }
    }

    @Test("a descriptor that disagrees with the stream is refused")
    func wrongSizes() throws {
        for fixture in try fixtures() {
            let data = try fixture.frame(0)
            var d = fixture.frameDescriptor
            d.rows += 1
            try expectRefusal(fixture, "rows + 1", data, d)
            d = fixture.frameDescriptor
            d.samplesPerPixel = 3
            try expectRefusal(fixture, "3 samples per pixel", data, d)
            d = fixture.frameDescriptor
            d.bitsAllocated = 12
            try expectRefusal(fixture, "BitsAllocated 12", data, d)
        }
    }

    @Test("flipped bytes inside the coded data never crash")
    func bitFlips() throws {
        // A flipped bit may still decode (to wrong pixels) — the requirement is no crash and,
        // when it fails, an InputError.
        var generator = SystemRandomNumberGenerator()
        for fixture in try fixtures() {
            let codec = try #require(PixelCodec(transferSyntaxUID: fixture.transferSyntax))
            let clean = try fixture.frame(0)
            for _ in 0..<20 {
                var data = clean
                for _ in 0..<8 { data[Int.random(in: (data.count / 8)..<data.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator) }
                do {
                    let out = try codec.decode(data, descriptor: fixture.frameDescriptor)
                    #expect(out.count == fixture.frameDescriptor.frameByteCount)
                } catch {
                    #expect(error is InputError, "\(fixture.name): \(error)")
                }
            }
        }
    }
}
