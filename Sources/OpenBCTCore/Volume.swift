// Volume: the lingua franca of every stage — a voxel buffer on an ImageGrid.
// Per-voxel generic code is @inlinable so that other modules get it specialised for their voxel type:
// called across a module boundary unspecialised, a generic loop goes through value witnesses and
// allocates per element (`asLabels` of a 512×512×336 label map took seconds).

/// Voxel types a `Volume` can hold.
public protocol VoxelValue: BitwiseCopyable, Sendable, Equatable {
    static var zero: Self { get }
    var asDouble: Double { get }
    init(roundingClamped value: Double)
}

extension Float: VoxelValue {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(roundingClamped value: Double) { self = Float(value) }
}
extension Double: VoxelValue {
    @inlinable public var asDouble: Double { self }
    @inlinable public init(roundingClamped value: Double) { self = value }
}
extension Int16: VoxelValue {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(roundingClamped v: Double) { self = v.isNaN ? 0 : Int16(Swift.max(-32768, Swift.min(32767, v.rounded()))) }
}
extension UInt16: VoxelValue {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(roundingClamped v: Double) { self = v.isNaN ? 0 : UInt16(Swift.max(0, Swift.min(65535, v.rounded()))) }
}
extension UInt8: VoxelValue {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(roundingClamped v: Double) { self = v.isNaN ? 0 : UInt8(Swift.max(0, Swift.min(255, v.rounded()))) }
}
extension Int32: VoxelValue {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(roundingClamped v: Double) { self = v.isNaN ? 0 : Int32(Swift.max(-2147483648, Swift.min(2147483647, v.rounded()))) }
}

/// A 3-D image: voxels in `grid` order (i fastest, then j, then k).
public struct Volume<Voxel: VoxelValue>: Sendable {
    public var grid: ImageGrid
    public var voxels: [Voxel]

    /// Creates a volume; `voxels.count` must equal `grid.count`.
    public init(grid: ImageGrid, voxels: [Voxel]) {
        precondition(voxels.count == grid.count, "voxel count \(voxels.count) ≠ grid size \(grid.count)")
        self.grid = grid; self.voxels = voxels
    }

    /// A volume filled with one value.
    public init(grid: ImageGrid, repeating value: Voxel = .zero) {
        self.grid = grid; self.voxels = Array(repeating: value, count: grid.count)
    }

    public var dims: SIMD3<Int> { grid.dims }

    @inlinable public subscript(i: Int, j: Int, k: Int) -> Voxel {
        get { voxels[grid.linearIndex(i, j, k)] }
        set { voxels[grid.linearIndex(i, j, k)] = newValue }
    }

    /// Applies `transform` to every voxel, keeping the grid. Inlinable so that callers in other modules get
    /// a loop specialised to their voxel types (unspecialised, converting a 512×512×337 CT to Float took 3 s).
    @inlinable public func map<T: VoxelValue>(_ transform: (Voxel) -> T) -> Volume<T> {
        Volume<T>(grid: grid, voxels: voxels.map(transform))
    }

    /// The index box `lower ..< upper` (clamped) as a new volume with the matching origin.
    @inlinable public func cropped(lower: SIMD3<Int>, upper: SIMD3<Int>) -> Volume {
        let g = grid.cropped(lower: lower, upper: upper)
        let lo = pointwiseMax(lower, .zero)
        var out = [Voxel](); out.reserveCapacity(g.count)
        for k in 0..<g.dims.z { for j in 0..<g.dims.y {
            let start = grid.linearIndex(lo.x, lo.y + j, lo.z + k)
            out.append(contentsOf: voxels[start ..< start + g.dims.x])
        } }
        return Volume(grid: g, voxels: out)
    }

    /// Minimum and maximum voxel value as doubles (nil for an empty volume).
    @inlinable public var range: (min: Double, max: Double)? {
        guard !voxels.isEmpty else { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        for v in voxels { let d = v.asDouble; lo = min(lo, d); hi = max(hi, d) }
        return (lo, hi)
    }
}

/// How `Volume.resampled(to:)` interpolates.
public enum Interpolation: Sendable {
    /// Trilinear, for intensities (HU, density).
    case linear
    /// Nearest neighbour, for label maps.
    case nearest
}

extension Volume {
    /// Resamples onto `target`; voxels whose centre maps outside this volume get `outside`.
    ///
    /// Trilinear interpolation treats voxel values as samples at voxel centres; a point within half a
    /// voxel outside the first/last centre is clamped to the edge (so a resample onto the same grid,
    /// or a sub-grid, reproduces the values exactly).
    @inlinable public func resampled(to target: ImageGrid, interpolation: Interpolation, outside: Voxel = .zero) -> Volume {
        // target index → source continuous index is affine: s = A·t + b.
        let srcInv = (grid.direction.inverse ?? grid.direction.transposed)
        let a = Matrix3(columns:
            srcInv * (target.direction.c0 * target.spacing.x) / grid.spacing,
            srcInv * (target.direction.c1 * target.spacing.y) / grid.spacing,
            srcInv * (target.direction.c2 * target.spacing.z) / grid.spacing)
        let b = srcInv * (target.origin - grid.origin) / grid.spacing
        var out = [Voxel](repeating: outside, count: target.count)
        let n = grid.dims, tn = target.dims
        voxels.withUnsafeBufferPointer { srcBuf in
            out.withUnsafeMutableBufferPointer { dstBuf in
                let src = SendableConstPointer(srcBuf.baseAddress!), dst = SendablePointer(dstBuf.baseAddress!)
                parallelFor(tn.z * tn.y) { row in
                    let j = row % tn.y, k = row / tn.y
                    let rowStart = a * Vec3(0, Double(j), Double(k)) + b
                    for i in 0..<tn.x {
                        let s = rowStart + a.c0 * Double(i)
                        let o = i + tn.x * row
                        switch interpolation {
                        case .nearest:
                            let r = s.rounded(.toNearestOrEven)
                            let ii = Int(r.x), jj = Int(r.y), kk = Int(r.z)
                            if ii >= 0, jj >= 0, kk >= 0, ii < n.x, jj < n.y, kk < n.z {
                                dst[o] = src[ii + n.x * (jj + n.y * kk)]
                            }
                        case .linear:
                            if let v = Volume.trilinear(src, n, s) { dst[o] = Voxel(roundingClamped: v) }
                        }
                    }
                }
            }
        }
        return Volume(grid: target, voxels: out)
    }

    /// Trilinear sample at continuous index `s`, or nil when outside by more than half a voxel.
    @inlinable @inline(__always)
    public static func trilinear(_ src: SendableConstPointer<Voxel>, _ n: SIMD3<Int>, _ s: Vec3) -> Double? {
        let lo = Vec3(-0.5, -0.5, -0.5), hi = Vec3(Double(n.x) - 0.5, Double(n.y) - 0.5, Double(n.z) - 0.5)
        if any(s .< lo) || any(s .> hi) { return nil }
        let maxIdx = Vec3(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1))
        let c = pointwiseMin(pointwiseMax(s, .zero), maxIdx)
        let f = c.rounded(.down)
        let x0 = Int(f.x), y0 = Int(f.y), z0 = Int(f.z)
        let x1 = min(x0 + 1, n.x - 1), y1 = min(y0 + 1, n.y - 1), z1 = min(z0 + 1, n.z - 1)
        let t = c - f
        @inline(__always) func v(_ x: Int, _ y: Int, _ z: Int) -> Double { src[x + n.x * (y + n.y * z)].asDouble }
        let c00 = v(x0, y0, z0) * (1 - t.x) + v(x1, y0, z0) * t.x
        let c10 = v(x0, y1, z0) * (1 - t.x) + v(x1, y1, z0) * t.x
        let c01 = v(x0, y0, z1) * (1 - t.x) + v(x1, y0, z1) * t.x
        let c11 = v(x0, y1, z1) * (1 - t.x) + v(x1, y1, z1) * t.x
        let c0 = c00 * (1 - t.y) + c10 * t.y, c1 = c01 * (1 - t.y) + c11 * t.y
        return c0 * (1 - t.z) + c1 * t.z
    }
}
