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
    /// Per slab a cache line pair where `ElementScatter` parks one element's results (`scratchStride` bytes a slab).
    private let scratch: UnsafeMutableRawPointer
    private static let scratchStride = 256

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
        scratch = .allocate(byteCount: max(1, slabs.count) * Self.scratchStride, alignment: 64)
    }

    deinit { scratch.deallocate() }

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
        sweepElastic(SendableConstPointer(UnsafePointer(x.base)), y.pointer)
    }

    /// y = K·x in single precision over the support (y is overwritten): the multigrid's operator.
    func apply(_ x: MultigridVector, into y: MultigridVector) {
        y.fill(0)
        sweepElastic(SendableConstPointer(UnsafePointer(x.base)), y.pointer)
    }

    /// y += K·x, every element through the shared-matrix kernel, slabs coloured.
    @inline(__always)
    private func sweepElastic<S: LatticeScalar>(_ x: SendableConstPointer<S>, _ y: SendablePointer<S>) {
        withElementKernel { kernel in
            forEachSlabColouredIndexed { index, range in
                var scatter = kernel.scatter(into: y.base, slab: index)
                for e in range {
                    let runs = kernel.runs(e)
                    scatter.add(kernel.product(e, x.base, runs), runs)
                }
                scatter.flush()
            }
        }
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
        let scratch: UnsafeMutableRawPointer

        @inline(__always) func runs(_ e: Int) -> ElementRuns {
            let o0 = 3 * Int(corner[e])
            return ElementRuns(r0: o0, r1: o0 + rowStride, r2: o0 + layerStride, r3: o0 + rowStride + layerStride)
        }

        /// s_e·K̂·x[runs]: element e's 24 nodal results in local DOF order (lanes 0–7, 8–15, 16–23), in the
        /// precision of x.
        @inline(__always) func product<S: LatticeScalar>(_ e: Int, _ x: UnsafePointer<S>, _ runs: ElementRuns) -> ElementResult<S> {
            LatticeOperator.elementProduct(S.columns(self), x, S.scale(self, e), runs)
        }

        /// A scatter of element results into y for the slab at position `slab` of `slabs` (its own scratch).
        @inline(__always) func scatter<S: LatticeScalar>(into y: UnsafeMutablePointer<S>, slab: Int) -> ElementScatter<S> {
            ElementScatter(buffer: (scratch + slab * LatticeOperator.scratchStride).assumingMemoryBound(to: SIMD8<S>.self), y: y)
        }
    }

    func withElementKernel<R>(_ body: (ElementKernel) -> R) -> R {
        cornerNode.withUnsafeBufferPointer { cornerBuf in
            scale.withUnsafeBufferPointer { scaleBuf in kColumns.withUnsafeBufferPointer { kBuf in
                scaleFloat.withUnsafeBufferPointer { scaleFloatBuf in kColumnsFloat.withUnsafeBufferPointer { kFloatBuf in
                    body(ElementKernel(corner: cornerBuf.baseAddress!, scale: scaleBuf.baseAddress!, columns: kBuf.baseAddress!,
                                       scaleFloat: scaleFloatBuf.baseAddress!, columnsFloat: kFloatBuf.baseAddress!,
                                       rowStride: 3 * nodeDims.x, layerStride: 3 * nodeDims.x * nodeDims.y, scratch: scratch))
                } }
            } }
        }
    }

    /// s·K̂·x[runs] for one element: its 24 results in local DOF order.
    @inline(__always)
    static func elementProduct<S: SIMDScalar & BinaryFloatingPoint>(_ k: UnsafePointer<SIMD8<S>>, _ x: UnsafePointer<S>, _ s: S,
                                                                     _ runs: ElementRuns) -> ElementResult<S> {
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
        run(runs.r0, 0); run(runs.r1, 6); run(runs.r2, 12); run(runs.r3, 18)
        return ElementResult(v0: (a0 + b0) * s, v1: (a1 + b1) * s, v2: (a2 + b2) * s)
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

/// The precisions the element kernel runs in, with the operator's arrays of each. (Codable and Sendable as
/// Float and Double are: SIMD8's conformances and the sweeps' closures ask for them.)
///
/// Sweeps in other files (`TangentStiffness`) reach the kernel through `addProduct` and `flush`, whose witnesses for
/// Double and Float are emitted in this file with the kernel specialised in them: a debug build optimises each file
/// on its own (no whole-module optimisation), so a call of the generic kernel from another file would run
/// unspecialised — generic SIMD, many times slower.
protocol LatticeScalar: SIMDScalar & BinaryFloatingPoint & Codable & Sendable {
    static func columns(_ kernel: LatticeOperator.ElementKernel) -> UnsafePointer<SIMD8<Self>>
    static func scale(_ kernel: LatticeOperator.ElementKernel, _ e: Int) -> Self
    /// y[runs] += s_e·K̂·x[runs] through `scatter` (one element late).
    static func addProduct(_ kernel: LatticeOperator.ElementKernel, _ e: Int, _ x: UnsafePointer<Self>,
                           _ runs: LatticeOperator.ElementRuns, _ scatter: inout ElementScatter<Self>)
    /// Adds the element `scatter` holds back.
    static func flush(_ scatter: inout ElementScatter<Self>)
}

extension LatticeScalar {
    // The witnesses of Double's and Float's conformances: thunks in this file, so the kernel is specialised in them.
    @inline(__always) static func addProduct(_ kernel: LatticeOperator.ElementKernel, _ e: Int, _ x: UnsafePointer<Self>,
                                             _ runs: LatticeOperator.ElementRuns, _ scatter: inout ElementScatter<Self>) {
        scatter.add(kernel.product(e, x, runs), runs)
    }
    @inline(__always) static func flush(_ scatter: inout ElementScatter<Self>) { scatter.flush() }
}

extension Double: LatticeScalar {
    @inline(__always) static func columns(_ kernel: LatticeOperator.ElementKernel) -> UnsafePointer<SIMD8<Double>> { kernel.columns }
    @inline(__always) static func scale(_ kernel: LatticeOperator.ElementKernel, _ e: Int) -> Double { kernel.scale[e] }
}

extension Float: LatticeScalar {
    @inline(__always) static func columns(_ kernel: LatticeOperator.ElementKernel) -> UnsafePointer<SIMD8<Float>> { kernel.columnsFloat }
    @inline(__always) static func scale(_ kernel: LatticeOperator.ElementKernel, _ e: Int) -> Float { kernel.scaleFloat[e] }
}

/// One element's 24 nodal results in local DOF order: lanes of v0 are DOFs 0–7, v1 8–15, v2 16–23.
struct ElementResult<S: SIMDScalar> {
    let v0: SIMD8<S>, v1: SIMD8<S>, v2: SIMD8<S>
}

/// Adds element results to a lattice vector one element late. An element's four 6-DOF runs straddle the
/// result vectors; split in registers, the compiler narrowed the FMAs to half width with shuffles and
/// spills, and read back at once from a stack buffer, the 4-lane read of run 1 spans two of the buffer's
/// stores — a store-forwarding stall per element (`perf annotate`, docs/benchmarks.md, FE solver,
/// h/fe-kernel11). So the results are stored whole to the slab's scratch (memory the optimiser cannot
/// keep in registers) and read back while the next element's FMAs run, when the stores have left the
/// store buffer. The order of the additions to y is unchanged: `flush` before anything else writes y.
struct ElementScatter<S: SIMDScalar & BinaryFloatingPoint> {
    let buffer: UnsafeMutablePointer<SIMD8<S>>
    let y: UnsafeMutablePointer<S>
    private var pending: LatticeOperator.ElementRuns?

    init(buffer: UnsafeMutablePointer<SIMD8<S>>, y: UnsafeMutablePointer<S>) {
        self.buffer = buffer; self.y = y; pending = nil
    }

    /// y[runs] += r, after the element added before it.
    @inline(__always) mutating func add(_ r: ElementResult<S>, _ runs: LatticeOperator.ElementRuns) {
        flush()
        buffer[0] = r.v0; buffer[1] = r.v1; buffer[2] = r.v2
        pending = runs
    }

    /// Adds the element held back (call before anything else writes y, and at the end of a sweep).
    @inline(__always) mutating func flush() {
        guard let runs = pending else { return }
        pending = nil
        let r = UnsafeRawPointer(buffer), y = self.y
        // Each 6-DOF run as a 4- and a 2-lane vector.
        @inline(__always) func add6(_ o: Int, _ first: Int) {
            let p = UnsafeMutableRawPointer(y + o), q = UnsafeMutableRawPointer(y + o + 4)
            let stride = MemoryLayout<S>.stride
            p.storeBytes(of: p.loadUnaligned(as: SIMD4<S>.self) + r.loadUnaligned(fromByteOffset: first * stride, as: SIMD4<S>.self),
                         as: SIMD4<S>.self)
            q.storeBytes(of: q.loadUnaligned(as: SIMD2<S>.self) + r.loadUnaligned(fromByteOffset: (first + 4) * stride, as: SIMD2<S>.self),
                         as: SIMD2<S>.self)
        }
        add6(runs.r0, 0); add6(runs.r1, 6); add6(runs.r2, 12); add6(runs.r3, 18)
    }
}
