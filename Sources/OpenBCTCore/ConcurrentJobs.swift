// Independent jobs side by side, one per core: each job's parallel loops run serially while others run,
// which spends no CPU on synchronisation (a two-thread FE solve keeps ≈ 1.7 cores busy for the work of ≈ 1.4).
import Foundation

/// Runs `job(0) … job(count − 1)` on up to `parallelWidth` threads and returns the results in index order.
///
/// Jobs start in index order as threads free up, so put the longest first. While other jobs run, a job's
/// parallel loops run serially on its own thread (a serial `LoopSpread`); when no job is waiting and one
/// job is left running, its spread is widened and its loops use all cores again. Loops partition work
/// by fixed chunk counts, so every job's result is the same as when the jobs run one after the other.
/// With one job, or one core, the jobs simply run one after the other on the calling thread.
public func runJobsConcurrently<T>(_ count: Int, _ job: (Int) -> T) -> [T] {
    let workers = min(parallelWidth, count)
    guard workers > 1 else { return (0..<count).map(job) }
    return withoutActuallyEscaping(job) { job in
        let board = JobBoard<T>(count: count, job: job)
        let done = DispatchSemaphore(value: 0)
        for _ in 1..<workers {
            let thread = Thread { board.work(); done.signal() }
            thread.stackSize = 16 << 20   // as the main thread's: the jobs run whole pipeline stages
            thread.start()
        }
        board.work()
        for _ in 1..<workers { done.wait() }
        return board.finishedResults()
    }
}

/// The shared state of `runJobsConcurrently`: the next job to start, the spreads of the jobs running,
/// the results. Guarded by one lock. The job closure is dropped with the results, since a worker thread
/// may still hold the board for a moment after it signalled (`withoutActuallyEscaping`).
private final class JobBoard<T>: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var job: ((Int) -> T)?
    private var next = 0
    private var running: [LoopSpread] = []
    private var slots: [T?]

    init(count: Int, job: @escaping (Int) -> T) {
        self.count = count; self.job = job
        slots = Array(repeating: nil, count: count)
    }

    /// Takes jobs until none is left.
    func work() {
        while let (index, spread, job) = take() {
            let result = LoopSpread.$current.withValue(spread) { job(index) }
            finish(index, spread, result)
        }
    }

    private func take() -> (Int, LoopSpread, (Int) -> T)? {
        lock.withLock {
            guard next < count, let job else { return nil }
            let spread = LoopSpread(serial: true)
            running.append(spread)
            next += 1
            if next == count && running.count == 1 { spread.widen() }   // the last job, alone
            return (next - 1, spread, job)
        }
    }

    private func finish(_ index: Int, _ spread: LoopSpread, _ result: T) {
        lock.withLock {
            slots[index] = result
            running.removeAll { $0 === spread }
            if next == count && running.count == 1 { running[0].widen() }
        }
    }

    /// The results, once every worker is done; drops the job closure.
    func finishedResults() -> [T] {
        lock.withLock {
            job = nil
            return slots.map { $0! }
        }
    }
}
