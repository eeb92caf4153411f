// Internal nodal forces f_int(u) = Σ_e ∫ Bᵀσ dV of an elastic–perfectly plastic voxel model, with
// the plastic strain kept at each of the 8 Gauss points of every element.
import Foundation
import OpenBCTCore

/// Committed plastic state: 6 plastic-strain tensor components per Gauss point (8 per element) and
/// a bit per Gauss point that has ever yielded. Element e's component c at Gauss point g is
/// `plastic[48·e + 8·c + g]`: the 8 points of a component are one SIMD vector.
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
    /// `HexElement.gaussGradientLanes`: entry 3·l + d holds ∂N_l/∂x_d at the 8 Gauss points.
    let gradients: [SIMD8<Double>]
    /// The same per Gauss point (`nodeGradientLanes`), for the force scatter.
    let nodeGradients: [SIMD8<Double>]

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
        gradients = HexElement.gaussGradientLanes
        nodeGradients = nodeGradientLanes(gradients)
    }

    /// What one evaluation found besides the force.
    struct Evaluation {
        /// Gauss points yielding at u.
        var yielding: Int
        /// Σ over elements, their 8 nodes and 3 directions of |element nodal force| (N): with 24 × the
        /// element count, CalculiX's average flux q̄ (`EquilibriumCriterion.calculix`).
        var elementForceMagnitude: Double
    }

    /// f = f_int(u) over the lattice; with `commit` the plastic state is advanced to u. With
    /// `tangent`, the tangent moduli of every element with a yielding point are collected into it
    /// (`residual`: the stiffness floor kept in yielded directions, a fraction of the elastic one;
    /// `consistent`: the nonsymmetric consistent tangent of the principal-strain law instead of the symmetric one).
    @discardableResult
    func evaluate(_ u: SolverVector, into f: SolverVector, state: PlasticState, commit: Bool,
                  tangent: TangentStiffness? = nil, residual: Double = 0, consistent: Bool = false) -> Evaluation {
        tangent?.reset()
        f.fill(0)
        let op = system.op, h = system.model.voxelSize
        let up = SendableConstPointer(UnsafePointer(u.base)), fp = f.pointer
        let weight = h * h / 8, invH = 1 / h
        let tally = EvaluationTally()
        op.withElementKernel { kernel in
        gradients.withUnsafeBufferPointer { gradBuf in nodeGradients.withUnsafeBufferPointer { nodeGradBuf in
        lambda.withUnsafeBufferPointer { lb in mu.withUnsafeBufferPointer { mb in limits.withUnsafeBufferPointer { yb in
            let grad = SendableConstPointer(gradBuf.baseAddress!), nodeGrad = SendableConstPointer(nodeGradBuf.baseAddress!)
            let lam = SendableConstPointer(lb.baseAddress!), mu = SendableConstPointer(mb.baseAddress!)
            let lim = SendableConstPointer(yb.baseAddress!)
            let plastic = SendablePointer(state.plastic), yieldedBits = SendablePointer(state.yielded)
            let vonMises = self.vonMises
            op.forEachSlabColouredIndexed { slabIndex, range in
                var yieldingHere = 0, magnitudeHere = 0.0
                let collect = tangent?.slabs[slabIndex]
                withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: TangentModuli.count) { moduliBuf in
                // Per element: the weighted stresses (0–5, scattered from here), the bound's upper and lower
                // principal-value limits (6, 7) and the strain (8–13). Lanes the scalar return handles are read
                // and written here one by one: inserting into a vector in registers went through memory per lane.
                withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: 14) { laneBuf in
                let moduli = moduliBuf.baseAddress!, lanes = laneBuf.baseAddress!
                let lane = UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Double.self)
                for e in range {
                    let runs = kernel.runs(e)
                    let G = grad.base
                    // Strain at the 8 Gauss points (tensor components; lanes = points).
                    let b = unitCubeStrain(G, up.base, runs)
                    let exx = b.xx * invH, eyy = b.yy * invH, ezz = b.zz * invH
                    let eyz = b.yz * (0.5 * invH), exz = b.xz * (0.5 * invH), exy = b.xy * (0.5 * invH)
                    let p = plastic.base + 48 * e
                    @inline(__always) func old(_ c: Int) -> SIMD8<Double> {
                        widened(UnsafeRawPointer(p + 8 * c).loadUnaligned(as: SIMD8<Float>.self))
                    }
                    // Trial elastic strain and the elastic stress of every point; points the cheap bound does
                    // not prove elastic (every principal value within √(2/3)·‖dev‖ of the mean) go through
                    // the scalar return below.
                    let txx = exx - old(0), tyy = eyy - old(1), tzz = ezz - old(2)
                    let tyz = eyz - old(3), txz = exz - old(4), txy = exy - old(5)
                    let lameFirst = SIMD8(repeating: lam[e]), m2 = SIMD8(repeating: 2 * mu[e])
                    let trace = txx + tyy + tzz
                    let w = SIMD8(repeating: weight)
                    lanes[0] = (lameFirst * trace + m2 * txx) * w; lanes[1] = (lameFirst * trace + m2 * tyy) * w
                    lanes[2] = (lameFirst * trace + m2 * tzz) * w
                    lanes[3] = m2 * tyz * w; lanes[4] = m2 * txz * w; lanes[5] = m2 * txy * w
                    var unproven: UInt8 = 0xFF
                    if !vonMises {
                        let mean = trace / 3
                        let a = txx - mean, b = tyy - mean, c = tzz - mean
                        let spread = (2.0 / 3.0 * (a * a + b * b + c * c + 2 * (tyz * tyz + txz * txz + txy * txy))).squareRoot()
                        lanes[6] = mean + spread; lanes[7] = mean - spread
                        let tension = lim[e].x, compression = -lim[e].y
                        unproven = 0
                        for g in 0..<8 where !(lane[48 + g] <= tension && lane[56 + g] >= compression) { unproven |= 1 << UInt8(g) }
                    }
                    if unproven != 0 {
                        lanes[8] = exx; lanes[9] = eyy; lanes[10] = ezz; lanes[11] = eyz; lanes[12] = exz; lanes[13] = exy
                    }
                    var bits: UInt8 = 0
                    var g = 0
                    while unproven != 0 {
                        if unproven & 1 != 0 {
                            let strain = SymmetricTensor(xx: lane[64 + g], yy: lane[72 + g], zz: lane[80 + g],
                                                         yz: lane[88 + g], xz: lane[96 + g], xy: lane[104 + g])
                            let was = SymmetricTensor(xx: Double(p[g]), yy: Double(p[8 + g]), zz: Double(p[16 + g]),
                                                      yz: Double(p[24 + g]), xz: Double(p[32 + g]), xy: Double(p[40 + g]))
                            let r = vonMises
                                ? PlasticReturn.vonMises(strain: strain, plastic: was, lambda: lam[e], mu: mu[e], yieldStress: lim[e].x)
                                : PlasticReturn.principalStrain(strain: strain, plastic: was, lambda: lam[e], mu: mu[e],
                                                                tension: lim[e].x, compression: lim[e].y)
                            if r.yielded {
                                bits |= 1 << UInt8(g); yieldingHere += 1
                                if collect != nil {
                                    let D = TangentModuli.Destination(entries: moduli, lane: g)
                                    if vonMises {
                                        TangentModuli.vonMises(strain: strain, plastic: was, lambda: lam[e], mu: mu[e],
                                                               yieldStress: lim[e].x, residual: residual, into: D)
                                    } else if let principal = r.principal {
                                        TangentModuli.principalStrain(values: principal.values, vectors: principal.vectors,
                                                                      lambda: lam[e], mu: mu[e],
                                                                      tension: lim[e].x, compression: lim[e].y, residual: residual,
                                                                      consistent: consistent, into: D)
                                    }
                                }
                                if commit {
                                    let n = r.plasticStrain
                                    p[g] = Float(n.xx); p[8 + g] = Float(n.yy); p[16 + g] = Float(n.zz)
                                    p[24 + g] = Float(n.yz); p[32 + g] = Float(n.xz); p[40 + g] = Float(n.xy)
                                }
                            }
                            let st = r.stress
                            lane[g] = st.xx * weight; lane[8 + g] = st.yy * weight; lane[16 + g] = st.zz * weight
                            lane[24 + g] = st.yz * weight; lane[32 + g] = st.xz * weight; lane[40 + g] = st.xy * weight
                        }
                        unproven >>= 1; g += 1
                    }
                    // f_l = Σ_g (h³/8)·(B_g/h)ᵀ·σ_g.
                    magnitudeHere += scatterUnitCubeDivergence(nodeGrad.base, stresses: lanes, into: fp.base, runs)
                    if commit { yieldedBits[e] |= bits }
                    if let collect, bits != 0 {
                        for g in 0..<8 where bits & (1 << UInt8(g)) == 0 {
                            TangentModuli.elastic(lambda: lam[e], mu: mu[e], into: TangentModuli.Destination(entries: moduli, lane: g))
                        }
                        collect.elements.append(Int32(e))
                        collect.moduli.append(contentsOf: UnsafeBufferPointer(moduliBuf))
                    }
                }
                }
                }
                tally.add(yieldingHere, magnitudeHere)
            }
        } } } } } }
        return tally.total
    }
}

/// A tally that slab threads add to once each (the magnitude's last bits depend on their order).
private final class EvaluationTally: @unchecked Sendable {
    private var sum = InternalForce.Evaluation(yielding: 0, elementForceMagnitude: 0)
    private let lock = NSLock()
    func add(_ n: Int, _ magnitude: Double) {
        lock.lock(); sum.yielding += n; sum.elementForceMagnitude += magnitude; lock.unlock()
    }
    var total: InternalForce.Evaluation { lock.lock(); defer { lock.unlock() }; return sum }
}
