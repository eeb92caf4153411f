// Seeds on the neural arch of each vertebra, so the watershed does not reach a vertebra's laminae
// and spinous process only through the fused facet joints of its neighbours (at 3 mm slices the
// inferior articular and spinous processes that reach down to the next level were given to it).
import OpenBCTCore

enum ArchSeeds {
    /// Bone of the lamina / spinous-process root of the vertebra whose body is `piece`: in the lower
    /// half of the body's height (the arch of the vertebra above reaches down to about the top of this
    /// body, its own lamina runs from the pedicles down past the inferior endplate), within
    /// `halfWidthMM` of the body's mid-sagittal line, and from `canalMM` to `canalMM + depthMM` behind
    /// the body's posterior wall (past the spinal canal, short of the tips of the spinous processes
    /// above, which lie farther back).
    static func seeds(for piece: BodyPiece, filledBone: Mask, halfWidthMM: Double = 10, canalMM: Double = 10,
                      depthMM: Double = 15) -> [Int] {
        let h = piece.zRange.upperBound - piece.zRange.lowerBound, c = piece.centroid.z
        return zone(of: piece, filledBone: filledBone, heights: (c - 0.35 * h)...c, behindWall: canalMM...(canalMM + depthMM),
                    halfWidthMM: halfWidthMM)
    }

    /// Bone of the spinous process of the vertebra *above* the one whose body is `piece`: in the upper
    /// quarter of this body's height (from a quarter to half the height above its centroid), within
    /// `halfWidthMM` of its mid-sagittal line and farther behind its posterior wall than its own arch
    /// seeds reach (`beyondMM`). Spinous processes slope down: the tip of the one above overlaps this
    /// vertebra's upper part behind its own lamina (on `abdomen-3mm`, T11's tip lies behind T12's top).
    /// Its own spinous process lies lower: the phantom's reaches a quarter of the height above the
    /// centroid (a band from the centroid up gave part of it to the vertebra above and cut L2's labels
    /// down to the scan's end). Nothing reaches past `beyondMM + depthMM`.
    static func superiorNeighbourSeeds(for piece: BodyPiece, filledBone: Mask, halfWidthMM: Double = 10,
                                       beyondMM: Double = 25, depthMM: Double = 40) -> [Int] {
        let h = piece.zRange.upperBound - piece.zRange.lowerBound, c = piece.centroid.z
        return zone(of: piece, filledBone: filledBone, heights: (c + 0.25 * h)...(c + 0.5 * h), behindWall: beyondMM...(beyondMM + depthMM),
                    halfWidthMM: halfWidthMM)
    }

    /// Bone at `heights` (LPS z), within `halfWidthMM` of the body's mid-sagittal line and `behindWall`
    /// mm behind its posterior wall. Posterior: from the body toward the bone behind it near the
    /// mid-sagittal line in the lower half (the arch); orientation-free, so a prone patient works too.
    private static func zone(of piece: BodyPiece, filledBone: Mask, heights: ClosedRange<Double>,
                             behindWall: ClosedRange<Double>, halfWidthMM: Double) -> [Int] {
        let grid = filledBone.grid, n = grid.dims
        let point = { (v: Int) in grid.physicalPoint(index: indexVector(v, n)) }
        let c = piece.centroid, h = piece.zRange.upperBound - piece.zRange.lowerBound
        let archSlab = (c.z - 0.35 * h)...c.z
        let box = indexBox(around: c, halfMM: Vec3(halfWidthMM + 40, behindWall.upperBound + 40, h / 2 + 2), grid: grid)
        var behind = Vec3.zero, count = 0
        let bodySet = Set(piece.voxels)
        forEach(in: box, grid: grid) { idx in
            guard filledBone.voxels[idx] != 0, !bodySet.contains(idx) else { return }
            let p = point(idx)
            guard archSlab.contains(p.z), abs(p.x - c.x) <= halfWidthMM else { return }
            behind += p - c; count += 1
        }
        guard count > 0 else { return [] }
        behind.z = 0
        guard length(behind) > 1e-6 else { return [] }
        let posterior = normalize(behind / Double(count))
        let lateral = Vec3(-posterior.y, posterior.x, 0)
        let wall = piece.voxels.map { dot(point($0) - c, posterior) }.sorted()[piece.voxels.count * 49 / 50]
        var seeds: [Int] = []
        forEach(in: box, grid: grid) { idx in
            guard filledBone.voxels[idx] != 0 else { return }
            let p = point(idx), d = p - c
            if heights.contains(p.z), abs(dot(d, lateral)) <= halfWidthMM, behindWall.contains(dot(d, posterior) - wall) { seeds.append(idx) }
        }
        return seeds
    }

    private static func indexBox(around c: Vec3, halfMM: Vec3, grid: ImageGrid) -> (lo: SIMD3<Int>, hi: SIMD3<Int>) {
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: .min)
        for corner in 0..<8 {
            let p = c + Vec3(corner & 1 == 0 ? -halfMM.x : halfMM.x, corner & 2 == 0 ? -halfMM.y : halfMM.y, corner & 4 == 0 ? -halfMM.z : halfMM.z)
            let q = grid.continuousIndex(physical: p)
            let f = SIMD3<Int>(Int(q.x.rounded(.down)), Int(q.y.rounded(.down)), Int(q.z.rounded(.down)))
            lo = pointwiseMin(lo, f); hi = pointwiseMax(hi, f &+ 1)
        }
        return (pointwiseMax(lo, .zero), pointwiseMin(hi, grid.dims &- 1))
    }

    private static func forEach(in box: (lo: SIMD3<Int>, hi: SIMD3<Int>), grid: ImageGrid, _ body: (Int) -> Void) {
        guard all(box.hi .>= box.lo) else { return }
        for k in box.lo.z...box.hi.z { for j in box.lo.y...box.hi.y { for i in box.lo.x...box.hi.x { body(grid.linearIndex(i, j, k)) } } }
    }
}
