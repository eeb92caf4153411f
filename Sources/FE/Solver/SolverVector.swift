// A heap vector of doubles with the parallel BLAS-1 operations the Krylov solvers need.
import OpenBCTCore

/// A fixed-length vector of doubles on the heap, shared by reference. Solver internals only: every
/// operation splits the index range over the cores; reductions use fixed chunks so results do not
/// depend on thread timing.
final class SolverVector: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Double>

    init(count: Int, repeating value: Double = 0) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: max(count, 1))
    }

    convenience init(_ values: [Double]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { base.deallocate() }

    var pointer: SendablePointer<Double> { SendablePointer(base) }

    subscript(i: Int) -> Double {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// Elements per parallel chunk: large enough that thread start-up is amortised.
    static let chunk = 1 << 15

    func fill(_ value: Double) {
        let p = pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] = value } }
    }

    func copy(from x: SolverVector) {
        let p = pointer, q = x.pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] = q[i] } }
    }

    /// self = self + a·x
    func add(_ a: Double, _ x: SolverVector) {
        let p = pointer, q = x.pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] += a * q[i] } }
    }

    /// self = x + b·self
    func scaleAdd(_ x: SolverVector, _ b: Double) {
        let p = pointer, q = x.pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] = q[i] + b * p[i] } }
    }

    /// self = self ⊙ w (element-wise)
    func multiply(by w: SolverVector) {
        let p = pointer, q = w.pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] *= q[i] } }
    }

    /// self = w ⊙ x (element-wise)
    func setProduct(_ w: SolverVector, _ x: SolverVector) {
        let p = pointer, q = w.pointer, s = x.pointer
        parallelChunks(count, minimumChunk: Self.chunk) { r in for i in r { p[i] = q[i] * s[i] } }
    }

    /// Σ self_i·x_i, summed per fixed chunk then over chunks (deterministic).
    func dot(_ x: SolverVector) -> Double {
        let p = pointer, q = x.pointer
        let chunks = max(1, (count + Self.chunk - 1) / Self.chunk)
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { buf in
            let out = SendablePointer(buf.baseAddress!)
            parallelFor(chunks) { c in
                let lo = c * Self.chunk, hi = min(count, lo + Self.chunk)
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var i = lo
                while i + 4 <= hi {
                    s0 += p[i] * q[i]; s1 += p[i + 1] * q[i + 1]; s2 += p[i + 2] * q[i + 2]; s3 += p[i + 3] * q[i + 3]
                    i += 4
                }
                while i < hi { s0 += p[i] * q[i]; i += 1 }
                out[c] = (s0 + s1) + (s2 + s3)
            }
        }
        return partial.reduce(0, +)
    }

    var norm: Double { dot(self).squareRoot() }
}
