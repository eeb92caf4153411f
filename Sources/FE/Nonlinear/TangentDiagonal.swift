// The diagonal of the tangent stiffness K_T: the elastic diagonal with each plastic element's share
// s_e·K̂_ii replaced by its own (h/8)·Σ_g b_iᵀ·D_g·b_i, b_i the strain of a unit displacement of DOF i
// at Gauss point g, D_g in its stored principal-frame form (single precision like the product). The
// multigrid's fine-level smoother uses it (TangentSmoothing), and the same pass yields each plastic element's
// effective scale tr(K_T,e)/(24·K̂_ii) from which the coarse levels may be re-derived.
import OpenBCTCore

extension TangentStiffness {
    /// d = diag(K_T) at the free DOFs (zero elsewhere); `elastic` is the elastic operator's diagonal.
    /// With `effectiveScales` (one entry per element, holding the elastic s_e on entry), each plastic
    /// element's entry becomes tr(K_T,e)/(24·K̂_ii) — the scale of an elastic element with the same mean
    /// diagonal stiffness, s_e times the tangent's share of the elastic element's energy under unit
    /// displacements — from which the multigrid's coarse levels are re-derived (TangentSmoothing).
    func diagonal(elastic: SolverVector, into d: SolverVector, effectiveScales: UnsafeMutablePointer<Double>? = nil) {
        d.copy(from: elastic)
        let op = system.op
        let weight = system.model.voxelSize / 8   // as in `apply`: (h³/8)·(1/h)·(1/h)
        let unitDiagonal = op.unitStiffness[0]    // every diagonal entry of K̂ is equal (cube symmetry)
        let dp = d.pointer
        let slabs = self.slabs, effective = effectiveScales.map { SendablePointer($0) }
        op.withElementKernel { kernel in floatNodeGradients.withUnsafeBufferPointer { gradBuf in
            let grad = SendableConstPointer(gradBuf.baseAddress!)
            op.forEachSlabColouredIndexed { index, _ in
                let slab = slabs[index]
                slab.elements.withUnsafeBufferPointer { plastic in slab.moduli.withUnsafeBufferPointer { moduli in
                withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 3) { buffer in
                    let energies = buffer.baseAddress!, energy = UnsafeRawPointer(energies).assumingMemoryBound(to: Float.self)
                    for (k, element) in plastic.enumerated() {
                        let e = Int(element), runs = kernel.runs(e)
                        Self.unitEnergies(grad.base, moduli.baseAddress! + k * TangentModuli.count, into: energies)
                        let elasticEntry = unitDiagonal * kernel.scale[e]
                        var trace = 0.0
                        for l in 0..<8 {
                            let o = runs.node(l)
                            for axis in 0..<3 {
                                let entry = weight * Double(energy[8 * axis + l])
                                dp[o + axis] += entry - elasticEntry; trace += entry
                            }
                        }
                        if let effective { effective[e] = trace / (24 * unitDiagonal) }
                    }
                }
                } }
            }
        } }
        d.multiply(by: system.free)
    }

    /// Σ_g ε_g : D_g : ε_g over the 8 Gauss points for a unit displacement of each node (lanes) along each
    /// axis d (`into[d]`), `nodeGrad` = `floatNodeGradients`, D_g in its stored principal-frame form.
    ///
    /// The strain of a unit u_d at node l is sym(∇N_l ⊗ e_d); in D_g's frame n_a its components are
    /// e'_ab = ½(p_a·q_b + p_b·q_a) with p_a = n_a·∇N_l and q_a = (n_a)_d, so the energy is
    /// Σ_ab A_ab·e'_aa·e'_bb + ½·Σ_{a<b} S_ab·(p_a·q_b + p_b·q_a)² — all 8 nodes at once, with no full stress
    /// product per entry and no sum across lanes.
    @inline(__always)
    static func unitEnergies(_ nodeGrad: UnsafePointer<SIMD8<Float>>, _ D: UnsafePointer<SIMD8<Float>>,
                             into energy: UnsafeMutablePointer<SIMD8<Float>>) {
        typealias V = SIMD8<Float>
        let m = UnsafeRawPointer(D).assumingMemoryBound(to: Float.self)
        var ex = V(), ey = V(), ez = V()
        for g in 0..<8 {
            @inline(__always) func entry(_ k: Int) -> V { V(repeating: m[8 * k + g]) }
            let gx = nodeGrad[3 * g], gy = nodeGrad[3 * g + 1], gz = nodeGrad[3 * g + 2]
            let p0 = (gx * entry(0)).addingProduct(gy, entry(1)).addingProduct(gz, entry(2))
            let p1 = (gx * entry(3)).addingProduct(gy, entry(4)).addingProduct(gz, entry(5))
            let p2 = (gx * entry(6)).addingProduct(gy, entry(7)).addingProduct(gz, entry(8))
            let half = V(repeating: 0.5)
            @inline(__always) func along(_ axis: Int) -> V {
                let q0 = entry(axis), q1 = entry(3 + axis), q2 = entry(6 + axis)
                let e00 = p0 * q0, e11 = p1 * q1, e22 = p2 * q2
                let t01 = (p0 * q1).addingProduct(p1, q0), t02 = (p0 * q2).addingProduct(p2, q0), t12 = (p1 * q2).addingProduct(p2, q1)
                let s00 = (entry(9) * e00).addingProduct(entry(10), e11).addingProduct(entry(11), e22)
                let s11 = (entry(12) * e00).addingProduct(entry(13), e11).addingProduct(entry(14), e22)
                let s22 = (entry(15) * e00).addingProduct(entry(16), e11).addingProduct(entry(17), e22)
                let shear = (entry(18) * t01 * t01).addingProduct(entry(19) * t02, t02).addingProduct(entry(20) * t12, t12)
                return (e00 * s00).addingProduct(e11, s11).addingProduct(e22, s22).addingProduct(half, shear)
            }
            ex += along(0); ey += along(1); ez += along(2)
        }
        energy[0] = ex; energy[1] = ey; energy[2] = ez
    }
}
