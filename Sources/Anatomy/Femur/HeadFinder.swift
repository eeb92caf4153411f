// The femoral head: a sphere found by a Hough transform on the bone surface and refined by a
// least-squares fit. Each bone-surface voxel votes along its intensity gradient (toward the bright
// side) at every radius of the head range: on a convex bright sphere the votes pile up at its
// centre, while the acetabular cup's inner surface (bright side away from the joint) votes away
// from it — so a head in contact with its socket is still found.
import OpenBCTCore
import Foundation

struct FemoralHead {
    var sphere: Sphere
    var rms: Double
    /// The fraction of the sphere's directions (288 equal-area bins) where such a voxel lies within
    /// ±2 mm of it: a head shows most of a sphere, a saddle or a neck base a band of one.
    var coverage: Double
}

enum HeadFinder {
    /// - Parameters:
    ///   - bone: the bone mask; `intensity`: smoothed HU on the same grid; `voters`: the bone that may
    ///     vote (the shaft's connected bone: far pelvic convexities cannot outvote the head).
    ///   - shaft: the shaft seed's centroid; the head lies ≥ 30 mm above it and medial to it.
    ///   - medial: the directions to search: +1 when medial is LPS +x from the shaft, −1 when it is −x.
    ///     Given both (a mask whose side is not trusted), the spheres found on either side compete by
    ///     the same rule as those on one side: the best-covered wins.
    static func find(bone: Mask, intensity: [Float], voters: Mask, shaft: Vec3, medial: [Double], options: FemurOptions) -> FemoralHead? {
        let grid = bone.grid, n = grid.dims, sp = grid.spacing
        // Votes on a 2 mm accumulator over the same box.
        let bin = 2.0
        let extent = Vec3(Double(n.x) * sp.x, Double(n.y) * sp.y, Double(n.z) * sp.z)
        let an = SIMD3<Int>(Int((extent.x / bin).rounded(.up)), Int((extent.y / bin).rounded(.up)), Int((extent.z / bin).rounded(.up)))
        var votes = [Float](repeating: 0, count: an.x * an.y * an.z)
        let radii = Array(stride(from: options.headRadiusRangeMM.lowerBound, through: options.headRadiusRangeMM.upperBound, by: 1.0))
        // Voxel centre, the bone's edge near it (both in index-scaled mm, the box frame), unit gradient.
        var surface: [(p: Vec3, edge: Vec3, g: Vec3)] = []
        @inline(__always) func value(_ i: Int, _ j: Int, _ k: Int) -> Float {
            intensity[min(max(i, 0), n.x - 1) + n.x * (min(max(j, 0), n.y - 1) + n.y * min(max(k, 0), n.z - 1))]
        }
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x where bone.voxels[i + n.x * (j + n.y * k)] != 0
            && voters.voxels[i + n.x * (j + n.y * k)] != 0 {
            let onSurface = (i > 0 && bone[i - 1, j, k] == 0) || (i < n.x - 1 && bone[i + 1, j, k] == 0)
                || (j > 0 && bone[i, j - 1, k] == 0) || (j < n.y - 1 && bone[i, j + 1, k] == 0)
                || (k > 0 && bone[i, j, k - 1] == 0) || (k < n.z - 1 && bone[i, j, k + 1] == 0)
            guard onSurface else { continue }
            // Gradient in index-aligned mm (the box's axes), toward brighter.
            let g = Vec3(Double(value(i + 1, j, k) - value(i - 1, j, k)) / (2 * sp.x),
                         Double(value(i, j + 1, k) - value(i, j - 1, k)) / (2 * sp.y),
                         Double(value(i, j, k + 1) - value(i, j, k - 1)) / (2 * sp.z))
            let l = length(g)
            guard l > 1e-3 else { continue }
            let u = g / l, p = Vec3(Double(i), Double(j), Double(k)) * sp
            surface.append((p, edge(from: p, along: u), u))
            for r in radii {
                let c = (p + u * r) / bin
                let ci = Int(c.x), cj = Int(c.y), ck = Int(c.z)
                if ci >= 0, cj >= 0, ck >= 0, ci < an.x, cj < an.y, ck < an.z { votes[ci + an.x * (cj + an.y * ck)] += 1 }
            }
        } } }
        // The bone's edge near a threshold-surface voxel centre `p` (box-frame mm): where the intensity
        // rises fastest along the gradient `u`, within one voxel either side (parabola-refined). The
        // 100 HU surface lies ~1 mm outside the bone where it faces soft tissue but close to it where it
        // faces a narrow joint space, so fits on voxel centres slid the head toward its free side
        // (2 mm phantom voxels: 1.15 mm lateral, 0.8 mm inferior; docs/anatomy.md); the steepest rise
        // does not depend on the threshold.
        func edge(from p: Vec3, along u: Vec3) -> Vec3 {
            let span = sp.max(), steps = 8, h = span / Double(steps)
            // Called once per surface voxel: the profile lives on the stack, not in a fresh array.
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * steps + 3) { profile -> Vec3 in
                intensity.withUnsafeBufferPointer { buffer -> Vec3 in
                    let src = SendableConstPointer(buffer.baseAddress!)
                    for s in -steps - 1...steps + 1 {
                        guard let v = Volume<Float>.trilinear(src, n, (p + u * (Double(s) * h)) / sp) else { return p }
                        profile[s + steps + 1] = v
                    }
                    // Central differences at offsets −span…span (rise(r) at profile index r + 1); the
                    // steepest (the first of equals) and its neighbours.
                    let rise = { (r: Int) in profile[r + 2] - profile[r] }
                    var best = 0
                    for r in 1...(2 * steps) where rise(r) > rise(best) { best = r }
                    var offset = Double(best - steps) * h
                    if best > 0, best < 2 * steps {
                        let (a, b, c) = (rise(best - 1), rise(best), rise(best + 1))
                        let curvature = a - 2 * b + c
                        if abs(curvature) > 1e-9 { offset += max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) * h }
                    }
                    return p + u * offset
                }
            }
        }
        // The strongest accumulator cells where a head can be (box-frame mm → LPS): up to eight distinct
        // peaks are refined; of those with a head's radius and a good fit, the best-covered wins.
        let toLPS = { (q: Vec3) in grid.physicalPoint(index: q / sp) }
        let cellCentre = { (idx: Int) in (Vec3(Double(idx % an.x), Double((idx / an.x) % an.y), Double(idx / (an.x * an.y))) + 0.5) * bin }
        // Where a head can be: ≥ 30 mm above the shaft seed and 5 mm…`maxHeadMedialOffsetMM` medial to it.
        let headRegion = { (p: Vec3, side: Double) -> Bool in
            let m = (p.x - shaft.x) * side
            return p.z >= shaft.z + 30 && m >= 5 && m <= options.maxHeadMedialOffsetMM
        }
        var heads: [FemoralHead] = []
        for side in medial {
            let candidates = votes.indices.filter { idx in
                votes[idx] > 0 && headRegion(toLPS(cellCentre(idx)), side)
            }.sorted { votes[$0] > votes[$1] }
            var tried: [Vec3] = []
            for idx in candidates.prefix(200) {
                let start = cellCentre(idx)
                // Skip cells next to one already tried (the same peak).
                if tried.contains(where: { length($0 - start) < 10 }) { continue }
                tried.append(start)
                if tried.count > 8 { break }
                // The fitted sphere must still lie where a head can be: on a femur cut short in the
                // trochanteric region a medial peak's fit slid onto the neck base right above the seed
                // (phantom ending 60–70 mm below the heads: 1.3–1.8 mm medial, coverage 0.40–0.44 against
                // the head's 0.35–0.38; the femur then lost its head and its axis tilted 8–15°).
                if let head = refine(start), headRegion(head.sphere.center, side) { heads.append(head) }
            }
        }
        // Not the most votes but the most sphere: under noise the saddle where a long neck meets the
        // trochanters gathers more votes than the head (raw counts grow with any curved surface), yet it
        // shows bone on a smaller part of a sphere than the head does (37 vs 41 % at 40 HU, docs/anatomy.md).
        return heads.max { $0.coverage < $1.coverage }

        // Radius: the most common distance of the surface points whose gradient points at the centre;
        // then four least-squares sphere fits on the points within ±3 mm of the current sphere.
        // Which sphere is the head (radius histogram, coverage) is read from the voxel centres as the
        // rule was measured; the least-squares fits use the edges (`atEdge`).
        func facing(_ c: Vec3, band: ClosedRange<Double>, atEdge: Bool = false) -> [Vec3] {
            surface.compactMap { s in
                let q = atEdge ? s.edge : s.p
                let d = c - q, l = length(d)
                return band.contains(l) && dot(d, s.g) > 0.9 * l ? q : nil
            }
        }
        // Equal-area direction bins: 12 bands of equal height in z (Archimedes) × 24 in azimuth.
        func coverage(_ c: Vec3, _ r: Double) -> Double {
            let nz = 12, nphi = 24
            var seen = [Bool](repeating: false, count: nz * nphi)
            for p in facing(c, band: max(1, r - 2)...(r + 2)) {
                let d = (p - c) / length(p - c)
                let iz = min(nz - 1, Int((d.z + 1) / 2 * Double(nz)))
                let ip = min(nphi - 1, Int((atan2(d.y, d.x) + .pi) / (2 * .pi) * Double(nphi)))
                seen[iz * nphi + ip] = true
            }
            return Double(seen.lazy.filter { $0 }.count) / Double(seen.count)
        }
        func refine(_ start: Vec3) -> FemoralHead? {
            var center = start
            var histogram = [Int](repeating: 0, count: radii.count)
            for p in facing(center, band: options.headRadiusRangeMM) {
                histogram[min(radii.count - 1, max(0, Int((length(p - center) - radii[0]).rounded())))] += 1
            }
            var radius = radii[histogram.indices.max { histogram[$0] < histogram[$1] }!]
            var rms = 0.0
            for _ in 0..<4 {
                let pts = facing(center, band: max(1, radius - 3)...(radius + 3), atEdge: true)
                guard let fit = Sphere.fit(pts) else { return nil }
                center = fit.sphere.center; radius = fit.sphere.radius; rms = fit.rms
            }
            guard options.headRadiusRangeMM.contains(radius), rms < 2 else { return nil }
            return FemoralHead(sphere: Sphere(center: toLPS(center), radius: radius), rms: rms,
                               coverage: coverage(center, radius))
        }
    }
}
