// The frame a lattice is built in: loads act along its axes, so protocols build the mesh in it.
import OpenBCTCore

/// An orthonormal right-handed frame in LPS: `axes` columns are the lattice x, y, z directions.
public struct LatticeFrame: Sendable, Hashable, Codable {
    /// A point of the frame (mm, LPS); only directions matter for meshing.
    public var origin: Vec3
    /// Columns: unit x, y, z axes in LPS.
    public var axes: Matrix3

    /// - Throws: `InputError` when `axes` is not orthonormal and right-handed (within 1e-6).
    public init(origin: Vec3 = .zero, axes: Matrix3) throws {
        guard axes.orthonormalityError < 1e-6, axes.determinant > 0 else {
            throw InputError(location: "frame axes", "must be orthonormal and right-handed, got \(axes)")
        }
        self.origin = origin; self.axes = axes
    }

    /// The frame of an image grid's own axes.
    public static func imageAxes(of grid: ImageGrid) -> LatticeFrame {
        var d = grid.direction
        if d.determinant < 0 { d.c2 = -d.c2 }   // keep right-handed: flip the slice axis of a left-handed grid
        return (try? LatticeFrame(origin: grid.origin, axes: d)) ?? LatticeFrame(unchecked: grid.origin, .identity)
    }

    init(unchecked origin: Vec3, _ axes: Matrix3) { self.origin = origin; self.axes = axes }

    /// Frame coordinates of an LPS point.
    public func local(_ p: Vec3) -> Vec3 { axes.transposed * (p - origin) }
}
