// Single-precision lattice vectors for the multigrid preconditioner.
import OpenBCTCore

/// A lattice vector of `Float` (zero outside its support), for the multigrid V-cycle: half the memory
/// traffic of a `SolverVector`, and the element kernel does twice the lanes per instruction. A
/// preconditioner need not be exact — the Krylov method around it stays in `Double` and checks the
/// true residual.
final class MultigridVector: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Float>
    let support: DofSupport

    init(count: Int, support: DofSupport) {
        self.count = count
        self.support = support
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    var pointer: SendablePointer<Float> { SendablePointer(base) }

    subscript(i: Int) -> Float {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// Runs `body` over the support's ranges, in parallel.
    @inline(__always)
    func forEachRange(_ body: @Sendable (Range<Int>) -> Void) { support.forEachRange(body) }

    func fill(_ value: Float) {
        let p = pointer
        forEachRange { r in for i in r { p[i] = value } }
    }

    /// self = Float(x) on the support.
    func assign(_ x: SolverVector) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { p[i] = Float(q[i]) } }
    }

    /// self = x on the support.
    func copy(from x: MultigridVector) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { p[i] = q[i] } }
    }

    /// self = Float(w ⊙ x) on the support.
    func assignProduct(_ w: SolverVector, _ x: SolverVector) {
        let p = pointer, q = w.pointer, s = x.pointer
        forEachRange { r in for i in r { p[i] = Float(q[i] * s[i]) } }
    }

    /// x = Double(self) on the support.
    func store(into x: SolverVector) {
        let p = pointer, q = x.pointer
        forEachRange { r in for i in r { q[i] = Double(p[i]) } }
    }

    /// Σ self_i·x_i accumulated in Double, per support group then over them (deterministic).
    func dot(_ x: MultigridVector) -> Double {
        let p = pointer, q = x.pointer
        return support.sum { r in
            var s = 0.0
            for i in r { s += Double(p[i]) * Double(q[i]) }
            return s
        }
    }
}
