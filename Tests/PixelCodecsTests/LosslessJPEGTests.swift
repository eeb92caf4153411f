// JPEG lossless (process 14) features the shared files do not cover, on frames made from a real
// CT slice by dcmtk (all selection values, point transforms, 8/12/16 bits) and by a restart-
// interval encoder whose streams pylibjpeg must decode back to the source pixels.
import Foundation
import PixelCodecs
import Testing
import TestSupport

@Suite("JPEG lossless variants", .enabled(if: TestPaths.hasSharedData && ExternalTool.isAvailable("dcmcjpeg"), "needs ../shared/data and dcmtk"))
struct LosslessJPEGTests {
    @Test("selection values 1–7, point transforms 0/2, 8/12/16-bit, restart intervals: bit-exact")
    func variants() throws {
        let fixtures = try CodecFixtures.losslessVariants.get()
        #expect(fixtures.count == 3 * (7 * 2 + 3))
        for fixture in fixtures where ProcessInfo.processInfo.environment["CODEC_ONLY"].map({ fixture.name.contains($0) }) ?? true {
            let decoded = try PixelCodec.jpegLossless.decode(try fixture.frame(0), descriptor: fixture.frameDescriptor)
            let reference = try #require(try fixture.referenceFrame(0))
            // (Compare a number, not the arrays: a failing array == makes Swift Testing diff 65 k elements.)
            let worst = maximumDifference(decoded, reference, fixture.frameDescriptor)
            #expect(worst == 0, "\(fixture.name): max |Δ| \(worst)")
        }
    }
}
