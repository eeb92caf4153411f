// The tangent stiffness K_T of a nonlinear iterate, applied matrix-free in one sweep over the
// elements: elements whose integration points are all elastic use the shared-matrix kernel s_e·K̂,
// the ones with a yielded point K_e = Σ_g (h³/8)·(B_g/h)ᵀ·D_g·(B_g/h) with their stored tangent
// moduli D_g — the 8 Gauss points of an element as the lanes of one SIMD vector.
import OpenBCTCore

final class TangentStiffness: @unchecked Sendable {
    /// The plastic elements of one slab (increasing) and their tangent moduli (written by that slab's thread).
    final class Slab: @unchecked Sendable {
        var elements: [Int32] = []
        /// Per element `TangentModuli.count` vectors: entry k of the principal-frame form, one Gauss point per lane.
        var moduli: [SIMD8<Float>] = []
    }

    let system: ModelSystem
    let slabs: [Slab]
    /// `HexElement.gaussGradientLanes`: entry 3·l + d holds ∂N_l/∂x_d at the 8 Gauss points.
    let gradients: [SIMD8<Double>]
    /// The same rounded to Float, for the single-precision products with the stored moduli.
    let floatGradients: [SIMD8<Float>]
    /// Both regrouped per Gauss point (`nodeGradientLanes`), for the force scatter and the diagonal.
    let nodeGradients: [SIMD8<Double>], floatNodeGradients: [SIMD8<Float>]

    init(system: ModelSystem, gradients: [SIMD8<Double>]) {
        self.system = system
        self.gradients = gradients
        floatGradients = gradients.map(narrowed)
        nodeGradients = nodeGradientLanes(gradients)
        floatNodeGradients = nodeGradients.map(narrowed)
        slabs = system.op.slabs.map { _ in Slab() }
    }

    /// Forgets the plastic elements (before a new internal-force evaluation collects them).
    func reset() {
        for s in slabs { s.elements.removeAll(keepingCapacity: true); s.moduli.removeAll(keepingCapacity: true) }
    }

    /// y = K_T·x on the free DOFs (zero elsewhere): the Newton correction's operator (double precision, the
    /// plastic elements' moduli applied in single precision as they are stored).
    func apply(_ x: SolverVector, into y: SolverVector) {
        y.fill(0)
        let weight = system.model.voxelSize / 8   // (h³/8)·(1/h)·(1/h): strain and force each carry one 1/h
        let xp = SendableConstPointer(UnsafePointer(x.base)), yp = y.pointer
        system.op.withElementKernel { kernel in gradients.withUnsafeBufferPointer { gradBuf in nodeGradients.withUnsafeBufferPointer { nodeBuf in
            let grad = SendableConstPointer(gradBuf.baseAddress!), nodeGrad = SendableConstPointer(nodeBuf.baseAddress!)
            sweep(kernel, xp, yp) { D, runs in
                let b = unitCubeStrain(grad.base, xp.base, runs)
                let half = SIMD8<Float>(repeating: 0.5)
                let s = TangentModuli.stress((narrowed(b.xx), narrowed(b.yy), narrowed(b.zz),
                                              narrowed(b.yz) * half, narrowed(b.xz) * half, narrowed(b.xy) * half), D)
                scatterUnitCubeDivergence(nodeGrad.base, (widened(s.xx) * weight, widened(s.yy) * weight, widened(s.zz) * weight,
                                                      widened(s.yz) * weight, widened(s.xz) * weight, widened(s.xy) * weight),
                                          into: yp.base, runs)
            }
        } } }
        y.multiply(by: system.free)
    }

    /// y = K_T·x wholly in single precision over the support (y is overwritten; constrained DOFs are not
    /// masked — the smoother masks its products): the multigrid fine level's smoothing operator, on its
    /// own vectors, so no conversion pass is needed around it.
    func apply(_ x: MultigridVector, into y: MultigridVector) {
        y.fill(0)
        let weight = Float(system.model.voxelSize / 8)
        let xp = SendableConstPointer(UnsafePointer(x.base)), yp = y.pointer
        system.op.withElementKernel { kernel in floatGradients.withUnsafeBufferPointer { gradBuf in floatNodeGradients.withUnsafeBufferPointer { nodeBuf in
            let grad = SendableConstPointer(gradBuf.baseAddress!), nodeGrad = SendableConstPointer(nodeBuf.baseAddress!)
            sweep(kernel, xp, yp) { D, runs in
                let b = unitCubeStrain(grad.base, xp.base, runs)
                let half = SIMD8<Float>(repeating: 0.5), w = SIMD8<Float>(repeating: weight)
                let s = TangentModuli.stress((b.xx, b.yy, b.zz, b.yz * half, b.xz * half, b.xy * half), D)
                scatterUnitCubeDivergence(nodeGrad.base, (s.xx * w, s.yy * w, s.zz * w, s.yz * w, s.xz * w, s.xy * w),
                                          into: yp.base, runs)
            }
        } } }
    }

    /// One sweep over the elements (y += K_T·x in the precision of x and y), slabs coloured: the elastic ones
    /// through the shared-matrix kernel, called in the loop itself (through a closure, each element paid a
    /// call frame with a stack-protector check) and added one element late (`ElementScatter`), the plastic
    /// ones through `plastic` with their stored moduli (B_gᵀ·D_g·B_g, Gauss points as lanes).
    @inline(__always)
    private func sweep<S: LatticeScalar>(_ kernel: LatticeOperator.ElementKernel, _ x: SendableConstPointer<S>, _ y: SendablePointer<S>,
                                         plastic: @Sendable (UnsafePointer<SIMD8<Float>>, LatticeOperator.ElementRuns) -> Void) {
        let slabs = self.slabs
        system.op.forEachSlabColouredIndexed { index, range in
            let slab = slabs[index]
            slab.elements.withUnsafeBufferPointer { elements in slab.moduli.withUnsafeBufferPointer { moduli in
                var scatter = kernel.scatter(into: y.base, slab: index)
                var next = 0
                for e in range {
                    let runs = kernel.runs(e)
                    if next < elements.count && Int(elements[next]) == e {
                        S.flush(&scatter)
                        plastic(moduli.baseAddress! + next * TangentModuli.count, runs)
                        next += 1
                    } else {
                        S.addProduct(kernel, e, x.base, runs, &scatter)
                    }
                }
                S.flush(&scatter)
            } }
        }
    }
}
