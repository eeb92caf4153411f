// Independent jobs side by side, one per core, beside the calling thread's own work: each thread's parallel
// loops run serially while another is busy, which spends no CPU on synchronisation (a two-thread FE solve
// keeps ≈ 1.7 cores busy for the work of ≈ 1.4).
import Foundation

/// Runs `body` on the calling thread with a `JobPool` of `threads − 1` threads of its own beside it, for jobs
/// that `body` (or a running job) adds while it goes on with other work; returns `body`'s result.
///
/// The calling thread counts as one of the `threads`: while `body` works, its loops run serially like a job's
/// (jobs run one per core). With `threads` 1 there is no pool thread and no serial spread: a job runs on the
/// calling thread when its value is first asked for (`PooledJob.value`) or at `drain`, loops on all cores.
/// When `body` returns or throws, the jobs not started are dropped and the running ones are waited for.
public func withJobPool<R>(threads: Int = parallelWidth, _ body: (JobPool) throws -> R) rethrows -> R {
    let pool = JobPool(workers: max(0, threads - 1))
    defer { pool.close() }
    guard let spread = pool.callerSpread else { return try body(pool) }
    return try LoopSpread.$current.withValue(spread) { try body(pool) }
}

/// Jobs run in the order added on threads of their own (`withJobPool`). Every thread busy with work — the
/// pool's threads running jobs, the calling thread inside `withJobPool`'s body unless it is waiting — binds a
/// serial `LoopSpread` while another is busy or a job waits; when one thread is left busy and no job waits,
/// its spread is widened (from its next loop on), and narrowed again when that stops being so. Loops
/// partition work by fixed chunk counts, so no result depends on which thread ran what, or when.
public final class JobPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [PoolEntry] = []
    /// The spreads of the threads busy now.
    private var busy: [LoopSpread] = []
    private var running = 0
    private var closed = false
    private let workers: Int
    private let stopped = DispatchSemaphore(value: 0)
    /// The calling thread's spread (nil without pool threads).
    let callerSpread: LoopSpread?

    fileprivate init(workers: Int) {
        self.workers = workers
        callerSpread = workers > 0 ? LoopSpread(serial: true) : nil
        if let callerSpread { busy = [callerSpread]; balance() }   // alone until a job is added
        for _ in 0..<workers {
            let thread = Thread { [self] in work(LoopSpread(serial: true)); stopped.signal() }
            thread.stackSize = 16 << 20   // as the main thread's: the jobs run whole pipeline stages
            thread.start()
        }
    }

    /// Adds `job`, to start when a pool thread is free (or when its value is asked for); after the pool
    /// has closed, the job is dropped.
    @discardableResult
    public func add<T>(_ job: @escaping () -> T) -> PooledJob<T> {
        let entry = PooledJob(pool: self, job)
        condition.withLock {
            if closed { entry.state = .dropped; entry.drop(); return }
            queue.append(entry)
            balance()
            condition.broadcast()
        }
        return entry
    }

    /// Runs the jobs waiting on the calling thread, in order, until none is left, then waits until none is running.
    public func drain() {
        condition.withLock {
            while true {
                if let next = takeNext() { runTaken(next) } else if running > 0 { waitIdle() } else { return }
            }
        }
    }

    // MARK: - Under the lock

    /// The next waiting job, now counted as running; nil when none waits.
    private func takeNext() -> PoolEntry? {
        guard !queue.isEmpty else { return nil }
        let entry = queue.removeFirst()
        entry.state = .running
        running += 1
        return entry
    }

    /// Runs a taken job on the calling thread (unlocked meanwhile) and records it done.
    private func runTaken(_ entry: PoolEntry) {
        condition.unlock()
        entry.run()
        condition.lock()
        entry.state = .done
        running -= 1
        condition.broadcast()
    }

    /// Waits for a change with the calling thread counted as not busy.
    private func waitIdle() {
        let me = LoopSpread.current
        if let me { busy.removeAll { $0 === me }; balance() }
        condition.wait()
        if let me { busy.append(me); balance() }
    }

    /// Widens the one busy thread's spread when no job waits; otherwise every busy spread is serial.
    private func balance() {
        guard workers > 0 else { return }
        if busy.count == 1 && queue.isEmpty { busy[0].widen() } else { for s in busy { s.narrow() } }
    }

    /// A pool thread: takes jobs until the pool closes.
    private func work(_ spread: LoopSpread) {
        condition.withLock {
            while true {
                if let next = takeNext() {
                    if !busy.contains(where: { $0 === spread }) { busy.append(spread) }
                    balance()
                    LoopSpread.$current.withValue(spread) { runTaken(next) }
                    // Busy still when another job waits: it is taken next, without a moment counted idle.
                    if queue.isEmpty { busy.removeAll { $0 === spread }; balance() }
                } else if closed {
                    return
                } else {
                    condition.wait()
                }
            }
        }
    }

    /// Blocks until `entry` is done; runs the jobs waiting before it (and it) on the calling thread while it waits.
    fileprivate func wait(for entry: PoolEntry) {
        condition.withLock {
            while entry.state != .done {
                precondition(entry.state != .dropped, "the value of a dropped job")
                if entry.state == .waiting, let next = takeNext() { runTaken(next) } else { waitIdle() }
            }
        }
    }

    /// Removes `entry` if it has not started; true when it was removed.
    fileprivate func withdraw(_ entry: PoolEntry) -> Bool {
        condition.withLock {
            guard entry.state == .waiting else { return false }
            queue.removeAll { $0 === entry }
            entry.state = .dropped
            entry.drop()
            balance()
            return true
        }
    }

    /// Drops the jobs not started, waits for the running ones and stops the pool threads.
    fileprivate func close() {
        condition.withLock {
            for entry in queue { entry.state = .dropped; entry.drop() }
            queue.removeAll()
            closed = true
            if let callerSpread { busy.removeAll { $0 === callerSpread } }
            balance()
            condition.broadcast()
        }
        for _ in 0..<workers { stopped.wait() }
    }
}

/// A job of a `JobPool`, without its result type. Its state is guarded by the pool's lock.
public class PoolEntry: @unchecked Sendable {
    enum State { case waiting, running, done, dropped }
    var state = State.waiting
    /// Runs the job (once, by the thread that took it).
    func run() {}
    /// Releases the job's closure without running it.
    func drop() {}
}

/// A job added to a `JobPool` and, once done, its result.
public final class PooledJob<T>: PoolEntry, @unchecked Sendable {
    private let pool: JobPool
    private var job: (() -> T)?
    private var result: T?

    fileprivate init(pool: JobPool, _ job: @escaping () -> T) { self.pool = pool; self.job = job }

    /// The job's result; waits until it is done. A job that has not started yet is run on the calling
    /// thread, after the jobs added before it. The job must not have been dropped.
    public var value: T {
        pool.wait(for: self)
        return result!
    }

    /// Removes the job if it has not started (true); a started job runs to its end and is kept (false).
    @discardableResult
    public func withdraw() -> Bool { pool.withdraw(self) }

    override func run() {
        result = job!()
        job = nil
    }

    override func drop() { job = nil }
}
