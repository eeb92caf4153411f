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

/// Runs `body(range)` over `0..<count` split into contiguous chunks, one per thread.
public func parallelChunks(_ count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(parallelWidth * 4, count / max(1, minimumChunk)))
    if chunks == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// Runs `body(i)` for each `i` in `0..<count` on all cores.
public func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    parallelChunks(count) { r in for i in r { body(i) } }
}
