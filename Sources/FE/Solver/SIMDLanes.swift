// Lane helpers for kernels that hold the 8 Gauss points of an element in one SIMD vector.

// The generic bodies below are reached only through the concrete functions of this file: a debug build (one
// file at a time, no whole-module optimisation) does not specialise a generic called from another file.

/// The lanes converted to Double, written out lane by lane: the generic SIMD conversion initialiser
/// is not inlined and costs a call per vector in the hot loops.
@inline(__always)
func widened(_ v: SIMD8<Float>) -> SIMD8<Double> {
    SIMD8(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]), Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
}

/// The lanes rounded to Float, lane by lane (as `widened`).
@inline(__always)
func narrowed(_ v: SIMD8<Double>) -> SIMD8<Float> {
    SIMD8(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]), Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
}

/// Voigt components at the 8 Gauss points of one hexahedron (lanes = points): xx, yy, zz, yz, xz, xy.
typealias VoigtLanesOf<S: SIMDScalar> = (xx: SIMD8<S>, yy: SIMD8<S>, zz: SIMD8<S>, yz: SIMD8<S>, xz: SIMD8<S>, xy: SIMD8<S>)
/// In double precision.
typealias VoigtLanes = VoigtLanesOf<Double>

/// B·u of the unit cube: the engineering strain (shears γ = 2ε) at the 8 Gauss points from the nodal values
/// `u` at the element's lattice runs, with `grad` = `HexElement.gaussGradientLanes`. Divide by the voxel size
/// for a physical strain.
@inline(__always)
func unitCubeStrain(_ grad: UnsafePointer<SIMD8<Double>>, _ u: UnsafePointer<Double>,
                    _ runs: LatticeOperator.ElementRuns) -> VoigtLanes { unitCubeStrainOf(grad, u, runs) }
/// In single precision.
@inline(__always)
func unitCubeStrain(_ grad: UnsafePointer<SIMD8<Float>>, _ u: UnsafePointer<Float>,
                    _ runs: LatticeOperator.ElementRuns) -> VoigtLanesOf<Float> { unitCubeStrainOf(grad, u, runs) }

@inline(__always)
private func unitCubeStrainOf<S: SIMDScalar & BinaryFloatingPoint>(_ grad: UnsafePointer<SIMD8<S>>, _ u: UnsafePointer<S>,
                                                                   _ runs: LatticeOperator.ElementRuns) -> VoigtLanesOf<S> {
    var exx = SIMD8<S>(), eyy = SIMD8<S>(), ezz = SIMD8<S>()
    var gyz = SIMD8<S>(), gxz = SIMD8<S>(), gxy = SIMD8<S>()
    for l in 0..<8 {
        let o = runs.node(l)
        let ux = SIMD8(repeating: u[o]), uy = SIMD8(repeating: u[o + 1]), uz = SIMD8(repeating: u[o + 2])
        let gx = grad[3 * l], gy = grad[3 * l + 1], gz = grad[3 * l + 2]
        exx.addProduct(gx, ux); eyy.addProduct(gy, uy); ezz.addProduct(gz, uz)
        gyz.addProduct(gz, uy); gyz.addProduct(gy, uz)
        gxz.addProduct(gz, ux); gxz.addProduct(gx, uz)
        gxy.addProduct(gy, ux); gxy.addProduct(gx, uy)
    }
    return (exx, eyy, ezz, gyz, gxz, gxy)
}

/// The shape-function gradient table regrouped per Gauss point: from `gaussGradientLanes` (entry 3·l + d, lanes =
/// Gauss points g) to entry 3·g + d holding ∂N_l/∂x_d of the 8 nodes l as lanes — what `scatterUnitCubeDivergence`
/// reads.
func nodeGradientLanes(_ pointLanes: [SIMD8<Double>]) -> [SIMD8<Double>] {
    (0..<24).map { i in
        let g = i / 3, d = i % 3
        var lanes = SIMD8<Double>()
        for l in 0..<8 { lanes[l] = pointLanes[3 * l + d][g] }
        return lanes
    }
}

/// y += Bᵀ·σ of the unit cube: the already weighted stresses `s` of the 8 Gauss points summed onto the
/// element's nodes at its lattice runs, with `nodeGrad` = `nodeGradientLanes(HexElement.gaussGradientLanes)`.
@inline(__always)
func scatterUnitCubeDivergence(_ nodeGrad: UnsafePointer<SIMD8<Double>>, _ s: VoigtLanes,
                               into y: UnsafeMutablePointer<Double>, _ runs: LatticeOperator.ElementRuns) {
    withVoigtBuffer(s) { stresses in
        withForceBuffer(of: Double.self) { scatterUnitCubeDivergenceOf(nodeGrad, stresses: stresses, forces: $0, into: y, runs) }
    }
}
/// In single precision.
@inline(__always)
func scatterUnitCubeDivergence(_ nodeGrad: UnsafePointer<SIMD8<Float>>, _ s: VoigtLanesOf<Float>,
                               into y: UnsafeMutablePointer<Float>, _ runs: LatticeOperator.ElementRuns) {
    withVoigtBuffer(s) { stresses in
        withForceBuffer(of: Float.self) { scatterUnitCubeDivergenceOf(nodeGrad, stresses: stresses, forces: $0, into: y, runs) }
    }
}
/// As above, from the six stress vectors stored at `stresses[0 ..< 6]` (xx, yy, zz, yz, xz, xy). Returns
/// Σ |element nodal force component| over the element's 24 DOFs (CalculiX's flux average, `EquilibriumCriterion`):
/// only this variant computes it — the tangent products have no use for it.
@inline(__always)
func scatterUnitCubeDivergence(_ nodeGrad: UnsafePointer<SIMD8<Double>>, stresses: UnsafePointer<SIMD8<Double>>,
                               into y: UnsafeMutablePointer<Double>, _ runs: LatticeOperator.ElementRuns) -> Double {
    withForceBuffer(of: Double.self) { f in
        scatterUnitCubeDivergenceOf(nodeGrad, stresses: stresses, forces: f, into: y, runs)
        // |v| by clearing the sign bits: the generic `pointwiseMax(v, −v)` it replaces was a call per vector.
        let signless = SIMD8<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        @inline(__always) func magnitude(_ v: SIMD8<Double>) -> SIMD8<Double> {
            unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt64>.self) & signless, to: SIMD8<Double>.self)
        }
        return (magnitude(f[0]) + magnitude(f[1]) + magnitude(f[2])).sum()
    }
}

@inline(__always)
private func withVoigtBuffer<S: SIMDScalar>(_ s: VoigtLanesOf<S>, _ body: (UnsafePointer<SIMD8<S>>) -> Void) {
    withUnsafeTemporaryAllocation(of: SIMD8<S>.self, capacity: 6) { buffer in
        let b = buffer.baseAddress!
        b[0] = s.xx; b[1] = s.yy; b[2] = s.zz; b[3] = s.yz; b[4] = s.xz; b[5] = s.xy
        body(b)
    }
}

/// A stack buffer for an element's three nodal force vectors (x, y, z; lanes = nodes).
@inline(__always)
private func withForceBuffer<S: SIMDScalar, R>(of: S.Type, _ body: (UnsafeMutablePointer<SIMD8<S>>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: SIMD8<S>.self, capacity: 3) { body($0.baseAddress!) }
}

// The sum over Gauss points runs across lanes. Summing each node's force vector over its lanes (24
// horizontal sums) let LLVM narrow the whole strain–stress–force chain to half-width vectors with spills;
// instead the stresses are read from memory whole, each point's six values are broadcast against the
// gradients of the 8 nodes at that point (lanes = nodes), and no lane sum is needed. The three force
// vectors go through `forces` (a stack buffer) whole and are added to y from there node by node.
@inline(__always)
private func scatterUnitCubeDivergenceOf<S: SIMDScalar & BinaryFloatingPoint>(_ nodeGrad: UnsafePointer<SIMD8<S>>,
                                                                              stresses: UnsafePointer<SIMD8<S>>,
                                                                              forces b: UnsafeMutablePointer<SIMD8<S>>,
                                                                              into y: UnsafeMutablePointer<S>, _ runs: LatticeOperator.ElementRuns) {
    let v = UnsafeRawPointer(stresses).assumingMemoryBound(to: S.self)
    // Two accumulator triples (even/odd points) halve the FMA chains.
    var fx = SIMD8<S>(), fy = SIMD8<S>(), fz = SIMD8<S>(), gx = SIMD8<S>(), gy = SIMD8<S>(), gz = SIMD8<S>()
    @inline(__always) func point(_ g: Int, _ fx: inout SIMD8<S>, _ fy: inout SIMD8<S>, _ fz: inout SIMD8<S>) {
        let xx = SIMD8(repeating: v[g]), yy = SIMD8(repeating: v[8 + g]), zz = SIMD8(repeating: v[16 + g])
        let yz = SIMD8(repeating: v[24 + g]), xz = SIMD8(repeating: v[32 + g]), xy = SIMD8(repeating: v[40 + g])
        let dx = nodeGrad[3 * g], dy = nodeGrad[3 * g + 1], dz = nodeGrad[3 * g + 2]
        fx.addProduct(dx, xx); fx.addProduct(dy, xy); fx.addProduct(dz, xz)
        fy.addProduct(dx, xy); fy.addProduct(dy, yy); fy.addProduct(dz, yz)
        fz.addProduct(dx, xz); fz.addProduct(dy, yz); fz.addProduct(dz, zz)
    }
    var g = 0
    while g < 8 { point(g, &fx, &fy, &fz); point(g + 1, &gx, &gy, &gz); g += 2 }
    b[0] = fx + gx; b[1] = fy + gy; b[2] = fz + gz
    let f = UnsafeRawPointer(b).assumingMemoryBound(to: S.self)
    for l in 0..<8 {
        let o = runs.node(l)
        y[o] += f[l]; y[o + 1] += f[8 + l]; y[o + 2] += f[16 + l]
    }
}
