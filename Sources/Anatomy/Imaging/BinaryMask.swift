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

    /// The complement.
    public var inverted: Mask { map { $0 == 0 ? 1 : 0 } }
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
