// Seeds on the neural arch of each vertebra, so the watershed does not reach a vertebra's laminae
// and spinous process only through the fused facet joints of its neighbours (at 3 mm slices the
// inferior articular and spinous processes that reach down to the next level were given to it).
import OpenBCTCore

enum ArchSeeds {
    // Heights below are measured along `axis`, the body column's direction at this body (unit,
    // superior; `BodyChain.axis(at:)`), from the body's centroid, in units of the body's extent along
    // it: in a lordosis the lower lumbar bodies lean back (the phantom's L5 by 7°), so their spinous
    // processes, 40–60 mm behind the body, sit 5–8 mm higher in LPS z than in the body's own frame.
    // Measured in LPS z, the upper part of L3–L5's spinous processes fell into the band that seeds the
    // vertebra above, which then took their whole arch (phantom L4 Dice 0.730).

    /// Bone of the lamina / spinous-process root of the vertebra whose body is `piece`: in the lower
    /// half of the body's height (the arch of the vertebra above reaches down to about the top of this
    /// body, its own lamina runs from the pedicles down past the inferior endplate), within
    /// `halfWidthMM` of the body's mid-sagittal line, and from `canalMM` to `canalMM + depthMM` behind
    /// the body's posterior wall (past the spinal canal, short of the tips of the spinous processes
    /// above, which lie farther back).
    static func seeds(for piece: BodyPiece, axis: Vec3, filledBone: Mask, halfWidthMM: Double = 10, canalMM: Double = 10,
                      depthMM: Double = 15) -> [Int] {
        zone(of: piece, axis: axis, filledBone: filledBone, heights: -0.35...0, behindWall: canalMM...(canalMM + depthMM),
             halfWidthMM: halfWidthMM).map(\.index)
    }

    /// Bone of the spinous process of the vertebra *above* the one whose body is `piece`: in the upper
    /// quarter of this body's height (from a quarter to half the height above its centroid), within
    /// `halfWidthMM` of its mid-sagittal line and farther behind its posterior wall than its own arch
    /// seeds reach (`beyondMM`). Spinous processes slope down: the tip of the one above overlaps this
    /// vertebra's upper part behind its own lamina (on `abdomen-3mm`, T11's tip lies behind T12's top).
    /// Its own spinous process lies lower: the phantom's reaches a quarter of the height above the
    /// centroid (a band from the centroid up gave part of it to the vertebra above and cut L2's labels
    /// down to the scan's end). Nothing reaches past `beyondMM + depthMM`.
    /// Only bone that comes **down** into the band is taken: a part of the bone in the same zone
    /// extended to three quarters of the height (26-connected) that reaches above the band, or reaches
    /// an end slice of the scan (`isScanEnd`, slice index k on `filledBone`'s grid: it comes from beyond
    /// the field of view — on `abdomen-3mm` T12 is cut just above its top and T11's tip is seen only in
    /// the band). The tip of this vertebra's own spinous process rises into the band from below and
    /// ends in it: blurred by the scanner it crossed the quarter-height line by 1–2 mm on the phantom
    /// (L2's and L5's own tips seeded L1 and L4, which then took their whole spinous processes).
    static func superiorNeighbourSeeds(for piece: BodyPiece, axis: Vec3, filledBone: Mask, isScanEnd: (Int) -> Bool,
                                       halfWidthMM: Double = 10, beyondMM: Double = 25, depthMM: Double = 40) -> [Int] {
        let zoneVoxels = zone(of: piece, axis: axis, filledBone: filledBone, heights: 0.25...0.75,
                              behindWall: beyondMM...(beyondMM + depthMM), halfWidthMM: halfWidthMM)
        guard let region = MaskRegion(voxels: zoneVoxels.map(\.index), parent: filledBone.grid) else { return [] }
        let parts = Components(region.mask, connectivity: .twentySix)
        var label: [Int: Int32] = [:]
        for idx in region.mask.voxels.indices where parts.labels.voxels[idx] != 0 { label[region.parentIndex(idx)] = parts.labels.voxels[idx] }
        let slice = filledBone.grid.dims.x * filledBone.grid.dims.y
        let descending = Set(zoneVoxels.filter { $0.height > 0.5 || isScanEnd($0.index / slice) }.compactMap { label[$0.index] })
        return zoneVoxels.filter { $0.height <= 0.5 && descending.contains(label[$0.index] ?? 0) }.map(\.index)
    }

    /// Bone at `heights` (fractions of the body's extent along `axis`, from its centroid; each voxel's
    /// own fraction is returned with it), within
    /// `halfWidthMM` of the body's mid-sagittal line and `behindWall` mm behind its posterior wall.
    /// Posterior: from the body toward the bone behind it near the mid-sagittal line in the lower half
    /// (the arch), perpendicular to `axis`; orientation-free, so a prone patient works too.
    private static func zone(of piece: BodyPiece, axis: Vec3, filledBone: Mask, heights: ClosedRange<Double>,
                             behindWall: ClosedRange<Double>, halfWidthMM: Double) -> [(index: Int, height: Double)] {
        let grid = filledBone.grid, n = grid.dims
        let point = { (v: Int) in grid.physicalPoint(index: indexVector(v, n)) }
        let c = piece.centroid, u = normalize(axis)
        let along = piece.voxels.map { dot(point($0) - c, u) }
        let h = (along.max() ?? 0) - (along.min() ?? 0)
        guard h > 0 else { return [] }
        let archSlab = (-0.35 * h)...0
        // The box must hold the zone's far corner: behind the wall, the lean lifts or lowers it.
        let reach = behindWall.upperBound + 40
        let halfHeight = max(0.5, abs(heights.lowerBound), abs(heights.upperBound)) * h + 2 + reach * (1 - u.z * u.z).squareRoot()
        let box = indexBox(around: c, halfMM: Vec3(halfWidthMM + 40, reach, halfHeight), grid: grid)
        var behind = Vec3.zero, count = 0
        let bodySet = Set(piece.voxels)
        forEach(in: box, grid: grid) { idx in
            guard filledBone.voxels[idx] != 0, !bodySet.contains(idx) else { return }
            let d = point(idx) - c
            guard archSlab.contains(dot(d, u)), abs(d.x) <= halfWidthMM else { return }
            behind += d; count += 1
        }
        guard count > 0 else { return [] }
        behind -= u * dot(behind, u)
        guard length(behind) > 1e-6 else { return [] }
        let posterior = normalize(behind / Double(count))
        let lateral = cross(u, posterior)
        let wall = piece.voxels.map { dot(point($0) - c, posterior) }.sorted()[piece.voxels.count * 49 / 50]
        let band = (heights.lowerBound * h)...(heights.upperBound * h)
        var seeds: [(index: Int, height: Double)] = []
        forEach(in: box, grid: grid) { idx in
            guard filledBone.voxels[idx] != 0 else { return }
            let d = point(idx) - c, along = dot(d, u)
            if band.contains(along), abs(dot(d, lateral)) <= halfWidthMM, behindWall.contains(dot(d, posterior) - wall) {
                seeds.append((idx, along / h))
            }
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
