// Internal nodal forces f_int(u) = Σ_e ∫ Bᵀσ dV of an elastic–perfectly plastic voxel model, with
// the plastic strain kept at each of the 8 Gauss points of every element.
import Foundation
import OpenBCTCore

/// Committed plastic state: 6 plastic-strain tensor components per Gauss point (8 per element) and
/// a bit per Gauss point that has ever yielded.
final class PlasticState: @unchecked Sendable {
    let plastic: UnsafeMutablePointer<Float>
    let yielded: UnsafeMutablePointer<UInt8>
    let elementCount: Int

    init(elementCount: Int) {
        self.elementCount = elementCount
        plastic = .allocate(capacity: max(1, 48 * elementCount)); plastic.initialize(repeating: 0, count: max(1, 48 * elementCount))
        yielded = .allocate(capacity: max(1, elementCount)); yielded.initialize(repeating: 0, count: max(1, elementCount))
    }
    deinit { plastic.deallocate(); yielded.deallocate() }

    /// Per element: the fraction of its Gauss points that have yielded.
    var yieldedFractions: [Float] { (0..<elementCount).map { Float(yielded[$0].nonzeroBitCount) / 8 } }
    /// Elements with at least one yielded Gauss point.
    var yieldedElementCount: Int { (0..<elementCount).reduce(0) { $0 + (yielded[$1] != 0 ? 1 : 0) } }
}

/// Evaluates internal forces for one model and yield criterion.
struct InternalForce: @unchecked Sendable {
    let system: ModelSystem
    /// Per element: λ, μ (MPa) and the two yield parameters (ε_yt, ε_yc) or (σ_y, 0).
    let lambda: [Double], mu: [Double], limits: [SIMD2<Double>]
    let vonMises: Bool
    /// Shape-function gradients of the unit cube: 8 nodes per Gauss point, 8 Gauss points.
    let gradients: [SIMD3<Double>]

    init(system: ModelSystem, criterion: YieldCriterion) throws {
        self.system = system
        let model = system.model, nu = model.poissonRatio
        lambda = model.youngsModulus.map { Double($0) * nu / ((1 + nu) * (1 - 2 * nu)) }
        mu = model.youngsModulus.map { Double($0) / (2 * (1 + nu)) }
        switch criterion {
        case .principalStrain:
            guard let y = model.yieldStrain else {
                throw FEError.invalidModel("the principal-strain criterion needs FEModel.yieldStrain")
            }
            if let bad = y.firstIndex(where: { !($0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite) }) {
                throw FEError.invalidModel("yieldStrain[\(bad)] = \(y[bad]) must be positive and finite")
            }
            limits = y.map { SIMD2(Double($0.x), Double($0.y)) }
            vonMises = false
        case .vonMises(let stress):
            guard stress.count == model.elements.count else {
                throw FEError.invalidModel("von Mises yield stress has \(stress.count) entries for \(model.elements.count) elements")
            }
            if let bad = stress.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw FEError.invalidModel("von Mises yield stress[\(bad)] = \(stress[bad]) must be positive and finite")
            }
            limits = stress.map { SIMD2(Double($0), 0) }
            vonMises = true
        }
        gradients = HexElement.gaussPoints.flatMap { HexElement.shapeGradients(at: $0) }
    }

    /// f = f_int(u) over the lattice; with `commit` the plastic state is advanced to u. With
    /// `tangent`, the tangent moduli of every element with a yielding point are collected into it
    /// (`residual`: the stiffness floor kept in yielded directions, a fraction of the elastic one;
    /// `consistent`: the nonsymmetric consistent tangent of the principal-strain law instead of the symmetric one).
    /// Returns the number of Gauss points that are yielding at u.
    @discardableResult
    func evaluate(_ u: SolverVector, into f: SolverVector, state: PlasticState, commit: Bool,
                  tangent: TangentStiffness? = nil, residual: Double = 0, consistent: Bool = false) -> Int {
        tangent?.reset()
        defer { tangent?.finish() }
        f.fill(0)
        let op = system.op, h = system.model.voxelSize
        let NX3 = 3 * op.nodeDims.x, NXY3 = 3 * op.nodeDims.x * op.nodeDims.y
        let up = SendableConstPointer(UnsafePointer(u.base)), fp = f.pointer
        let weight = h * h / 8, invH = 1 / h
        let counter = YieldCounter()
        op.cornerNode.withUnsafeBufferPointer { cornerBuf in
        gradients.withUnsafeBufferPointer { gradBuf in
        lambda.withUnsafeBufferPointer { lb in mu.withUnsafeBufferPointer { mb in limits.withUnsafeBufferPointer { yb in
            let corner = SendableConstPointer(cornerBuf.baseAddress!), grad = SendableConstPointer(gradBuf.baseAddress!)
            let lam = SendableConstPointer(lb.baseAddress!), mu = SendableConstPointer(mb.baseAddress!)
            let lim = SendableConstPointer(yb.baseAddress!)
            let plastic = SendablePointer(state.plastic), yieldedBits = SendablePointer(state.yielded)
            let vonMises = self.vonMises
            op.forEachSlabColouredIndexed { slabIndex, range in
                var yieldingHere = 0
                let collect = tangent?.slabs[slabIndex]
                let moduliCount = TangentModuli.count
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * moduliCount) { moduliBuf in
                let moduli = moduliBuf.baseAddress!
                for e in range {
                    let o0 = 3 * Int(corner[e])
                    let runs = (o0, o0 + NX3, o0 + NXY3, o0 + NX3 + NXY3)
                    @inline(__always) func offset(_ l: Int) -> Int {
                        let r = l >> 1
                        return (r == 0 ? runs.0 : r == 1 ? runs.1 : r == 2 ? runs.2 : runs.3) + 3 * (l & 1)
                    }
                    var disp = (SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(),
                                SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>())
                    withUnsafeMutableBytes(of: &disp) { raw in
                        let d = raw.baseAddress!.assumingMemoryBound(to: SIMD3<Double>.self)
                        for l in 0..<8 { let o = offset(l); d[l] = SIMD3(up[o], up[o + 1], up[o + 2]) }
                    }
                    var force = (SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(),
                                 SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>(), SIMD3<Double>())
                    var bits: UInt8 = 0
                    withUnsafeBytes(of: disp) { draw in withUnsafeMutableBytes(of: &force) { fraw in
                        let d = draw.baseAddress!.assumingMemoryBound(to: SIMD3<Double>.self)
                        let fe = fraw.baseAddress!.assumingMemoryBound(to: SIMD3<Double>.self)
                        for g in 0..<8 {
                            let G = grad.base + 8 * g
                            var exx = 0.0, eyy = 0.0, ezz = 0.0, eyz = 0.0, exz = 0.0, exy = 0.0
                            for l in 0..<8 {
                                let gl = G[l], dl = d[l]
                                exx += gl.x * dl.x; eyy += gl.y * dl.y; ezz += gl.z * dl.z
                                eyz += gl.z * dl.y; eyz += gl.y * dl.z
                                exz += gl.z * dl.x; exz += gl.x * dl.z
                                exy += gl.y * dl.x; exy += gl.x * dl.y
                            }
                            let strain = SymmetricTensor(xx: exx * invH, yy: eyy * invH, zz: ezz * invH,
                                                         yz: 0.5 * eyz * invH, xz: 0.5 * exz * invH, xy: 0.5 * exy * invH)
                            let p = plastic.base + 48 * e + 6 * g
                            let old = SymmetricTensor(xx: Double(p[0]), yy: Double(p[1]), zz: Double(p[2]),
                                                      yz: Double(p[3]), xz: Double(p[4]), xy: Double(p[5]))
                            let r = vonMises
                                ? PlasticReturn.vonMises(strain: strain, plastic: old, lambda: lam[e], mu: mu[e], yieldStress: lim[e].x)
                                : PlasticReturn.principalStrain(strain: strain, plastic: old, lambda: lam[e], mu: mu[e],
                                                                tension: lim[e].x, compression: lim[e].y)
                            if r.yielded {
                                bits |= 1 << UInt8(g); yieldingHere += 1
                                if collect != nil {
                                    let D = moduli + g * moduliCount
                                    if vonMises {
                                        TangentModuli.vonMises(strain: strain, plastic: old, lambda: lam[e], mu: mu[e],
                                                               yieldStress: lim[e].x, residual: residual, into: D)
                                    } else if let principal = r.principal {
                                        TangentModuli.principalStrain(values: principal.values, vectors: principal.vectors,
                                                                      lambda: lam[e], mu: mu[e],
                                                                      tension: lim[e].x, compression: lim[e].y, residual: residual,
                                                                      consistent: consistent, into: D)
                                    }
                                }
                            }
                            if commit {
                                let n = r.plasticStrain
                                p[0] = Float(n.xx); p[1] = Float(n.yy); p[2] = Float(n.zz)
                                p[3] = Float(n.yz); p[4] = Float(n.xz); p[5] = Float(n.xy)
                            }
                            let s = r.stress
                            for l in 0..<8 {
                                let gl = G[l] * weight
                                let fx: Double = gl.x * s.xx + gl.y * s.xy + gl.z * s.xz
                                let fy: Double = gl.x * s.xy + gl.y * s.yy + gl.z * s.yz
                                let fz: Double = gl.x * s.xz + gl.y * s.yz + gl.z * s.zz
                                fe[l] += SIMD3(fx, fy, fz)
                            }
                        }
                        for l in 0..<8 {
                            let o = offset(l)
                            fp[o] += fe[l].x; fp[o + 1] += fe[l].y; fp[o + 2] += fe[l].z
                        }
                    } }
                    if commit { yieldedBits[e] |= bits }
                    if let collect, bits != 0 {
                        for g in 0..<8 where bits & (1 << UInt8(g)) == 0 {
                            TangentModuli.elastic(lambda: lam[e], mu: mu[e], into: moduli + g * moduliCount)
                        }
                        collect.elements.append(Int32(e))
                        collect.moduli.append(contentsOf: UnsafeBufferPointer(start: moduli, count: 8 * moduliCount))
                    }
                }
                }
                counter.add(yieldingHere)
            }
        } } } } }
        return counter.total
    }
}

/// A tally that slab threads add to once each.
private final class YieldCounter: @unchecked Sendable {
    private var sum = 0
    private let lock = NSLock()
    func add(_ n: Int) { lock.lock(); sum += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return sum }
}
