// Damaged input: every corpus file truncated at 20 offsets and with bytes flipped must be read or
// refused with an InputError — never a crash (a crash would end this test process).
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

@Suite("Parser robustness")
struct ParserRobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix { var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    /// Parses and touches everything a caller would: values, frames, pixels of native frames.
    static func exercise(_ data: Data) -> (read: Bool, refused: Bool) {
        do {
            let file = try DicomFile.read(data: data, path: "fuzz.dcm")
            for e in file.dataSet.elements where e.tag != .pixelData {
                _ = file.dataSet.strings(e.tag); _ = file.dataSet.doubles(e.tag)
            }
            if file.numberOfFrames > 0 {
                if file.transferSyntax.isEncapsulated { _ = try? file.encodedFrame(file.numberOfFrames - 1) }
                else { _ = try? file.storedValues(frame: file.numberOfFrames - 1) }
            }
            return (true, false)
        } catch is InputError {
            return (false, true)
        } catch {
            return (false, false)
        }
    }

    @Test("truncated and byte-flipped corpus files are read or refused with an InputError, never a crash",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func damagedFiles() throws {
        var read = 0, refused = 0, otherErrors: [String] = []
        for url in DicomCorpus.files() {
            let original = try Data(contentsOf: url)
            guard original.count > 16 else { continue }
            var rng = SplitMix(state: UInt64(original.count))
            var variants: [Data] = (0 ..< 20).map { k in original.prefix(original.count * k / 20 + rng.below(original.count / 20 + 1)) }
            for _ in 0 ..< 10 {
                var flipped = original
                // Flip bytes in the header region, where the structure (tags, VRs, lengths) lives.
                let headerEnd = min(flipped.count, 4096)
                for _ in 0 ..< 1 + rng.below(4) { flipped[rng.below(headerEnd)] ^= UInt8(truncatingIfNeeded: 1 + rng.below(255)) }
                variants.append(flipped)
            }
            for v in variants {
                let r = Self.exercise(v)
                if r.read { read += 1 } else if r.refused { refused += 1 } else { otherErrors.append(url.lastPathComponent) }
            }
        }
        #expect(otherErrors.isEmpty, "errors other than InputError: \(otherErrors)")
        #expect(read + refused > 5000)
        print("damaged files: \(read) read, \(refused) refused with InputError")
    }
}
