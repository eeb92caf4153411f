// Binary masks: a Volume<UInt8> holding 0 or 1, with the set operations every segmentation step uses.
import OpenBCTCore

/// A binary mask on an image grid (voxels 0 = outside, 1 = inside).
public typealias Mask = Volume<UInt8>

extension Volume where Voxel == UInt8 {
    /// An empty mask on `grid`.
    public static func empty(on grid: ImageGrid) -> Mask { Mask(grid: grid, repeating: 0) }

    /// Number of voxels set.
    public var setCount: Int {
        voxels.withUnsafeBufferPointer { b in b.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
    }

    /// Volume of the set voxels in mm³.
    public var setVolumeMM3: Double { Double(setCount) * grid.voxelVolume }

    /// Voxels set in both masks (grids must match).
    public func intersection(_ other: Mask) -> Mask { combined(with: other) { $0 != 0 && $1 != 0 } }
    /// Voxels set in either mask.
    public func union(_ other: Mask) -> Mask { combined(with: other) { $0 != 0 || $1 != 0 } }
    /// Voxels set here and not in `other`.
    public func subtracting(_ other: Mask) -> Mask { combined(with: other) { $0 != 0 && $1 == 0 } }
    /// The complement.
    public var inverted: Mask { map { $0 == 0 ? 1 : 0 } }

    private func combined(with other: Mask, _ rule: (UInt8, UInt8) -> Bool) -> Mask {
        precondition(other.grid.dims == grid.dims, "mask grids differ")
        var out = [UInt8](repeating: 0, count: voxels.count)
        for i in 0..<voxels.count where rule(voxels[i], other.voxels[i]) { out[i] = 1 }
        return Mask(grid: grid, voxels: out)
    }

    /// Index bounding box `(lower, upper)` (upper exclusive) of the set voxels, or nil when empty.
    public var boundingBox: (lower: SIMD3<Int>, upper: SIMD3<Int>)? {
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: -1)
        let n = grid.dims
        voxels.withUnsafeBufferPointer { v in
            for k in 0..<n.z { for j in 0..<n.y {
                let row = n.x * (j + n.y * k)
                for i in 0..<n.x where v[row + i] != 0 {
                    lo = pointwiseMin(lo, SIMD3(i, j, k)); hi = pointwiseMax(hi, SIMD3(i, j, k))
                }
            } }
        }
        return hi.x < 0 ? nil : (lo, hi &+ 1)
    }

    /// Physical centroid (LPS mm) of the set voxels, or nil when empty.
    public var centroid: Vec3? {
        let pts = physicalPoints(stride: 1)
        guard !pts.isEmpty else { return nil }
        return pts.reduce(Vec3.zero, +) / Double(pts.count)
    }

    /// LPS positions of the set voxels (every `stride`-th, for cheap fits on large masks).
    public func physicalPoints(stride: Int = 1) -> [Vec3] {
        var out: [Vec3] = []
        var seen = 0
        let n = grid.dims
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x where voxels[i + n.x * (j + n.y * k)] != 0 {
            if seen % stride == 0 { out.append(grid.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))) }
            seen += 1
        } } }
        return out
    }
}

extension Volume where Voxel == Float {
    /// The mask of voxels with `value >= threshold`.
    public func mask(atLeast threshold: Float) -> Mask {
        var out = [UInt8](repeating: 0, count: voxels.count)
        voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = SendableConstPointer(src.baseAddress!), d = SendablePointer(dst.baseAddress!)
                parallelChunks(src.count, minimumChunk: 1 << 16) { r in
                    for i in r { d[i] = s[i] >= threshold ? 1 : 0 }
                }
            }
        }
        return Mask(grid: grid, voxels: out)
    }
}
