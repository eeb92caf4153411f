// A heap vector of doubles with the parallel BLAS-1 operations the Krylov solvers need.
import OpenBCTCore

/// The DOF ranges of a lattice that its operator can make non-zero: the nodes elements touch, as
/// runs along lattice rows. A bone fills a small share of its bounding lattice, so vector
/// operations that visit only these ranges do a fraction of the memory traffic.
final class DofSupport: Sendable {
    let ranges: [Range<Int>]
    /// Consecutive ranges grouped to about `SolverVector.chunk` DOFs each: the unit of parallel work
    /// and of partial sums (fixed, so reductions do not depend on thread timing).
    let groups: [Range<Int>]
    /// DOFs covered.
    let count: Int

    init(ranges: [Range<Int>]) {
        self.ranges = ranges
        var groups: [Range<Int>] = [], start = 0, size = 0
        for (i, r) in ranges.enumerated() {
            size += r.count
            if size >= SolverVector.chunk { groups.append(start ..< i + 1); start = i + 1; size = 0 }
        }
        if start < ranges.count { groups.append(start ..< ranges.count) }
        self.groups = groups
        count = ranges.reduce(0) { $0 + $1.count }
    }

    /// Runs `body` over the ranges, the groups in parallel.
    @inline(__always)
    func forEachRange(_ body: @Sendable (Range<Int>) -> Void) {
        let ranges = self.ranges, groups = self.groups
        parallelFor(groups.count) { g in for i in groups[g] { body(ranges[i]) } }
    }

    /// Σ of `body(range)` over the ranges: partial sums per group, then over the groups in order, so
    /// results do not depend on thread timing.
    @inline(__always)
    func sum(_ body: @Sendable (Range<Int>) -> Double) -> Double {
        let ranges = self.ranges, groups = self.groups
        var partial = [Double](repeating: 0, count: groups.count)
        partial.withUnsafeMutableBufferPointer { buf in
            let out = SendablePointer(buf.baseAddress!)
            parallelFor(groups.count) { c in
                var s = 0.0
                for i in groups[c] { s += body(ranges[i]) }
                out[c] = s
            }
        }
        return partial.reduce(0, +)
    }
}

/// A fixed-length vector of doubles on the heap, shared by reference. Solver internals only: every
/// operation splits the index range over the cores; reductions use fixed chunks so results do not
/// depend on thread timing. With a `support`, the vector is zero outside it and every operation
/// below visits only the support (operands outside it are not read).
final class SolverVector: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Double>
    let support: DofSupport?

    init(count: Int, repeating value: Double = 0, support: DofSupport? = nil) {
        self.count = count
        self.support = support
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

    /// Runs `body` over the index ranges to visit (the support, or everything), in parallel.
    @inline(__always)
    func forEachRange(_ body: @Sendable (Range<Int>) -> Void) {
        if let support {
            support.forEachRange(body)
        } else {
            parallelChunks(count, minimumChunk: Self.chunk, body)
        }
    }

    func fill(_ value: Double) {
        let p = pointer
        forEachRange { r in for i in r { p[i] = value } }
    }

    func copy(from x: SolverVector) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { p[i] = q[i] } }
    }

    /// self = self + a·x
    func add(_ a: Double, _ x: SolverVector) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { p[i] += a * q[i] } }
    }

    /// self = x + b·self
    func scaleAdd(_ x: SolverVector, _ b: Double) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { p[i] = q[i] + b * p[i] } }
    }

    /// self = self ⊙ w (element-wise)
    func multiply(by w: SolverVector) {
        let p = pointer, q = w.pointer
        forEachRange { r in for i in r { p[i] *= q[i] } }
    }

    /// self = w ⊙ x (element-wise)
    func setProduct(_ w: SolverVector, _ x: SolverVector) {
        let p = pointer, q = w.pointer, s = x.pointer
        forEachRange { r in for i in r { p[i] = q[i] * s[i] } }
    }

    /// Σ self_i·x_i, summed per fixed chunk (or support group) then over them (deterministic).
    func dot(_ x: SolverVector) -> Double {
        let p = pointer, q = x.pointer
        return sumOverRanges { Self.dot(p, q, $0) }
    }

    /// self = self + a·x, then returns Σ self_i·y_i (y may be self): one pass instead of `add` then
    /// `dot`, with the same result to the last bit.
    func addThenDot(_ a: Double, _ x: SolverVector, _ y: SolverVector) -> Double {
        let p = pointer, q = x.pointer, w = y.pointer
        return sumOverRanges { r in
            for i in r { p[i] += a * q[i] }
            return Self.dot(p, w, r)
        }
    }

    /// self = x + a·y (x or y may be self); returns Σ self_i² — `copy`, `add` and `norm` in one pass.
    @discardableResult
    func assign(_ x: SolverVector, plus a: Double, times y: SolverVector) -> Double {
        let p = pointer, q = x.pointer, w = y.pointer
        return sumOverRanges { r in
            for i in r { p[i] = q[i] + a * w[i] }
            return Self.dot(p, p, r)
        }
    }

    /// self = w ⊙ Double(x) (element-wise), then returns Σ self_i·y_i: a single-precision product widened
    /// onto the free DOFs and its first projection in one pass.
    func assign(_ x: MultigridVector, masked w: SolverVector, thenDot y: SolverVector) -> Double {
        let p = pointer, q = x.pointer, m = w.pointer, v = y.pointer
        return sumOverRanges { r in
            for i in r { p[i] = m[i] * Double(q[i]) }
            return Self.dot(p, v, r)
        }
    }

    /// self = self + Σ_i c_i·x_i (x_i widened), added in order (as `add` per term), in one pass.
    func addCombination(_ c: [Double], _ x: [MultigridVector]) {
        let p = pointer, terms = x.map(\.pointer)
        forEachRange { r in
            for (a, q) in zip(c, terms) { for i in r { p[i] += a * Double(q[i]) } }
        }
    }

    /// Σ over the ranges of `forEachRange` of `body(range)`: partial sums per fixed chunk (or support
    /// group), then over them, so results do not depend on thread timing.
    @inline(__always)
    private func sumOverRanges(_ body: @Sendable (Range<Int>) -> Double) -> Double {
        if let support { return support.sum(body) }
        let count = self.count, chunks = max(1, (count + Self.chunk - 1) / Self.chunk)
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { buf in
            let out = SendablePointer(buf.baseAddress!)
            parallelFor(chunks) { c in
                let lo = c * Self.chunk
                out[c] = body(lo ..< min(count, lo + Self.chunk))
            }
        }
        return partial.reduce(0, +)
    }

    /// Σ p_i·q_i over one range, four independent sums.
    @inline(__always)
    private static func dot(_ p: SendablePointer<Double>, _ q: SendablePointer<Double>, _ range: Range<Int>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = range.lowerBound
        let hi = range.upperBound
        while i + 4 <= hi {
            s0 += p[i] * q[i]; s1 += p[i + 1] * q[i + 1]; s2 += p[i + 2] * q[i + 2]; s3 += p[i + 3] * q[i + 3]
            i += 4
        }
        while i < hi { s0 += p[i] * q[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    var norm: Double { dot(self).squareRoot() }

    /// max_i |self_i − x_i| (x nil: max_i |self_i|): the largest-entry norm of convergence tests. One
    /// serial pass: called a few times per Newton iteration, against a whole element pass each.
    func largestDifference(from x: SolverVector? = nil) -> Double {
        let p = base, q = x?.base
        var largest = 0.0
        func visit(_ r: Range<Int>) {
            if let q { for i in r { largest = max(largest, abs(p[i] - q[i])) } } else { for i in r { largest = max(largest, abs(p[i])) } }
        }
        if let support { for r in support.ranges { visit(r) } } else { visit(0 ..< count) }
        return largest
    }
}
