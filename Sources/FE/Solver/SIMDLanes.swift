// Lane helpers for kernels that hold the 8 Gauss points of an element in one SIMD vector.

/// Σ of the 8 lanes, as a tree.
@inline(__always)
func lanesSum(_ v: SIMD8<Double>) -> Double { lanesSumOf(v) }
/// In single precision.
@inline(__always)
func lanesSum(_ v: SIMD8<Float>) -> Float { lanesSumOf(v) }

// The generic bodies are reached only through the concrete functions of this file: a debug build (one
// file at a time, no whole-module optimisation) does not specialise a generic called from another file.
@inline(__always)
private func lanesSumOf<S: SIMDScalar & FloatingPoint>(_ v: SIMD8<S>) -> S {
    let four = v.lowHalf + v.highHalf, two = four.lowHalf + four.highHalf
    return two.x + two.y
}

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

/// y += Bᵀ·σ of the unit cube: the already weighted stresses `s` of the 8 Gauss points summed onto the
/// element's nodes at its lattice runs.
@inline(__always)
func scatterUnitCubeDivergence(_ grad: UnsafePointer<SIMD8<Double>>, _ s: VoigtLanes,
                               into y: UnsafeMutablePointer<Double>, _ runs: LatticeOperator.ElementRuns) {
    scatterUnitCubeDivergenceOf(grad, s, into: y, runs)
}
/// In single precision.
@inline(__always)
func scatterUnitCubeDivergence(_ grad: UnsafePointer<SIMD8<Float>>, _ s: VoigtLanesOf<Float>,
                               into y: UnsafeMutablePointer<Float>, _ runs: LatticeOperator.ElementRuns) {
    scatterUnitCubeDivergenceOf(grad, s, into: y, runs)
}

@inline(__always)
private func scatterUnitCubeDivergenceOf<S: SIMDScalar & BinaryFloatingPoint>(_ grad: UnsafePointer<SIMD8<S>>, _ s: VoigtLanesOf<S>,
                                                                              into y: UnsafeMutablePointer<S>, _ runs: LatticeOperator.ElementRuns) {
    for l in 0..<8 {
        let o = runs.node(l)
        let gx = grad[3 * l], gy = grad[3 * l + 1], gz = grad[3 * l + 2]
        var fx = gx * s.xx, fy = gx * s.xy, fz = gx * s.xz
        fx.addProduct(gy, s.xy); fx.addProduct(gz, s.xz)
        fy.addProduct(gy, s.yy); fy.addProduct(gz, s.yz)
        fz.addProduct(gy, s.yz); fz.addProduct(gz, s.zz)
        y[o] += lanesSumOf(fx); y[o + 1] += lanesSumOf(fy); y[o + 2] += lanesSumOf(fz)
    }
}
