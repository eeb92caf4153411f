// The matrix-free stiffness operator y = K·x of a voxel mesh: every element is the same cube, so
// K = Σ_e s_e·K̂ with one scale s_e = E_e·h per element and one shared 24×24 matrix K̂(ν).
//
// Vectors hold 3 DOFs per lattice node, node n at offset 3n (unused lattice nodes stay zero).
// With lexicographic local node order an element's 24 DOFs are four contiguous runs of 6 doubles
// starting at nodes n0, n0+NX, n0+NX·NY and n0+NX+NX·NY — no index table. Threads scatter
// without atomics: the elements are grouped into slabs of whole k-layers, and the even slabs run
// in parallel, then the odd ones (two slabs of one colour never share a node layer).
import OpenBCTCore

/// The stiffness operator of one lattice level (the model itself or a multigrid coarse level).
final class LatticeOperator: @unchecked Sendable {
    /// Node lattice dimensions (NX, NY, NZ).
    let nodeDims: SIMD3<Int>
    /// Lattice node index n0 of each element's corner (0, 0, 0), in increasing order.
    let cornerNode: [Int32]
    /// s_e = E_e·h per element (MPa·mm); a multigrid coarse level may re-derive them (`rescale`).
    private(set) var scale: [Double]
    /// Element ranges of the slabs; even positions form one colour, odd positions the other.
    let slabs: [Range<Int>]
    /// K̂ columns as SIMD8 triples: column c is kColumns[3c ..< 3c+3] (K̂ is symmetric).
    let kColumns: [SIMD8<Double>]
    /// K̂ columns and the element scales in single precision: the multigrid's operator.
    let kColumnsFloat: [SIMD8<Float>]
    private(set) var scaleFloat: [Float]
    /// K̂ itself (row-major 24×24), for scalar use (fields, diagonal, assembly).
    let unitStiffness: [Double]
    /// The DOFs of the nodes elements touch: the support of every vector of this lattice.
    let support: DofSupport

    var dofCount: Int { 3 * nodeDims.x * nodeDims.y * nodeDims.z }
    var elementCount: Int { cornerNode.count }

    /// - Parameters:
    ///   - elementDims: the element lattice (nx, ny, nz).
    ///   - cells: lattice cell index of each element, strictly increasing.
    ///   - scale: E_e·h per element.
    init(elementDims: SIMD3<Int>, cells: [Int32], scale: [Double], unitStiffness: [Double]) {
        nodeDims = elementDims &+ 1
        let nx = elementDims.x, ny = elementDims.y
        let NX = nodeDims.x, NY = nodeDims.y
        cornerNode = cells.map { c in
            let c = Int(c), i = c % nx, j = (c / nx) % ny, k = c / (nx * ny)
            return Int32(i + NX * (j + NY * k))
        }
        self.scale = scale
        self.unitStiffness = unitStiffness
        var cols = [SIMD8<Double>]()
        cols.reserveCapacity(72)
        for c in 0..<24 { for part in 0..<3 {
            var v = SIMD8<Double>()
            for t in 0..<8 { v[t] = unitStiffness[(part * 8 + t) * 24 + c] }
            cols.append(v)
        } }
        kColumns = cols
        kColumnsFloat = cols.map { SIMD8<Float>($0) }
        scaleFloat = scale.map { Float($0) }
        slabs = Self.makeSlabs(layers: cells.map { Int($0) / (nx * ny) }, layerCount: elementDims.z)
        support = Self.makeSupport(cornerNode: cornerNode, nodeDims: nodeDims)
    }

    /// Replaces every element's scale (same elements, same lattice): a multigrid coarse level re-derived
    /// from the tangent stiffness (`MultigridPreconditioner.rederiveCoarseLevels`).
    func rescale(_ newScale: [Double]) {
        precondition(newScale.count == scale.count, "one scale per element")
        scale = newScale
        scaleFloat = newScale.map { Float($0) }
    }

    /// A zero vector of this lattice (with its support).
    func makeVector() -> SolverVector { SolverVector(count: dofCount, support: support) }

    /// A zero single-precision vector of this lattice (with its support).
    func makeFloatVector() -> MultigridVector { MultigridVector(count: dofCount, support: support) }

    /// Per node row (j, k): the span of node columns i that elements touch, as DOF ranges in lattice order.
    private static func makeSupport(cornerNode: [Int32], nodeDims: SIMD3<Int>) -> DofSupport {
        let NX = nodeDims.x, rows = nodeDims.y * nodeDims.z
        var lo = [Int](repeating: Int.max, count: rows), hi = [Int](repeating: -1, count: rows)
        for n0 in cornerNode {
            let n = Int(n0), i = n % NX, row = n / NX
            for r in [row, row + 1, row + nodeDims.y, row + nodeDims.y + 1] {
                lo[r] = min(lo[r], i); hi[r] = max(hi[r], i + 1)
            }
        }
        var ranges: [Range<Int>] = []
        for row in 0..<rows where hi[row] >= 0 {
            let r = 3 * (row * NX + lo[row]) ..< 3 * (row * NX + hi[row] + 1)
            if let last = ranges.last, last.upperBound == r.lowerBound { ranges[ranges.count - 1] = last.lowerBound ..< r.upperBound }
            else { ranges.append(r) }
        }
        return DofSupport(ranges: ranges)
    }

    /// Splits the elements (sorted by k-layer) into an even number of slabs of whole layers with
    /// about equal element counts, each at least one layer thick.
    private static func makeSlabs(layers: [Int], layerCount: Int) -> [Range<Int>] {
        let n = layers.count
        guard n > 0 else { return [] }
        var layerStart = [Int](repeating: n, count: layerCount + 1)
        for e in stride(from: n - 1, through: 0, by: -1) { layerStart[layers[e]] = e }
        for k in stride(from: layerCount - 1, through: 0, by: -1) { layerStart[k] = min(layerStart[k], layerStart[k + 1]) }
        var wanted = min(8 * parallelWidth, layerCount)
        if wanted % 2 == 1 { wanted -= 1 }
        guard wanted >= 2, parallelWidth > 1 else { return [0..<n] }
        var bounds = [0]
        var layer = 0
        for s in 1..<wanted {
            let target = n * s / wanted
            // Advance at least one layer, and leave at least one layer for each remaining slab.
            var k = layer + 1
            while k < layerCount - (wanted - s) && layerStart[k] < target { k += 1 }
            layer = k
            bounds.append(layerStart[k])
        }
        bounds.append(n)
        return (0..<wanted).map { bounds[$0] ..< bounds[$0 + 1] }
    }

    /// Runs `body` over every slab, one colour at a time, slabs of a colour in parallel (in order under a
    /// serial `LoopSpread`).
    func forEachSlabColoured(_ body: @Sendable (Range<Int>) -> Void) {
        forEachSlabColouredIndexed { _, range in body(range) }
    }

    /// As `forEachSlabColoured`, also passing the slab's position in `slabs`.
    func forEachSlabColouredIndexed(_ body: @Sendable (Int, Range<Int>) -> Void) {
        if slabs.count <= 1 { for (i, s) in slabs.enumerated() { body(i, s) }; return }
        for colour in 0..<2 {
            let mine = Array(stride(from: colour, to: slabs.count, by: 2))
            concurrentIterations(mine.count) { body(mine[$0], slabs[mine[$0]]) }
        }
    }

    /// y = K·x over the whole lattice (y is overwritten).
    func apply(_ x: SolverVector, into y: SolverVector) {
        y.fill(0)
        let xs = SendableConstPointer(UnsafePointer(x.base)), ys = y.pointer
        withElementKernel { kernel in
            forEachSlabColoured { range in
                for e in range { kernel.product(e, xs.base, ys.base, kernel.runs(e)) }
            }
        }
    }

    /// y = K·x in single precision over the support (y is overwritten): the multigrid's operator.
    func apply(_ x: MultigridVector, into y: MultigridVector) {
        y.fill(0)
        let xs = SendableConstPointer(UnsafePointer(x.base)), ys = y.pointer
        let NX3 = 3 * nodeDims.x, NXY3 = 3 * nodeDims.x * nodeDims.y
        cornerNode.withUnsafeBufferPointer { cornerBuf in scaleFloat.withUnsafeBufferPointer { scaleBuf in
            kColumnsFloat.withUnsafeBufferPointer { kBuf in
                let corner = SendableConstPointer(cornerBuf.baseAddress!), s = SendableConstPointer(scaleBuf.baseAddress!)
                let k = SendableConstPointer(kBuf.baseAddress!)
                forEachSlabColoured { range in
                    for e in range {
                        let o0 = 3 * Int(corner[e])
                        Self.elementProduct(k.base, xs.base, ys.base, s[e], o0, o0 + NX3, o0 + NXY3, o0 + NX3 + NXY3)
                    }
                }
            }
        } }
    }

    /// The lattice offsets of an element's four 6-DOF runs (local nodes 0–1, 2–3, 4–5, 6–7).
    struct ElementRuns {
        let r0: Int, r1: Int, r2: Int, r3: Int
        /// Offset of local node l's first DOF.
        @inline(__always) func node(_ l: Int) -> Int {
            let r = l >> 1
            return (r == 0 ? r0 : r == 1 ? r1 : r == 2 ? r2 : r3) + 3 * (l & 1)
        }
    }

    /// The operator's arrays as raw pointers, for kernels that sweep the elements (valid only inside
    /// `withElementKernel`): the element matrix and scales in double and in single precision.
    struct ElementKernel: @unchecked Sendable {
        let corner: UnsafePointer<Int32>, scale: UnsafePointer<Double>, columns: UnsafePointer<SIMD8<Double>>
        let scaleFloat: UnsafePointer<Float>, columnsFloat: UnsafePointer<SIMD8<Float>>
        let rowStride: Int, layerStride: Int

        @inline(__always) func runs(_ e: Int) -> ElementRuns {
            let o0 = 3 * Int(corner[e])
            return ElementRuns(r0: o0, r1: o0 + rowStride, r2: o0 + layerStride, r3: o0 + rowStride + layerStride)
        }

        /// y[runs] += s_e·K̂·x[runs].
        @inline(__always) func product(_ e: Int, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ runs: ElementRuns) {
            LatticeOperator.elementProduct(columns, x, y, scale[e], runs.r0, runs.r1, runs.r2, runs.r3)
        }

        /// The same in single precision.
        @inline(__always) func product(_ e: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ runs: ElementRuns) {
            LatticeOperator.elementProduct(columnsFloat, x, y, scaleFloat[e], runs.r0, runs.r1, runs.r2, runs.r3)
        }
    }

    func withElementKernel<R>(_ body: (ElementKernel) -> R) -> R {
        cornerNode.withUnsafeBufferPointer { cornerBuf in
            scale.withUnsafeBufferPointer { scaleBuf in kColumns.withUnsafeBufferPointer { kBuf in
                scaleFloat.withUnsafeBufferPointer { scaleFloatBuf in kColumnsFloat.withUnsafeBufferPointer { kFloatBuf in
                    body(ElementKernel(corner: cornerBuf.baseAddress!, scale: scaleBuf.baseAddress!, columns: kBuf.baseAddress!,
                                       scaleFloat: scaleFloatBuf.baseAddress!, columnsFloat: kFloatBuf.baseAddress!,
                                       rowStride: 3 * nodeDims.x, layerStride: 3 * nodeDims.x * nodeDims.y))
                } }
            } }
        }
    }

    /// y[runs] += s·K̂·x[runs] for one element whose four 6-DOF runs start at o0…o3.
    @inline(__always)
    static func elementProduct<S: SIMDScalar & BinaryFloatingPoint>(_ k: UnsafePointer<SIMD8<S>>, _ x: UnsafePointer<S>,
                                                                     _ y: UnsafeMutablePointer<S>, _ s: S,
                                                                     _ o0: Int, _ o1: Int, _ o2: Int, _ o3: Int) {
        // Two accumulator triples (even/odd columns) keep six independent FMA chains in flight.
        var a0 = SIMD8<S>(), a1 = SIMD8<S>(), a2 = SIMD8<S>()
        var b0 = SIMD8<S>(), b1 = SIMD8<S>(), b2 = SIMD8<S>()
        @inline(__always) func run(_ o: Int, _ c0: Int) {
            var t = 0
            while t < 6 {
                let u = SIMD8<S>(repeating: x[o + t]), v = SIMD8<S>(repeating: x[o + t + 1])
                let kc = k + 3 * (c0 + t)
                a0.addProduct(kc[0], u); a1.addProduct(kc[1], u); a2.addProduct(kc[2], u)
                b0.addProduct(kc[3], v); b1.addProduct(kc[4], v); b2.addProduct(kc[5], v)
                t += 2
            }
        }
        run(o0, 0); run(o1, 6); run(o2, 12); run(o3, 18)
        // The 24 results go through a stack buffer whole (three full-width stores), and each 6-DOF run is
        // added from it as a 4- and a 2-lane vector: split in registers, the runs straddle the vectors and
        // the compiler narrowed the single-precision FMAs to half width with shuffles and spills.
        withUnsafeTemporaryAllocation(of: SIMD8<S>.self, capacity: 3) { buffer in
            let b = buffer.baseAddress!
            b[0] = (a0 + b0) * s; b[1] = (a1 + b1) * s; b[2] = (a2 + b2) * s
            let r = UnsafeRawPointer(b)
            @inline(__always) func add6(_ o: Int, _ first: Int) {
                let p = UnsafeMutableRawPointer(y + o), q = UnsafeMutableRawPointer(y + o + 4)
                let stride = MemoryLayout<S>.stride
                p.storeBytes(of: p.loadUnaligned(as: SIMD4<S>.self) + r.loadUnaligned(fromByteOffset: first * stride, as: SIMD4<S>.self),
                             as: SIMD4<S>.self)
                q.storeBytes(of: q.loadUnaligned(as: SIMD2<S>.self) + r.loadUnaligned(fromByteOffset: (first + 4) * stride, as: SIMD2<S>.self),
                             as: SIMD2<S>.self)
            }
            add6(o0, 0); add6(o1, 6); add6(o2, 12); add6(o3, 18)
        }
    }

    /// The lattice DOF offsets of element `e`'s 24 local DOFs (local DOF 3·l + d).
    @inline(__always)
    func elementDofs(_ e: Int) -> [Int] {
        let o0 = 3 * Int(cornerNode[e]), NX3 = 3 * nodeDims.x, NXY3 = 3 * nodeDims.x * nodeDims.y
        let runs = [o0, o0 + NX3, o0 + NXY3, o0 + NX3 + NXY3]
        return (0..<24).map { runs[$0 / 6] + $0 % 6 }
    }

    /// The operator's diagonal (zero at lattice DOFs no element touches).
    func diagonal() -> SolverVector {
        let d = makeVector()
        let kd = unitStiffness[0]   // every diagonal entry of K̂ is equal (cube symmetry)
        let dp = d.pointer
        let NX3 = 3 * nodeDims.x, NXY3 = 3 * nodeDims.x * nodeDims.y
        cornerNode.withUnsafeBufferPointer { cornerBuf in
            scale.withUnsafeBufferPointer { scaleBuf in
                let corner = SendableConstPointer(cornerBuf.baseAddress!), s = SendableConstPointer(scaleBuf.baseAddress!)
                forEachSlabColoured { range in
                    for e in range {
                        let o0 = 3 * Int(corner[e]), v = kd * s[e]
                        for o in [o0, o0 + NX3, o0 + NXY3, o0 + NX3 + NXY3] { for t in 0..<6 { dp[o + t] += v } }
                    }
                }
            }
        }
        return d
    }
}
