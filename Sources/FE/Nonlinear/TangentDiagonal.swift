// The diagonal of the tangent stiffness K_T: the elastic diagonal with each plastic element's share
// s_e·K̂_ii replaced by its own (h/8)·Σ_g b_iᵀ·D_g·b_i, b_i the strain of a unit displacement of DOF i
// at Gauss point g. The multigrid's fine-level smoother uses it (TangentSmoothing).
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
        op.withElementKernel { kernel in gradients.withUnsafeBufferPointer { gradBuf in
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
                            // Engineering Voigt strain (xx, yy, zz, yz, xz, xy) of a unit u_x, u_y, u_z at node l.
                            dp[o] += weight * Self.quadraticForm(D, (0, 4, 5), (gx, gz, gy)) - elasticEntry
                            dp[o + 1] += weight * Self.quadraticForm(D, (1, 3, 5), (gy, gz, gx)) - elasticEntry
                            dp[o + 2] += weight * Self.quadraticForm(D, (2, 3, 4), (gz, gy, gx)) - elasticEntry
                        }
                    }
                } }
            }
        } }
        d.multiply(by: system.free)
    }

    /// Σ_g bᵀ·D_g·b over the 8 Gauss points (lanes) for a strain b with three non-zero Voigt components
    /// `index` of values `value`.
    @inline(__always)
    private static func quadraticForm(_ D: UnsafePointer<SIMD8<Float>>, _ index: (Int, Int, Int),
                                      _ value: (SIMD8<Double>, SIMD8<Double>, SIMD8<Double>)) -> Double {
        let (i0, i1, i2) = index, (v0, v1, v2) = value
        @inline(__always) func entry(_ a: Int, _ b: Int) -> SIMD8<Double> { widened(D[6 * a + b]) }
        var sum = entry(i0, i0) * v0 * v0
        sum.addProduct(entry(i1, i1) * v1, v1); sum.addProduct(entry(i2, i2) * v2, v2)
        sum.addProduct((entry(i0, i1) + entry(i1, i0)) * v0, v1)
        sum.addProduct((entry(i0, i2) + entry(i2, i0)) * v0, v2)
        sum.addProduct((entry(i1, i2) + entry(i2, i1)) * v1, v2)
        return lanesSum(sum)
    }
}
