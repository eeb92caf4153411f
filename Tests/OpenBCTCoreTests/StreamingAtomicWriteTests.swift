// writeAtomically(to:_:): a streamed output appears complete or not at all.
import Foundation
import OpenBCTCore
import Testing
import TestSupport

@Suite("Streaming atomic write")
struct StreamingAtomicWriteTests {
    struct Interrupted: Error {}

    @Test("a producer that fails midway leaves neither the target nor a temporary file; an old file survives")
    func failureLeavesNothing() throws {
        let dir = try TestPaths.temporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.bin")
        #expect(throws: Interrupted.self) {
            try writeAtomically(to: url) { handle in
                try handle.write(contentsOf: Data(repeating: 7, count: 1000))
                throw Interrupted()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)

        try writeAtomically(to: url) { try $0.write(contentsOf: Data("old".utf8)) }
        #expect(throws: Interrupted.self) {
            try writeAtomically(to: url) { handle in
                try handle.write(contentsOf: Data("new, half".utf8))
                throw Interrupted()
            }
        }
        #expect(try Data(contentsOf: url) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.bin"])
    }
}
