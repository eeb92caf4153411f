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

    init(system: ModelSystem, gradients: [SIMD8<Double>]) {
        self.system = system
        self.gradients = gradients
        floatGradients = gradients.map(narrowed)
        slabs = system.op.slabs.map { _ in Slab() }
    }

    /// Forgets the plastic elements (before a new internal-force evaluation collects them).
    func reset() {
        for s in slabs { s.elements.removeAll(keepingCapacity: true); s.moduli.removeAll(keepingCapacity: true) }
    }

    /// y = K_T·x on the free DOFs (zero elsewhere).
    func apply(_ x: SolverVector, into y: SolverVector) {
        y.fill(0)
        let op = system.op
        let weight = system.model.voxelSize / 8   // (h³/8)·(1/h)·(1/h): strain and force each carry one 1/h
        let xp = SendableConstPointer(UnsafePointer(x.base)), yp = y.pointer
        let slabs = self.slabs
        op.withElementKernel { kernel in gradients.withUnsafeBufferPointer { gradBuf in
            let grad = SendableConstPointer(gradBuf.baseAddress!)
            op.forEachSlabColouredIndexed { index, range in
                let slab = slabs[index]
                slab.elements.withUnsafeBufferPointer { plastic in slab.moduli.withUnsafeBufferPointer { moduli in
                    var next = 0
                    for e in range {
                        let runs = kernel.runs(e)
                        if next < plastic.count && Int(plastic[next]) == e {
                            Self.plasticProduct(grad.base, moduli.baseAddress! + next * TangentModuli.count, weight,
                                                xp.base, yp.base, runs)
                            next += 1
                        } else {
                            kernel.product(e, xp.base, yp.base, runs)
                        }
                    }
                } }
            }
        } }
        y.multiply(by: system.free)
    }

    /// y[runs] += Σ_g w·B_gᵀ·D_g·B_g·x[runs] for one element (B of the unit cube, the 8 Gauss points as lanes,
    /// D_g in its principal-frame form, applied in single precision like the moduli it is stored in).
    @inline(__always)
    private static func plasticProduct(_ grad: UnsafePointer<SIMD8<Double>>, _ D: UnsafePointer<SIMD8<Float>>, _ weight: Double,
                                       _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                                       _ runs: LatticeOperator.ElementRuns) {
        let b = unitCubeStrain(grad, x, runs)
        let half = SIMD8<Float>(repeating: 0.5)
        let s = TangentModuli.stress((narrowed(b.xx), narrowed(b.yy), narrowed(b.zz),
                                      narrowed(b.yz) * half, narrowed(b.xz) * half, narrowed(b.xy) * half), D)
        // f_l = Σ_g B_gᵀ σ_g.
        scatterUnitCubeDivergence(grad, (widened(s.xx) * weight, widened(s.yy) * weight, widened(s.zz) * weight,
                                         widened(s.yz) * weight, widened(s.xz) * weight, widened(s.xy) * weight), into: y, runs)
    }
}
