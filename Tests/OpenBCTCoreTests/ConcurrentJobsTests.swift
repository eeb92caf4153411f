import Foundation
import Testing
@testable import OpenBCTCore

@Suite("job pools and serial loop spreads")
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

    @Test("a widened spread runs its loops across the cores again, a narrowed one serially; without a spread nothing is serial")
    func widen() {
        let spread = LoopSpread(serial: true)
        #expect(spread.isSerial)
        spread.widen()
        #expect(!spread.isSerial)
        spread.narrow()
        #expect(spread.isSerial)
        #expect(LoopSpread.current == nil)
    }

    @Test("jobs start in order; beside others they run serially, the last one left alone is widened")
    func jobs() {
        // Job 0 runs long; jobs 1…3 are short, so they run (serially) beside it on the calling thread at `drain`,
        // and job 0 is widened once nothing waits and it runs alone — observed by its loops after the others finished.
        let others = NSLock(); nonisolated(unsafe) var shortDone = 0
        let results = withJobPool(threads: min(parallelWidth, 4)) { pool -> [(Int, Bool, Bool)] in
            let jobs = (0..<4).map { i in
                pool.add { () -> (Int, Bool, Bool) in
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
            }
            pool.drain()
            return jobs.map(\.value)
        }
        #expect(results.map(\.0) == [0, 1, 2, 3])
        guard parallelWidth > 1 else { return }
        #expect(results[0].1, "job 0 started beside others: serial")
        #expect(!results[0].2, "job 0 alone at the end: widened")
        #expect(results[1].1 && results[1].2, "a short job beside job 0 ran its chunks on its own thread")
    }

    @Test("the calling thread's own work runs serially beside a job; a job may add jobs; a job not started can be withdrawn")
    func alongside() {
        guard parallelWidth > 1 else { return }
        let started = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        withJobPool(threads: 2) { pool in
            // The first job holds the pool thread until the calling thread has checked its own spread.
            let first = pool.add { () -> PooledJob<Int> in started.signal(); gate.wait(); return pool.add { 7 } }
            let waiting = pool.add { 1 }
            started.wait()
            #expect(LoopSpread.current?.isSerial == true, "the caller's work beside a running job: serial")
            #expect(waiting.withdraw() && !first.withdraw())
            gate.signal()
            #expect(first.value.value == 7)
        }
    }

    @Test("with one thread a job runs on the calling thread when its value is asked for, loops across the cores")
    func single() {
        withJobPool(threads: 1) { pool in
            #expect(LoopSpread.current == nil)
            let caller = ObjectIdentifier(Thread.current)
            let job = pool.add { (ObjectIdentifier(Thread.current), LoopSpread.current == nil) }
            #expect(job.value == (caller, true))
        }
    }
}
