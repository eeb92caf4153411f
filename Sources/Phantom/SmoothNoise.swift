// Deterministic randomness: a counter-based generator (same numbers for the same seed whatever the
// thread split) and smooth 3-D value noise for natural-looking density variation.
import Foundation
import OpenBCTCore

/// SplitMix64-style mixing of a 64-bit counter: a fast, well-distributed hash.
@inline(__always) func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A small sequential generator for one stream (one slice, one row) of random numbers.
struct RandomStream {
    private var state: UInt64
    init(seed: UInt64, stream: UInt64) { state = mix64(seed ^ mix64(stream &+ 0x5851_F42D_4C95_7F2D)) }

    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix64(state)
    }

    /// An approximately standard normal number: the sum of four 16-bit uniforms (Irwin–Hall),
    /// centred and scaled to unit variance. Tails end at ±3.46 σ, which is immaterial for CT noise.
    @inline(__always) mutating func normal() -> Float {
        let r = next()
        let s = Float(r & 0xFFFF) + Float((r >> 16) & 0xFFFF) + Float((r >> 32) & 0xFFFF) + Float(r >> 48)
        // Sum of 4 U(0, 65536): mean 131070, variance 4·65536²/12.
        return (s - 131_070) * (1 / 37_837.2)
    }
}

/// Smooth value noise in [-1, 1]: random values on a lattice of `cell` mm, blended with a C¹
/// (smoothstep) trilinear weight. Deterministic for a seed.
struct ValueNoise: Sendable {
    var seed: UInt64
    var cell: Double

    @inline(__always) private func lattice(_ i: Int, _ j: Int, _ k: Int) -> Double {
        let h = mix64(seed ^ (UInt64(bitPattern: Int64(i)) &* 0x8CB9_2BA7_2F3D_8DD7)
                      ^ (UInt64(bitPattern: Int64(j)) &* 0xD6E8_FEB8_6659_FD93)
                      ^ (UInt64(bitPattern: Int64(k)) &* 0xA076_1D64_78BD_642F))
        return Double(h >> 11) * (2.0 / 9_007_199_254_740_992.0) - 1
    }

    func callAsFunction(_ p: Vec3) -> Double {
        let q = p / cell, f = q.rounded(.down), t = q - f
        let w = t * t * (3 - 2 * t)
        let i = Int(f.x), j = Int(f.y), k = Int(f.z)
        func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double { a + (b - a) * t }
        let x00 = lerp(lattice(i, j, k), lattice(i + 1, j, k), w.x)
        let x10 = lerp(lattice(i, j + 1, k), lattice(i + 1, j + 1, k), w.x)
        let x01 = lerp(lattice(i, j, k + 1), lattice(i + 1, j, k + 1), w.x)
        let x11 = lerp(lattice(i, j + 1, k + 1), lattice(i + 1, j + 1, k + 1), w.x)
        return lerp(lerp(x00, x10, w.y), lerp(x01, x11, w.y), w.z)
    }

    /// Two octaves (cell and cell/2), still in about [-1, 1].
    func fractal(_ p: Vec3) -> Double {
        let fine = ValueNoise(seed: seed ^ 0xABCD, cell: cell / 2)
        return 0.67 * self(p) + 0.33 * fine(p)
    }
}
