// The diagonal of the tangent stiffness K_T: the elastic diagonal with each plastic element's share
// s_e·K̂_ii replaced by its own (h/8)·Σ_g b_iᵀ·D_g·b_i, b_i the strain of a unit displacement of DOF i
// at Gauss point g, D_g applied in its stored principal-frame form (`TangentModuli.stress`, single
// precision like the product). The multigrid's fine-level smoother uses it (TangentSmoothing).
import OpenBCTCore

extension TangentStiffness {
    /// d = diag(K_T) at the free DOFs (zero elsewhere); `elastic` is the elastic operator's diagonal.
    func diagonal(elastic: SolverVector, into d: SolverVector) {
        d.copy(from: elastic)
        let op = system.op
        let weight = system.model.voxelSize / 8   // as in `apply`: (h³/8)·(1/h)·(1/h)
        let unitDiagonal = op.unitStiffness[0]    // every diagonal entry of K̂ is equal (cube symmetry)
        let dp = d.pointer
        let slabs = self.slabs
        op.withElementKernel { kernel in floatGradients.withUnsafeBufferPointer { gradBuf in
            let grad = SendableConstPointer(gradBuf.baseAddress!)
            op.forEachSlabColouredIndexed { index, _ in
                let slab = slabs[index]
                slab.elements.withUnsafeBufferPointer { plastic in slab.moduli.withUnsafeBufferPointer { moduli in
                    for (k, element) in plastic.enumerated() {
                        let e = Int(element), runs = kernel.runs(e)
                        let D = moduli.baseAddress! + k * TangentModuli.count
                        let elasticEntry = unitDiagonal * kernel.scale[e]
                        for l in 0..<8 {
                            let o = runs.node(l)
                            let gx = grad.base[3 * l], gy = grad.base[3 * l + 1], gz = grad.base[3 * l + 2]
                            let zero = SIMD8<Float>(), half = SIMD8<Float>(repeating: 0.5)
                            // Tensor strain (xx, yy, zz, yz, xz, xy) of a unit u_x, u_y, u_z at node l.
                            dp[o] += weight * Self.energy((gx, zero, zero, zero, gz * half, gy * half), D) - elasticEntry
                            dp[o + 1] += weight * Self.energy((zero, gy, zero, gz * half, zero, gx * half), D) - elasticEntry
                            dp[o + 2] += weight * Self.energy((zero, zero, gz, gy * half, gx * half, zero), D) - elasticEntry
                        }
                    }
                } }
            }
        } }
        d.multiply(by: system.free)
    }

    /// Σ_g ε_g : D_g : ε_g over the 8 Gauss points (lanes), summed in Double.
    @inline(__always)
    private static func energy(_ e: TensorLanes, _ D: UnsafePointer<SIMD8<Float>>) -> Double {
        let s = TangentModuli.stress(e, D)
        let normal = (e.xx * s.xx).addingProduct(e.yy, s.yy).addingProduct(e.zz, s.zz)
        let shear = (e.yz * s.yz).addingProduct(e.xz, s.xz).addingProduct(e.xy, s.xy)
        return lanesSum(widened(normal + 2 * shear))
    }
}
