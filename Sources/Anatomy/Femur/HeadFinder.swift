// The femoral head: the thickest round bone medial to the shaft, fitted with a sphere on its
// outer surface (bone inside, joint space outside — the acetabular cup's inner surface, which has
// bone outside, is not used).
import OpenBCTCore

struct FemoralHead {
    var sphere: Sphere
    var rms: Double
}

enum HeadFinder {
    static func find(filled: Mask, bone: Mask, shaft: Vec3, midlineX: Double, options: FemurOptions) -> FemoralHead? {
        let grid = filled.grid, n = grid.dims
        let depth = DistanceTransform.depth(inside: filled)
        let medial = midlineX > shaft.x ? 1.0 : -1.0
        var best = -1, bestDepth: Float = 0
        let maxDepth = Float(options.headRadiusRangeMM.upperBound * 1.2), minDepth = Float(options.headRadiusRangeMM.lowerBound * 0.6)
        for idx in 0..<grid.count where depth[idx] > bestDepth && depth[idx] >= minDepth && depth[idx] <= maxDepth {
            let p = grid.physicalPoint(index: indexVector(idx, n))
            let m = (p.x - shaft.x) * medial
            if p.z >= shaft.z + 30, m >= 5, m <= 110 { best = idx; bestDepth = depth[idx] }
        }
        guard best >= 0 else { return nil }
        var center = grid.physicalPoint(index: indexVector(best, n))
        var radius = Double(bestDepth)
        // Outer-surface points of the head: bone here, no bone 1.5 mm farther out, bone 1.5 mm in.
        func surfacePoints(center c: Vec3, radius r: Double, band: ClosedRange<Double>) -> [Vec3] {
            let lo = grid.continuousIndex(physical: c - Vec3(repeating: band.upperBound))
            let hi = grid.continuousIndex(physical: c + Vec3(repeating: band.upperBound))
            let a = pointwiseMin(lo, hi), b = pointwiseMax(lo, hi)
            var pts: [Vec3] = []
            for k in max(0, Int(a.z))...min(n.z - 1, Int(b.z) + 1) { for j in max(0, Int(a.y))...min(n.y - 1, Int(b.y) + 1) {
                for i in max(0, Int(a.x))...min(n.x - 1, Int(b.x) + 1) where bone[i, j, k] != 0 {
                    let p = grid.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))
                    let d = length(p - c)
                    guard band.contains(d), d > 0 else { continue }
                    let u = (p - c) / d
                    if !isSet(filled, p + u * 1.5), isSet(filled, p - u * 1.5) { pts.append(p) }
                }
            } }
            return pts
        }
        var rms = 0.0
        for pass in 0..<4 {
            let band = pass == 0 ? (0.5 * radius)...(1.6 * radius + 3) : max(0, radius - 2.5)...(radius + 2.5)
            let pts = surfacePoints(center: center, radius: radius, band: band)
            guard let fit = Sphere.fit(pts) else { return nil }
            center = fit.sphere.center; radius = fit.sphere.radius; rms = fit.rms
        }
        guard radius > options.headRadiusRangeMM.lowerBound * 0.8, radius < options.headRadiusRangeMM.upperBound * 1.2 else { return nil }
        return FemoralHead(sphere: Sphere(center: center, radius: radius), rms: rms)
    }

    /// Whether the voxel nearest to LPS point `p` is set (false outside the grid).
    static func isSet(_ m: Mask, _ p: Vec3) -> Bool {
        let c = m.grid.continuousIndex(physical: p).rounded(.toNearestOrEven)
        let i = Int(c.x), j = Int(c.y), k = Int(c.z)
        return m.grid.contains(i, j, k) && m[i, j, k] != 0
    }
}
