// The geometry of a voxel grid in LPS patient space (the DICOM/ITK convention).

/// Voxel grid geometry: dimensions, spacing, origin and direction cosines.
///
/// Voxel `(i, j, k)` has its centre at `origin + direction * (spacing ⊙ (i, j, k))` in LPS
/// millimetres (x → patient left, y → posterior, z → superior). Linear index is
/// `i + nx * (j + ny * k)`: i varies fastest (a DICOM row), k is the slice.
public struct ImageGrid: Sendable, Equatable, Hashable, Codable {
    public var dims: SIMD3<Int>
    public var spacing: Vec3
    public var origin: Vec3
    public var direction: Matrix3

    public init(dims: SIMD3<Int>, spacing: Vec3 = Vec3(1, 1, 1), origin: Vec3 = .zero,
                direction: Matrix3 = .identity) {
        self.dims = dims; self.spacing = spacing; self.origin = origin; self.direction = direction
    }

    public var count: Int { dims.x * dims.y * dims.z }
    public var voxelVolume: Double { spacing.x * spacing.y * spacing.z }

    @inlinable public func linearIndex(_ i: Int, _ j: Int, _ k: Int) -> Int { i + dims.x * (j + dims.y * k) }

    @inlinable public func contains(_ i: Int, _ j: Int, _ k: Int) -> Bool {
        i >= 0 && j >= 0 && k >= 0 && i < dims.x && j < dims.y && k < dims.z
    }

    /// Physical LPS position (mm) of a continuous index.
    @inlinable public func physicalPoint(index: Vec3) -> Vec3 { origin + direction * (index * spacing) }

    /// Continuous index of a physical LPS position (mm). Requires a non-singular direction matrix.
    public func continuousIndex(physical p: Vec3) -> Vec3 {
        let inv = direction.inverse ?? direction.transposed
        return (inv * (p - origin)) / spacing
    }

    /// The 4×4 index→LPS affine as rows (last row 0 0 0 1).
    public var affineLPS: [[Double]] {
        (0..<3).map { r in
            [direction[r, 0] * spacing.x, direction[r, 1] * spacing.y, direction[r, 2] * spacing.z, origin[r]]
        } + [[0, 0, 0, 1]]
    }

    /// The 4×4 index→RAS affine (NIfTI convention): LPS with x and y negated.
    public var affineRAS: [[Double]] {
        var a = affineLPS
        for c in 0..<4 { a[0][c] = -a[0][c]; a[1][c] = -a[1][c] }
        return a
    }

    /// Physical extent (mm) of the grid's eight corner voxel centres: (min, max) in LPS.
    public var physicalBounds: (min: Vec3, max: Vec3) {
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        for c in 0..<8 {
            let idx = Vec3(Double((c & 1) * (dims.x - 1)), Double((c >> 1 & 1) * (dims.y - 1)),
                           Double((c >> 2 & 1) * (dims.z - 1)))
            let p = physicalPoint(index: idx)
            lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
        }
        return (lo, hi)
    }

    /// The sub-grid covering index ranges `lower ..< upper` (clamped to this grid).
    public func cropped(lower: SIMD3<Int>, upper: SIMD3<Int>) -> ImageGrid {
        let lo = pointwiseMax(lower, .zero), hi = pointwiseMin(upper, dims)
        let newOrigin = physicalPoint(index: Vec3(Double(lo.x), Double(lo.y), Double(lo.z)))
        return ImageGrid(dims: pointwiseMax(hi &- lo, .zero), spacing: spacing, origin: newOrigin, direction: direction)
    }

    /// True when both grids place every voxel at the same position within `tolerance` mm.
    public func isAligned(with other: ImageGrid, tolerance: Double = 1e-3) -> Bool {
        guard dims == other.dims else { return false }
        let d = (0..<8).map { c -> Double in
            let idx = Vec3(Double((c & 1) * (dims.x - 1)), Double((c >> 1 & 1) * (dims.y - 1)),
                           Double((c >> 2 & 1) * (dims.z - 1)))
            return length(physicalPoint(index: idx) - other.physicalPoint(index: idx))
        }
        return d.max()! <= tolerance
    }
}
