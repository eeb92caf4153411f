// The tangent stiffness K_T of a nonlinear iterate, applied matrix-free: elements whose integration
// points are all elastic keep the fast shared-matrix kernel (s_e·K̂), the few with a yielded point
// use K_e = Σ_g (h³/8)·(B_g/h)ᵀ·D_g·(B_g/h) with their stored tangent moduli D_g.
import OpenBCTCore

final class TangentStiffness: @unchecked Sendable {
    /// The plastic elements of one slab and their 8 × 21 tangent moduli (written by that slab's thread).
    final class Slab: @unchecked Sendable {
        var elements: [Int32] = []
        var moduli: [Float] = []
    }

    let system: ModelSystem
    let slabs: [Slab]
    /// Shape-function gradients of the unit cube: 8 nodes per Gauss point, 8 Gauss points.
    let gradients: [SIMD3<Double>]
    /// The shared-matrix operator over the elastic elements (plastic ones scaled by 0).
    private(set) var elasticPart: LatticeOperator

    init(system: ModelSystem, gradients: [SIMD3<Double>]) {
        self.system = system
        self.gradients = gradients
        slabs = system.op.slabs.map { _ in Slab() }
        elasticPart = system.op
    }

    /// Forgets the plastic elements (before a new internal-force evaluation collects them).
    func reset() {
        for s in slabs { s.elements.removeAll(keepingCapacity: true); s.moduli.removeAll(keepingCapacity: true) }
    }

    /// Elements with a stored (plastic) tangent.
    var plasticElementCount: Int { slabs.reduce(0) { $0 + $1.elements.count } }

    /// Rebuilds the elastic part after the plastic elements were collected.
    func finish() {
        var scale = system.op.scale
        for s in slabs { for e in s.elements { scale[Int(e)] = 0 } }
        elasticPart = system.op.withScale(scale)
    }

    /// y = K_T·x on the free DOFs (zero elsewhere).
    func apply(_ x: SolverVector, into y: SolverVector) {
        elasticPart.apply(x, into: y)
        let op = system.op, h = system.model.voxelSize
        let NX3 = 3 * op.nodeDims.x, NXY3 = 3 * op.nodeDims.x * op.nodeDims.y
        let xp = SendableConstPointer(UnsafePointer(x.base)), yp = y.pointer
        let weight = h / 8          // (h³/8)·(1/h)·(1/h): strain and force each carry one 1/h
        let slabs = self.slabs
        op.cornerNode.withUnsafeBufferPointer { cornerBuf in gradients.withUnsafeBufferPointer { gradBuf in
            let corner = SendableConstPointer(cornerBuf.baseAddress!), grad = SendableConstPointer(gradBuf.baseAddress!)
            op.forEachSlabColouredIndexed { index, _ in
                let slab = slabs[index]
                slab.moduli.withUnsafeBufferPointer { moduli in
                    for (k, e) in slab.elements.enumerated() {
                        let o0 = 3 * Int(corner[Int(e)])
                        let runs = (o0, o0 + NX3, o0 + NXY3, o0 + NX3 + NXY3)
                        @inline(__always) func offset(_ l: Int) -> Int {
                            let r = l >> 1
                            return (r == 0 ? runs.0 : r == 1 ? runs.1 : r == 2 ? runs.2 : runs.3) + 3 * (l & 1)
                        }
                        withUnsafeTemporaryAllocation(of: SIMD3<Double>.self, capacity: 16) { buf in
                            let disp = buf.baseAddress!, force = disp + 8
                            for l in 0..<8 { let o = offset(l); disp[l] = SIMD3(xp[o], xp[o + 1], xp[o + 2]); force[l] = .zero }
                            for g in 0..<8 {
                                let G = grad.base + 8 * g
                                var strain = SIMD8<Double>()   // engineering Voigt
                                for l in 0..<8 {
                                    let gl = G[l], dl = disp[l]
                                    strain += SIMD8(gl.x * dl.x, gl.y * dl.y, gl.z * dl.z,
                                                    gl.z * dl.y + gl.y * dl.z, gl.z * dl.x + gl.x * dl.z, gl.y * dl.x + gl.x * dl.y, 0, 0)
                                }
                                let D = moduli.baseAddress! + (8 * k + g) * TangentModuli.count
                                var s = SIMD8<Double>()
                                for i in 0..<6 { for j in 0..<6 {
                                    s[i] += Double(D[i <= j ? upperIndex(i, j) : upperIndex(j, i)]) * strain[j]
                                } }
                                s *= weight
                                for l in 0..<8 {
                                    let gl = G[l]
                                    force[l] += SIMD3(gl.x * s[0] + gl.y * s[5] + gl.z * s[4],
                                                      gl.x * s[5] + gl.y * s[1] + gl.z * s[3],
                                                      gl.x * s[4] + gl.y * s[3] + gl.z * s[2])
                                }
                            }
                            for l in 0..<8 {
                                let o = offset(l)
                                yp[o] += force[l].x; yp[o + 1] += force[l].y; yp[o + 2] += force[l].z
                            }
                        }
                    }
                }
            }
        } }
        y.multiply(by: system.free)
    }
}
