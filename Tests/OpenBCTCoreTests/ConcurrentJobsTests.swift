import Foundation
import Testing
@testable import OpenBCTCore

@Suite("concurrent jobs and serial loop spreads")
struct ConcurrentJobsTests {
    /// Records, per chunk, the thread it ran on and its position in time.
    final class ChunkLog: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(range: Range<Int>, thread: ObjectIdentifier)] = []
        func add(_ r: Range<Int>) { lock.withLock { entries.append((r, ObjectIdentifier(Thread.current))) } }
        var ranges: [Range<Int>] { lock.withLock { entries.map(\.range) } }
        var threads: Set<ObjectIdentifier> { lock.withLock { Set(entries.map(\.thread)) } }
    }

    @Test("under a serial spread parallelChunks runs the same chunks, in order, on the calling thread")
    func serialChunks() {
        let free = ChunkLog(), serial = ChunkLog()
        parallelChunks(1000) { free.add($0) }
        LoopSpread.$current.withValue(LoopSpread(serial: true)) { parallelChunks(1000) { serial.add($0) } }
        #expect(Set(serial.ranges) == Set(free.ranges) && serial.ranges.count == free.ranges.count)
        #expect(serial.ranges == serial.ranges.sorted { $0.lowerBound < $1.lowerBound })
        #expect(serial.threads == [ObjectIdentifier(Thread.current)])
        #expect(serial.ranges.count == min(parallelWidth * 4, 1000))
    }

    @Test("a widened spread runs its loops across the cores again; without a spread nothing is serial")
    func widen() {
        let spread = LoopSpread(serial: true)
        #expect(spread.isSerial)
        spread.widen()
        #expect(!spread.isSerial)
        #expect(LoopSpread.current == nil)
    }

    @Test("jobs return in index order; jobs beside others run serially, the last one left alone is widened")
    func jobs() {
        // Job 0 runs long; jobs 1…3 are short, so they run (serially) beside it on the other thread(s), and job 0
        // is widened once nothing waits and it runs alone — observed by its loops after the others finished.
        let others = NSLock(); nonisolated(unsafe) var shortDone = 0
        let results = runJobsConcurrently(4) { i -> (Int, Bool, Bool) in
            let atStart = LoopSpread.current?.isSerial ?? false
            if i == 0 {
                // (On one core the jobs run one after the other: job 0 must not wait for the others.)
                while parallelWidth > 1 && others.withLock({ shortDone }) < 3 { usleep(1000) }
                usleep(20_000)
                return (i, atStart, LoopSpread.current?.isSerial ?? false)
            }
            let sum = ChunkLog()
            parallelChunks(100) { sum.add($0) }
            others.withLock { shortDone += 1 }
            return (i, atStart, sum.threads.count == 1)
        }
        #expect(results.map(\.0) == [0, 1, 2, 3])
        guard parallelWidth > 1 else { return }
        #expect(results[0].1, "job 0 started beside others: serial")
        #expect(!results[0].2, "job 0 alone at the end: widened")
        #expect(results[1].1 && results[1].2, "a short job beside job 0 ran its chunks on its own thread")
    }

    @Test("one job, or none, runs on the calling thread without a spread")
    func single() {
        #expect(runJobsConcurrently(0) { $0 }.isEmpty)
        let r = runJobsConcurrently(1) { _ in LoopSpread.current == nil }
        #expect(r == [true])
    }
}
