// Errors while writing an image: the volume or request cannot be represented in the chosen format.
import OpenBCTCore

/// A volume cannot be written as asked (voxel type or size the format cannot hold, compressor failure).
public struct ImageWriteError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Refuses grids no reader could place: empty axes, non-positive or non-finite spacing, a singular
/// or non-finite direction matrix.
func requireWritable(_ grid: ImageGrid) throws {
    let d = grid.dims, s = grid.spacing
    guard d.x >= 1, d.y >= 1, d.z >= 1 else { throw ImageWriteError("grid \(d.x)×\(d.y)×\(d.z) has an empty axis") }
    guard s.min() > 0, s.max().isFinite else { throw ImageWriteError("spacing \(s) must be positive and finite") }
    guard grid.origin.x.isFinite, grid.origin.y.isFinite, grid.origin.z.isFinite,
          grid.direction.inverse != nil else {
        throw ImageWriteError("origin \(grid.origin) / direction \(grid.direction) cannot place voxels (non-finite or singular)")
    }
}
