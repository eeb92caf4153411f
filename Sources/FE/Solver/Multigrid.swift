// Geometric multigrid V-cycle on the voxel lattice, used as the PCG preconditioner.
//
// Coarsening: ×2 per axis. A coarse cube exists where any of its 8 children exists; its modulus is
// the mean over the 8 children counting empty ones as 0 (re-discretisation: coarse cube of edge 2h,
// K_c = Ē·2h·K̂). Transfers: trilinear prolongation P on the node lattices, restriction R = Pᵀ.
// Constraints: a coarse DOF is held fixed when any fine DOF it interpolates to is constrained, so
// every level is anchored where the model is; masked residuals and corrections keep the V-cycle a
// symmetric positive definite preconditioner. Smoothing: Chebyshev polynomial in D⁻¹A (same
// polynomial before and after the coarse correction), its upper bound from a power iteration. The
// fine level may smooth with another operator than the one it was built on (`SmoothingOperator`:
// a Newton iteration's tangent stiffness), and the coarse levels but the coarsest may be re-discretised from
// other per-element scales of the fine level (`rederiveCoarseLevels`: the tangent's, TangentSmoothing).
// Coarsest level: banded Cholesky in lattice order (double precision). Every other level works in
// single precision (MultigridVector, the operator's Float kernel): a preconditioner need not be exact.
import OpenBCTCore

/// An operator the fine level smooths with instead of its own (same Chebyshev degree and interval):
/// its single-precision product and 1/diag at the free DOFs (0 elsewhere).
struct SmoothingOperator {
    let apply: (MultigridVector, MultigridVector) -> Void
    let inverseDiagonal: MultigridVector
}

/// One level of the hierarchy: its operator, free-DOF mask and smoother data.
final class MultigridLevel: @unchecked Sendable {
    let op: LatticeOperator
    /// 1 at free DOFs, 0 at constrained DOFs and at lattice DOFs no element touches.
    let free: MultigridVector
    /// 1/diag(K) at free DOFs, 0 elsewhere.
    let invDiag: MultigridVector
    /// Estimated largest eigenvalue of D⁻¹A on the free DOFs.
    private(set) var lambdaMax = 2.0
    /// Smooth with this operator instead of `op` (nil: `op`).
    var replacement: SmoothingOperator?

    // Work vectors (the V-cycle is not reentrant).
    let rhs: MultigridVector, x: MultigridVector, r: MultigridVector, d: MultigridVector, t: MultigridVector

    init(op: LatticeOperator, free: MultigridVector) {
        self.op = op; self.free = free
        invDiag = op.makeFloatVector()
        rhs = op.makeFloatVector(); x = op.makeFloatVector()
        r = op.makeFloatVector(); d = op.makeFloatVector(); t = op.makeFloatVector()
        updateInverseDiagonal()
    }

    /// invDiag = 1/diag(op) at the free DOFs (after the operator's scales changed).
    func updateInverseDiagonal() {
        let diag = op.diagonal()
        for i in 0..<op.dofCount { invDiag[i] = free[i] != 0 && diag[i] > 0 ? Float(1 / diag[i]) : 0 }
    }

    /// Power iteration for λ_max(D⁻¹A), from a fixed pseudo-random start (deterministic).
    func estimateLambdaMax(iterations: Int = 12) {
        var seed: UInt64 = 0x9E3779B97F4A7C15
        for i in 0..<x.count {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            x[i] = Float(Double(seed >> 11) / Double(1 << 53) - 0.5) * free[i]
        }
        var lambda = 0.0
        let xp = x.pointer, tp = t.pointer, ip = invDiag.pointer
        for _ in 0..<iterations {
            let n = x.dot(x).squareRoot()
            guard n > 0 else { break }
            let scale = Float(1 / n)
            x.forEachRange { r in for i in r { xp[i] *= scale } }   // x /= |x|
            op.apply(x, into: t)
            t.forEachRange { r in for i in r { tp[i] *= ip[i] } }   // t = D⁻¹A x (D⁻¹ is 0 off the free DOFs)
            lambda = t.dot(x)                                     // Rayleigh-type estimate with |x| = 1
            t.forEachRange { r in for i in r { xp[i] = tp[i] } }
        }
        if lambda > 0 { lambdaMax = lambda }
    }

    /// t = A·x with the smoothing operator.
    @inline(__always) private func product(_ x: MultigridVector, into t: MultigridVector) {
        if let replacement { replacement.apply(x, t) } else { op.apply(x, into: t) }
    }

    /// Chebyshev smoothing of A·x = rhs, `degree` steps on [β/8, β] with β = 1.1·λ_max.
    /// If `zeroStart`, x starts at 0. With `residual`, r holds rhs − A·x on return (one product per
    /// step); without, the last step's product is skipped. Each step is one operator sweep and one
    /// fused pass over the vectors (mask, residual, direction and x update together).
    func smooth(degree: Int, zeroStart: Bool, residual: Bool) {
        let beta = 1.1 * lambdaMax, alpha = beta / 8
        let theta = (beta + alpha) / 2, delta = (beta - alpha) / 2, sigma = theta / delta
        let c = Float(1 / theta - 1)
        let xp = x.pointer, rp = r.pointer, dp = d.pointer, tp = t.pointer, ip = (replacement?.inverseDiagonal ?? invDiag).pointer, fp = free.pointer
        // d = D⁻¹r/θ and x += d, r = rhs − A·x (r = rhs from a zero start: then it is read from rhs below).
        if zeroStart {
            let bp = rhs.pointer
            x.forEachRange { range in
                for i in range { let q = ip[i] * bp[i]; dp[i] = q + c * q; xp[i] = dp[i] }
            }
        } else {
            product(x, into: t)
            let bp = rhs.pointer
            x.forEachRange { range in
                for i in range {
                    rp[i] = bp[i] - tp[i] * fp[i]
                    let q = ip[i] * rp[i]; dp[i] = q + c * q; xp[i] += dp[i]
                }
            }
        }
        var rho = 1 / sigma, residualFromRHS = zeroStart
        for step in 1...degree {
            if step == degree && !residual { break }
            product(d, into: t)
            let sp = residualFromRHS ? rhs.pointer : r.pointer
            residualFromRHS = false
            if step == degree {
                r.forEachRange { range in for i in range { rp[i] = sp[i] - tp[i] * fp[i] } }
                break
            }
            let rhoNext = 1 / (2 * sigma - rho)
            // d = ρ'ρ·d + (2ρ'/δ)·D⁻¹r, then x += d.
            let a = Float(rhoNext * rho), b = Float(2 * rhoNext / delta)
            d.forEachRange { range in
                for i in range {
                    rp[i] = sp[i] - tp[i] * fp[i]
                    dp[i] = a * dp[i] + b * ip[i] * rp[i]
                    xp[i] += dp[i]
                }
            }
            rho = rhoNext
        }
    }
}

/// Trilinear interpolation between two node lattices, one axis at a time.
struct LatticeTransfer: Sendable {
    let fine: SIMD3<Int>, coarse: SIMD3<Int>

    /// Coarse parents of fine index i on one axis: the first parent, how many (1 or 2), and the weight of each.
    @inline(__always) static func parents(_ i: Int) -> (first: Int, count: Int, weight: Float) {
        i & 1 == 0 ? (i >> 1, 1, 1) : (i >> 1, 2, 0.5)
    }

    /// The lattice nodes whose first DOF lies in a DOF range (ranges of `forEachRange`).
    @inline(__always) static func nodes(in range: Range<Int>) -> Range<Int> {
        (range.lowerBound + 2) / 3 ..< (range.upperBound + 2) / 3
    }

    /// fine += mask ⊙ P·coarse on fine's support (the rest of fine is not written).
    ///
    /// One fine node row at a time, separably: the (up to 4) parent coarse rows are first combined along
    /// j and k into one row buffer — contiguous single-precision axpys the compiler vectorises — and
    /// then interpolated along i.
    func prolongAdd(_ c: MultigridVector, into f: MultigridVector, mask: MultigridVector) {
        let fp = f.pointer, cp = c.pointer, mp = mask.pointer, fine = self.fine, coarse = self.coarse
        f.forEachRange { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * coarse.x) { buffer in
                let t = buffer.baseAddress!
                Self.forEachRowPart(of: Self.nodes(in: range), columns: fine.x) { n, i0, i1, row in
                    // Coarse columns the fine columns i0 ..< i1 interpolate from.
                    let lo = i0 >> 1, hi = i1 >> 1, length = 3 * (hi - lo + 1)
                    for q in 0..<length { t[q] = 0 }
                    let pj = Self.parents(row % fine.y), pk = Self.parents(row / fine.y)
                    for a in 0..<pk.count { for b in 0..<pj.count {
                        let w = pk.weight * pj.weight
                        let source = cp.base + 3 * (lo + coarse.x * (pj.first + b + coarse.y * (pk.first + a)))
                        for q in 0..<length { t[q] += w * source[q] }
                    } }
                    for i in i0..<i1 {
                        let p = 3 * ((i >> 1) - lo), o = 3 * (n + i - i0)
                        var v = SIMD3(t[p], t[p + 1], t[p + 2])
                        if i & 1 == 1 { v = (v + SIMD3(t[p + 3], t[p + 4], t[p + 5])) * 0.5 }
                        fp[o] += v.x * mp[o]; fp[o + 1] += v.y * mp[o + 1]; fp[o + 2] += v.z * mp[o + 2]
                    }
                }
            }
        }
    }

    /// coarse = mask ⊙ Pᵀ·fine on coarse's support (the rest of coarse is not written).
    ///
    /// One coarse node row at a time, separably: its (up to 9) child fine rows are first summed with
    /// their j and k weights into one row buffer (vectorised axpys), then restricted along i.
    func restrict(_ f: MultigridVector, into c: MultigridVector, mask: MultigridVector) {
        let fp = f.pointer, cp = c.pointer, mp = mask.pointer, fine = self.fine, coarse = self.coarse
        c.forEachRange { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * fine.x) { buffer in
                let t = buffer.baseAddress!
                Self.forEachRowPart(of: Self.nodes(in: range), columns: coarse.x) { n, i0, i1, row in
                    // Fine columns of the children of coarse columns i0 ..< i1.
                    let lo = max(0, 2 * i0 - 1), hi = min(fine.x - 1, 2 * (i1 - 1) + 1), length = 3 * (hi - lo + 1)
                    for q in 0..<length { t[q] = 0 }
                    let jc = row % coarse.y, kc = row / coarse.y
                    for k in max(0, 2 * kc - 1) ... min(fine.z - 1, 2 * kc + 1) {
                        for j in max(0, 2 * jc - 1) ... min(fine.y - 1, 2 * jc + 1) {
                            let w: Float = (k == 2 * kc ? 1 : 0.5) * (j == 2 * jc ? 1 : 0.5)
                            let source = fp.base + 3 * (lo + fine.x * (j + fine.y * k))
                            for q in 0..<length { t[q] += w * source[q] }
                        }
                    }
                    for ic in i0..<i1 {
                        var v = SIMD3<Float>()
                        for i in max(lo, 2 * ic - 1) ... min(hi, 2 * ic + 1) {
                            let p = 3 * (i - lo)
                            v += SIMD3(t[p], t[p + 1], t[p + 2]) * (i == 2 * ic ? 1 : 0.5)
                        }
                        let o = 3 * (n + ic - i0)
                        cp[o] = v.x * mp[o]; cp[o + 1] = v.y * mp[o + 1]; cp[o + 2] = v.z * mp[o + 2]
                    }
                }
            }
        }
    }

    /// Splits a node range into its parts along lattice rows of `columns` nodes: `body(first node,
    /// first column, end column, row)` per part.
    @inline(__always)
    static func forEachRowPart(of nodes: Range<Int>, columns: Int, _ body: (Int, Int, Int, Int) -> Void) {
        var n = nodes.lowerBound
        while n < nodes.upperBound {
            let row = n / columns, i0 = n - row * columns, i1 = min(columns, i0 + nodes.upperBound - n)
            body(n, i0, i1, row)
            n += i1 - i0
        }
    }
}

/// The multigrid V-cycle preconditioner z = M⁻¹·r of a model's stiffness.
final class MultigridPreconditioner: @unchecked Sendable {
    let levels: [MultigridLevel]
    let transfers: [LatticeTransfer]
    /// parents[l][e]: the element of level l + 1 that contains element e of level l.
    private let parents: [[Int32]]
    /// Compact numbering of the coarsest level's free DOFs (lattice DOF → index, −1 if not free).
    private let coarseIndex: [Int32]
    private let coarseFactor: BandCholesky
    let smoothingDegree: Int

    /// Coarsest-level budget: banded Cholesky with n·b² ≤ this many flops (≈ 0.05 s; deeper
    /// hierarchies cost little, a large band costs a lot).
    static let coarseFactorBudget = 1.0e8
    /// … and n·b ≤ this many doubles of storage (32 MB).
    static let coarseStorageBudget = 4.0e6

    /// The hierarchy of the operator `op` with free-DOF mask `free` (1 free, 0 held or untouched).
    init(op: LatticeOperator, free: SolverVector, smoothingDegree: Int = 2) throws {
        self.smoothingDegree = smoothingDegree
        let fineFree = op.makeFloatVector()
        fineFree.assign(free)
        var levels = [MultigridLevel(op: op, free: fineFree)], transfers: [LatticeTransfer] = [], parents: [[Int32]] = []
        while true {
            let top = levels[levels.count - 1]
            let dims = top.op.nodeDims &- 1
            let freeCount = Int(top.free.dot(top.free).rounded())
            let nd = top.op.nodeDims
            let bandEstimate = 3.0 * Double(nd.x * nd.y + nd.x + 1)
            let small = Double(freeCount) * bandEstimate * bandEstimate <= Self.coarseFactorBudget
                && Double(freeCount) * bandEstimate <= Self.coarseStorageBudget
            if small || (dims.x == 1 && dims.y == 1 && dims.z == 1) { break }
            let (coarse, parent) = Self.coarsen(top)
            transfers.append(LatticeTransfer(fine: top.op.nodeDims, coarse: coarse.op.nodeDims))
            levels.append(coarse); parents.append(parent)
        }
        self.levels = levels; self.transfers = transfers; self.parents = parents
        for level in levels.dropLast() { level.estimateLambdaMax() }
        (coarseIndex, coarseFactor) = try Self.factorCoarsest(levels[levels.count - 1])
    }

    /// Builds the next coarser level of `fine` (cubes of twice the edge) and the coarse element of each
    /// fine element (−1 where the coarse cube is dropped because its children's scales sum to 0).
    static func coarsen(_ fine: MultigridLevel) -> (MultigridLevel, [Int32]) {
        let fineDims = fine.op.nodeDims &- 1
        let cdims = (fineDims &+ 1) / 2
        let NX = fine.op.nodeDims.x, NY = fine.op.nodeDims.y
        let cellOfFine = fine.op.cornerNode.map { n0 -> Int in
            let n = Int(n0), i = n % NX, j = (n / NX) % NY, k = n / (NX * NY)
            return i / 2 + cdims.x * (j / 2 + cdims.y * (k / 2))
        }
        var sums = [Double](repeating: 0, count: cdims.x * cdims.y * cdims.z)
        for (e, c) in cellOfFine.enumerated() { sums[c] += fine.op.scale[e] }
        var cells: [Int32] = [], elementOfCell = [Int32](repeating: -1, count: sums.count)
        for (c, s) in sums.enumerated() where s > 0 { elementOfCell[c] = Int32(cells.count); cells.append(Int32(c)) }
        let parent = cellOfFine.map { elementOfCell[$0] }
        let scale = coarseScales(fine.op.scale, parent: parent, count: cells.count)
        let op = LatticeOperator(elementDims: cdims, cells: cells, scale: scale, unitStiffness: fine.op.unitStiffness)
        // Coarse DOF is free when some coarse element touches it and no fine constrained DOF it
        // interpolates to exists.
        let free = op.makeFloatVector()
        let cdiag = op.diagonal()
        for i in 0..<op.dofCount where cdiag[i] > 0 { free[i] = 1 }
        let fdiag = fine.op.diagonal()
        let fnd = fine.op.nodeDims, cnd = op.nodeDims
        for fi in 0..<fine.op.dofCount where fdiag[fi] > 0 && fine.free[fi] == 0 {
            let node = fi / 3, d = fi % 3
            let i = node % fnd.x, j = (node / fnd.x) % fnd.y, k = node / (fnd.x * fnd.y)
            let pi = LatticeTransfer.parents(i), pj = LatticeTransfer.parents(j), pk = LatticeTransfer.parents(k)
            for a in 0..<pk.count { for b in 0..<pj.count { for c in 0..<pi.count {
                free[3 * (pi.first + c + cnd.x * (pj.first + b + cnd.y * (pk.first + a))) + d] = 0
            } } }
        }
        return (MultigridLevel(op: op, free: free), parent)
    }

    /// The coarse element scales re-discretised from the fine ones: a coarse cube of edge 2h has the mean
    /// modulus of its 8 children (empty ones counting 0), so s_c = Ē·2h = (Σ E·h / h) / 8 · 2h = Σ s_e / 4.
    static func coarseScales(_ fine: [Double], parent: [Int32], count: Int) -> [Double] {
        var scale = [Double](repeating: 0, count: count)
        for (e, c) in parent.enumerated() where c >= 0 { scale[Int(c)] += fine[e] / 4 }
        return scale
    }

    /// Re-derives the coarse levels between the fine and the coarsest from per-element scales of the fine
    /// level (`fineScale`; nil: the fine operator's own, i.e. back to the hierarchy as built) by the same
    /// re-discretisation as at construction, with each level's smoother diagonal and Chebyshev bound. The
    /// fine level and the coarsest level's factor are not touched (refactoring it per increment bought
    /// nothing measurable: docs/benchmarks.md, FE solver, h/fe-coarse10).
    func rederiveCoarseLevels(fineScale: [Double]?) {
        var scale = fineScale ?? levels[0].op.scale
        precondition(scale.count == levels[0].op.elementCount, "one scale per fine element")
        for l in levels.indices.dropFirst().dropLast() {
            scale = Self.coarseScales(scale, parent: parents[l - 1], count: levels[l].op.elementCount)
            levels[l].op.rescale(scale)
            levels[l].updateInverseDiagonal()
            levels[l].estimateLambdaMax()
        }
    }

    /// Assembles and factorises the coarsest level's free-DOF matrix.
    private static func factorCoarsest(_ level: MultigridLevel) throws -> ([Int32], BandCholesky) {
        var index = [Int32](repeating: -1, count: level.op.dofCount)
        var n = 0
        for i in 0..<level.op.dofCount where level.free[i] != 0 { index[i] = Int32(n); n += 1 }
        guard n > 0 else { throw FEError.invalidModel("no free degrees of freedom") }
        var band = 0
        for e in 0..<level.op.elementCount {
            let idx = level.op.elementDofs(e).map { index[$0] }.filter { $0 >= 0 }
            if let lo = idx.min(), let hi = idx.max() { band = max(band, Int(hi - lo)) }
        }
        let w = band + 1
        var lower = [Double](repeating: 0, count: n * w)
        let k = level.op.unitStiffness
        for e in 0..<level.op.elementCount {
            let dofs = level.op.elementDofs(e), s = level.op.scale[e]
            for a in 0..<24 {
                let ia = Int(index[dofs[a]]); if ia < 0 { continue }
                for b in 0..<24 {
                    let ib = Int(index[dofs[b]]); if ib < 0 || ib > ia { continue }
                    lower[ia * w + ib - ia + band] += s * k[a * 24 + b]
                }
            }
        }
        return (index, BandCholesky(n: n, bandwidth: band, lowerBand: lower))
    }

    /// The finest level (the model's own lattice).
    var fine: MultigridLevel { levels[0] }

    /// From now on the fine level smooths with `operator` (nil: with the operator it was built on).
    func smoothFineLevel(with operator: SmoothingOperator?) { levels[0].replacement = `operator` }

    /// z = M⁻¹·r (one V-cycle from a zero guess).
    func apply(_ r: SolverVector, into z: SolverVector) {
        // A one-level hierarchy is a direct solve only: nothing to gain from rounding it to single precision.
        guard let x = fineResult(ofCycleOn: r) else { z.fill(0); solveCoarsest(from: { r[$0] }, into: { z[$0] = $1 }); return }
        x.store(into: z)
    }

    /// z = M⁻¹·r in single precision, the V-cycle's own (its fine-level result copied, not widened; a one-level
    /// hierarchy's direct solve rounded).
    func apply(_ r: SolverVector, into z: MultigridVector) {
        guard let x = fineResult(ofCycleOn: r) else { z.fill(0); solveCoarsest(from: { r[$0] }, into: { z[$0] = Float($1) }); return }
        z.copy(from: x)
    }

    /// One V-cycle from a zero guess on the right-hand side `r`: the fine level's solution, valid until the next
    /// cycle; nil when the hierarchy has a single level (its direct solve is the caller's, in the caller's precision).
    private func fineResult(ofCycleOn r: SolverVector) -> MultigridVector? {
        guard levels.count > 1 else { return nil }
        levels[0].rhs.assign(r)
        cycle(0)
        return levels[0].x
    }

    /// Solves the coarsest level's free-DOF system: b gathered by `from`, the solution scattered by `into`.
    private func solveCoarsest(from rhs: (Int) -> Double, into x: (Int, Double) -> Void) {
        var b = [Double](repeating: 0, count: coarseFactor.n)
        for (i, c) in coarseIndex.enumerated() where c >= 0 { b[Int(c)] = rhs(i) }
        coarseFactor.solve(&b)
        for (i, c) in coarseIndex.enumerated() where c >= 0 { x(i, b[Int(c)]) }
    }

    /// level.x = one V-cycle for A·x = level.rhs on level l.
    private func cycle(_ l: Int) {
        let level = levels[l]
        if l == levels.count - 1 {
            level.x.fill(0)
            solveCoarsest(from: { Double(level.rhs[$0]) }, into: { level.x[$0] = Float($1) })
            return
        }
        level.smooth(degree: smoothingDegree, zeroStart: true, residual: true)
        let next = levels[l + 1]
        transfers[l].restrict(level.r, into: next.rhs, mask: next.free)
        cycle(l + 1)
        transfers[l].prolongAdd(next.x, into: level.x, mask: level.free)
        level.smooth(degree: smoothingDegree, zeroStart: false, residual: false)
    }
}
