// Signed-distance primitives (negative inside, mm) from which the analytic anatomy is built.
// Exact where the formula allows (sphere, capsule, round cone, plane); the ellipsoid and ellipse are
// the usual first-order approximations, accurate near the surface, which is where they matter.
import Foundation
import OpenBCTCore

enum SDF {
    @inline(__always) static func sphere(_ p: Vec3, _ c: Vec3, _ r: Double) -> Double { length(p - c) - r }

    /// A segment a→b swept by a sphere of radius r.
    @inline(__always) static func capsule(_ p: Vec3, _ a: Vec3, _ b: Vec3, _ r: Double) -> Double {
        let pa = p - a, ba = b - a
        let h = min(max(dot(pa, ba) / dot(ba, ba), 0), 1)
        return length(pa - ba * h) - r
    }

    /// A cone with spherical caps: radius r1 at a, r2 at b (exact, after Quílez).
    static func roundCone(_ p: Vec3, _ a: Vec3, _ b: Vec3, _ r1: Double, _ r2: Double) -> Double {
        let ba = b - a, l2 = dot(ba, ba), rr = r1 - r2, a2 = l2 - rr * rr, il2 = 1 / l2
        let pa = p - a, y = dot(pa, ba), z = y - l2
        let q = pa * l2 - ba * y
        let x2 = dot(q, q), y2 = y * y * l2, z2 = z * z * l2
        let k = (rr < 0 ? -1.0 : 1.0) * rr * rr * x2
        if (z < 0 ? -1.0 : 1.0) * a2 * z2 > k { return (x2 + z2).squareRoot() * il2 - r2 }
        if (y < 0 ? -1.0 : 1.0) * a2 * y2 < k { return (x2 + y2).squareRoot() * il2 - r1 }
        return ((x2 * a2 * il2).squareRoot() + y * rr) * il2 - r1
    }

    /// An axis-aligned ellipsoid in a local frame (q already expressed in that frame).
    @inline(__always) static func ellipsoid(_ q: Vec3, _ radii: Vec3) -> Double {
        let k0 = length(q / radii), k1 = length(q / (radii * radii))
        return k1 > 0 ? k0 * (k0 - 1) / k1 : -radii.min()
    }

    /// An ellipse in 2-D (x, y) with semi-axes (a, b).
    @inline(__always) static func ellipse(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
        let k0 = ((x / a) * (x / a) + (y / b) * (y / b)).squareRoot()
        let k1 = ((x / (a * a)) * (x / (a * a)) + (y / (b * b)) * (y / (b * b))).squareRoot()
        return k1 > 0 ? k0 * (k0 - 1) / k1 : -min(a, b)
    }

    /// Extrudes a 2-D distance `d2` over |z| ≤ halfHeight, with edges rounded by `rounding`.
    @inline(__always) static func extrude(_ d2: Double, _ z: Double, halfHeight: Double, rounding: Double) -> Double {
        let wx = d2 + rounding, wy = abs(z) - halfHeight + rounding
        let outside = (max(wx, 0) * max(wx, 0) + max(wy, 0) * max(wy, 0)).squareRoot()
        return outside + min(max(wx, wy), 0) - rounding
    }

    /// Polynomial smooth minimum: a union with fillets of size ~k.
    @inline(__always) static func smoothUnion(_ a: Double, _ b: Double, _ k: Double) -> Double {
        let h = max(k - abs(a - b), 0) / k
        return min(a, b) - h * h * k * 0.25
    }

    @inline(__always) static func smoothstep(_ e0: Double, _ e1: Double, _ x: Double) -> Double {
        let t = min(max((x - e0) / (e1 - e0), 0), 1)
        return t * t * (3 - 2 * t)
    }
}

/// An axis-aligned box in LPS mm, used to skip structures far from a point.
struct Bounds: Sendable {
    var lower: Vec3
    var upper: Vec3

    init(lower: Vec3, upper: Vec3) { self.lower = lower; self.upper = upper }

    /// The box around points, grown by `margin`.
    init(around points: [Vec3], margin: Double) {
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        for p in points { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        self.init(lower: lo - margin, upper: hi + margin)
    }

    @inline(__always) func contains(_ p: Vec3) -> Bool { all(p .>= lower) && all(p .<= upper) }

    /// True when a box of half-size `h` around p touches this box.
    @inline(__always) func touches(_ p: Vec3, halfSize h: Vec3) -> Bool {
        all(p + h .>= lower) && all(p - h .<= upper)
    }

    func union(_ o: Bounds) -> Bounds { Bounds(lower: pointwiseMin(lower, o.lower), upper: pointwiseMax(upper, o.upper)) }
}
