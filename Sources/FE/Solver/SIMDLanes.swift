// Lane helpers for kernels that hold the 8 Gauss points of an element in one SIMD vector.

/// Σ of the 8 lanes, as a tree.
@inline(__always)
func lanesSum(_ v: SIMD8<Double>) -> Double {
    let four = v.lowHalf + v.highHalf, two = four.lowHalf + four.highHalf
    return two.x + two.y
}

/// The lanes converted to Double, written out lane by lane: the generic SIMD conversion initialiser
/// is not inlined and costs a call per vector in the hot loops.
@inline(__always)
func widened(_ v: SIMD8<Float>) -> SIMD8<Double> {
    SIMD8(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]), Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
}
