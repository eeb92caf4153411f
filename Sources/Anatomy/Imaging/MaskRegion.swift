// A structure cut out of a large grid into its own small box, so per-structure morphology costs
// the structure's size, not the scan's.
import OpenBCTCore

/// A set of voxels of a parent grid, held as a mask on the bounding box (plus a margin).
public struct MaskRegion: Sendable {
    public var parent: ImageGrid
    /// Index of the box's first voxel in the parent grid.
    public var offset: SIMD3<Int>
    /// The voxels as a mask on the box's grid.
    public var mask: Mask

    /// The box around `voxels` (parent linear indices) widened by `marginMM`, or nil when empty.
    public init?(voxels: [Int], parent: ImageGrid, marginMM: Double = 0) {
        guard !voxels.isEmpty else { return nil }
        let n = parent.dims
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: .min)
        for v in voxels { let p = SIMD3(v % n.x, (v / n.x) % n.y, v / (n.x * n.y)); lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let margin = SIMD3<Int>((0..<3).map { Int((marginMM / parent.spacing[$0]).rounded(.up)) })
        lo = pointwiseMax(lo &- margin, .zero); hi = pointwiseMin(hi &+ margin &+ 1, n)
        self.parent = parent; offset = lo
        mask = Mask.empty(on: parent.cropped(lower: lo, upper: hi))
        let d = mask.grid.dims
        for v in voxels { mask.voxels[local(v, in: d)] = 1 }
    }

    private func local(_ v: Int, in d: SIMD3<Int>) -> Int {
        let n = parent.dims
        return (v % n.x - offset.x) + d.x * ((v / n.x) % n.y - offset.y + d.y * (v / (n.x * n.y) - offset.z))
    }

    /// Parent linear index of a box linear index.
    public func parentIndex(_ idx: Int) -> Int {
        let d = mask.grid.dims
        return parent.linearIndex(idx % d.x + offset.x, (idx / d.x) % d.y + offset.y, idx / (d.x * d.y) + offset.z)
    }

    /// Parent indices of the set voxels of `m` (a mask on the box grid).
    public func parentIndices(of m: Mask) -> [Int] { m.voxels.indices.filter { m.voxels[$0] != 0 }.map(parentIndex) }
}
