// Thread helpers for hot loops: split a range over the cores with Dispatch.
import Dispatch
import Foundation

/// A raw pointer that may cross into `@Sendable` closures. The caller guarantees that concurrent
/// users write disjoint elements.
public struct SendablePointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inlinable public subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Read-only counterpart of `SendablePointer`.
public struct SendableConstPointer<T>: @unchecked Sendable {
    public let base: UnsafePointer<T>
    public init(_ base: UnsafePointer<T>) { self.base = base }
    @inlinable public subscript(i: Int) -> T { base[i] }
}

/// Number of worker threads used by parallel loops (the active processor count).
public let parallelWidth = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// How the parallel loops of the calling thread run: across the cores (the default, no spread bound), or
/// serially on the calling thread — the same iterations, in index order — while a `LoopSpread` with
/// `isSerial` is bound (`LoopSpread.$current.withValue`). A job that runs beside other jobs, one per core
/// (`JobPool`), binds a serial spread: nested loops would only add synchronisation and oversubscribe the
/// cores. Loops partition their work by fixed chunk counts, never by the spread, so results are
/// bit-identical either way; a spread may be widened and narrowed while its job runs (`widen`, `narrow`).
public final class LoopSpread: @unchecked Sendable {
    private let lock = NSLock()
    private var serial: Bool

    public init(serial: Bool) { self.serial = serial }

    /// The spread bound to the calling thread (nil: loops run across the cores).
    @TaskLocal public static var current: LoopSpread?

    /// True while loops under this spread run on the calling thread only.
    public var isSerial: Bool { lock.withLock { serial } }

    /// From the next loop on, loops under this spread run across the cores again.
    public func widen() { lock.withLock { serial = false } }

    /// From the next loop on, loops under this spread run serially again.
    public func narrow() { lock.withLock { serial = true } }
}

/// Runs `body(i)` for each `i` in `0..<iterations`: concurrently on the cores
/// (`DispatchQueue.concurrentPerform`), or in index order on the calling thread under a serial `LoopSpread`.
/// Callers must not depend on the order (iterations touch disjoint data).
public func concurrentIterations(_ iterations: Int, _ body: @Sendable (Int) -> Void) {
    if LoopSpread.current?.isSerial == true {
        for i in 0..<iterations { body(i) }
    } else {
        DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
    }
}

/// Runs `body(range)` over `0..<count` split into contiguous chunks, four per thread of `parallelWidth`
/// (the chunk count never depends on how the chunks are run: `concurrentIterations`).
public func parallelChunks(_ count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(parallelWidth * 4, count / max(1, minimumChunk)))
    if chunks == 1 { body(0..<count); return }
    concurrentIterations(chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// Runs `body(i)` for each `i` in `0..<count` on all cores (serially under a serial `LoopSpread`).
public func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    parallelChunks(count) { r in for i in r { body(i) } }
}
