// NIfTI geometry: which transform to trust (sform, then qform, then pixdim — nibabel's
// get_best_affine), RAS↔LPS, and the decomposition of an affine into spacing + direction cosines.
import Foundation
import OpenBCTCore

extension NIfTIHeader {
    /// Which header transform places the voxels.
    public enum AffineSource: String, Sendable {
        /// `srow_x/y/z`, used when sform_code > 0.
        case sform
        /// Quaternion + qoffset + pixdim (qfac in pixdim[0]), used when only qform_code > 0.
        case qform
        /// Neither code set: voxel sizes only, centred like nibabel's base affine (x flipped). Orientation
        /// is a guess; callers should warn.
        case pixdim
    }

    public var affineSource: AffineSource { sformCode > 0 ? .sform : qformCode > 0 ? .qform : .pixdim }

    /// Largest cosine tolerated between voxel axes of an sform (shear) before the file is refused.
    public static let shearTolerance = 1e-4

    /// The voxel-index → RAS mm affine (3 rows × 4 columns) from the transform `affineSource` names,
    /// exactly as nibabel's `get_best_affine` computes it.
    public func affineRAS() throws -> [[Double]] {
        switch affineSource {
        case .sform:
            return srow
        case .qform:
            let (b, c, d) = (quaternion.x, quaternion.y, quaternion.z)
            let w2 = 1 - (b * b + c * c + d * d)
            guard w2 > -1e-6 else {
                throw InputError(location: "header fields quatern_b/c/d (qform)",
                                 "quaternion (\(b), \(c), \(d)) has norm above 1; expected a unit rotation")
            }
            let r = Self.rotation(w: max(0, w2).squareRoot(), x: b, y: c, z: d)
            // qfac (pixdim[0]) flips the third axis; the standard reads 0 as 1.
            let qfac: Double = pixdim[0] < 0 ? -1 : 1
            let zooms = Vec3(pixdim[1], pixdim[2], pixdim[3] * qfac)
            return (0..<3).map { row in [r[row, 0] * zooms.x, r[row, 1] * zooms.y, r[row, 2] * zooms.z, qoffset[row]] }
        case .pixdim:
            let z = Vec3(-pixdim[1], pixdim[2], pixdim[3])
            let centre = Vec3(Double(dims.x - 1), Double(dims.y - 1), Double(dims.z - 1)) / 2
            return (0..<3).map { row in (0..<3).map { $0 == row ? z[row] : 0 } + [-z[row] * centre[row]] }
        }
    }

    /// The LPS voxel grid the header describes.
    ///
    /// Throws when the affine is singular (a zero or dependent voxel axis) or sheared by more than
    /// `shearTolerance`: `ImageGrid` holds spacing × orthogonal directions, and silently dropping a
    /// shear would misplace voxels.
    public func grid() throws -> ImageGrid {
        guard dims.x >= 1, dims.y >= 1, dims.z >= 1 else {
            throw InputError(location: "header field dim", "dims \(dims.x)×\(dims.y)×\(dims.z); expected at least 1 voxel per axis")
        }
        let a = try affineRAS()
        let field: String
        switch affineSource {
        case .sform: field = "header fields srow_x/srow_y/srow_z (sform)"
        case .qform: field = "header fields quatern_b/c/d, pixdim (qform)"
        case .pixdim: field = "header field pixdim (no sform or qform)"
        }
        guard a.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw InputError(location: field, "affine has non-finite entries \(a); expected finite numbers")
        }
        // RAS → LPS: negate the x and y rows.
        let m = Matrix3(rows: Vec3(-a[0][0], -a[0][1], -a[0][2]), Vec3(-a[1][0], -a[1][1], -a[1][2]),
                        Vec3(a[2][0], a[2][1], a[2][2]))
        let origin = Vec3(-a[0][3], -a[1][3], a[2][3])
        let spacing = Vec3(length(m.c0), length(m.c1), length(m.c2))
        let volumeRatio = abs(m.determinant) / (spacing.x * spacing.y * spacing.z)
        guard spacing.min() > 0, volumeRatio > 1e-6 else {
            throw InputError(location: field,
                             "singular affine (voxel axis lengths \(spacing.x), \(spacing.y), \(spacing.z); determinant \(m.determinant)); expected three independent voxel axes")
        }
        let direction = Matrix3(columns: m.c0 / spacing.x, m.c1 / spacing.y, m.c2 / spacing.z)
        let shear = max(abs(dot(direction.c0, direction.c1)), abs(dot(direction.c0, direction.c2)),
                        abs(dot(direction.c1, direction.c2)))
        guard shear <= Self.shearTolerance else {
            throw InputError(location: field,
                             "\(affineSource.rawValue) is not orthogonal (sheared): largest cosine between voxel axes is \(shear), tolerance \(Self.shearTolerance)")
        }
        return ImageGrid(dims: dims, spacing: spacing, origin: origin, direction: direction)
    }

    /// Geometry facts a user should hear about: orientation guessed from pixdim alone, or an sform
    /// and qform that both claim validity but place the corner voxels more than 0.01 mm apart
    /// (the sform is used, as nibabel and ITK do).
    public func geometryWarnings() -> [String] {
        switch affineSource {
        case .pixdim:
            return ["NIfTI has neither sform nor qform (both codes 0): orientation and position are guessed from pixdim (nibabel's convention)"]
        case .qform:
            return []
        case .sform:
            guard qformCode > 0, let s = try? grid() else { return [] }
            var q = self
            q.sformCode = 0
            guard let qg = try? q.grid() else {
                return ["NIfTI qform (code \(qformCode)) is invalid; the sform (code \(sformCode)) is used"]
            }
            guard !s.isAligned(with: qg, tolerance: 0.01) else { return [] }
            let corner = Vec3(Double(s.dims.x - 1), Double(s.dims.y - 1), Double(s.dims.z - 1))
            let gap = max(length(s.origin - qg.origin), length(s.physicalPoint(index: corner) - qg.physicalPoint(index: corner)))
            return [String(format: "NIfTI sform and qform disagree by up to %.3g mm at the corner voxels; the sform (code %d) is used", gap, sformCode)]
        }
    }

    /// Rotation matrix of the quaternion (w, x, y, z), normalised (nibabel's quat2mat).
    static func rotation(w: Double, x: Double, y: Double, z: Double) -> Matrix3 {
        let n = w * w + x * x + y * y + z * z
        guard n > 1e-12 else { return .identity }
        let s = 2 / n
        let (X, Y, Z) = (x * s, y * s, z * s)
        let (wX, wY, wZ) = (w * X, w * Y, w * Z)
        let (xX, xY, xZ) = (x * X, x * Y, x * Z)
        let (yY, yZ, zZ) = (y * Y, y * Z, z * Z)
        return Matrix3(rows: Vec3(1 - (yY + zZ), xY - wZ, xZ + wY),
                       Vec3(xY + wZ, 1 - (xX + zZ), yZ - wX),
                       Vec3(xZ - wY, yZ + wX, 1 - (xX + yY)))
    }

    /// Quaternion (b, c, d) with a ≥ 0 of a proper rotation matrix (nifti_mat44_to_quatern).
    static func quaternion(of r: Matrix3) -> Vec3 {
        var (a, b, c, d) = (0.0, 0.0, 0.0, 0.0)
        let trace = r[0, 0] + r[1, 1] + r[2, 2] + 1
        if trace > 0.5 {
            a = 0.5 * trace.squareRoot()
            b = 0.25 * (r[2, 1] - r[1, 2]) / a
            c = 0.25 * (r[0, 2] - r[2, 0]) / a
            d = 0.25 * (r[1, 0] - r[0, 1]) / a
        } else {
            let xd = 1 + r[0, 0] - (r[1, 1] + r[2, 2])
            let yd = 1 + r[1, 1] - (r[0, 0] + r[2, 2])
            let zd = 1 + r[2, 2] - (r[0, 0] + r[1, 1])
            if xd > 1 {
                b = 0.5 * xd.squareRoot()
                c = 0.25 * (r[0, 1] + r[1, 0]) / b; d = 0.25 * (r[0, 2] + r[2, 0]) / b; a = 0.25 * (r[2, 1] - r[1, 2]) / b
            } else if yd > 1 {
                c = 0.5 * yd.squareRoot()
                b = 0.25 * (r[0, 1] + r[1, 0]) / c; d = 0.25 * (r[1, 2] + r[2, 1]) / c; a = 0.25 * (r[0, 2] - r[2, 0]) / c
            } else {
                d = 0.5 * zd.squareRoot()
                b = 0.25 * (r[0, 2] + r[2, 0]) / d; c = 0.25 * (r[1, 2] + r[2, 1]) / d; a = 0.25 * (r[1, 0] - r[0, 1]) / d
            }
        }
        let norm = (a * a + b * b + c * c + d * d).squareRoot()
        let sign: Double = a < 0 ? -1 : 1
        return Vec3(b, c, d) * (sign / norm)
    }

    /// A header for writing `grid` with voxels of `type`: sform and qform both set to the same
    /// placement with code 1 (NIFTI_XFORM_SCANNER_ANAT — coordinates come from the scanner's DICOM
    /// frame, as dcm2niix writes), units mm, no scaling, data right after the header.
    init(grid: ImageGrid, type: StoredVoxelType, version: Int, description: String) {
        let a = grid.affineRAS
        var r = Matrix3(rows: -grid.direction.transposed.c0, -grid.direction.transposed.c1, grid.direction.transposed.c2)
        let qfac: Double = r.determinant < 0 ? -1 : 1
        if qfac < 0 { r.c2 = -r.c2 }
        self.init(
            version: version, isBigEndian: false,
            dim: [3, grid.dims.x, grid.dims.y, grid.dims.z, 1, 1, 1, 1],
            pixdim: [qfac, grid.spacing.x, grid.spacing.y, grid.spacing.z, 1, 1, 1, 1],
            datatype: type.niftiCode, bitpix: 8 * type.byteSize,
            voxOffset: (version == 2 ? 540 : 348) + 4,
            sclSlope: 1, sclInter: 0, qformCode: 1, sformCode: 1,
            quaternion: Self.quaternion(of: r),
            qoffset: Vec3(a[0][3], a[1][3], a[2][3]),
            srow: Array(a.prefix(3)), xyztUnits: 2, intentCode: 0, description: description)
    }
}
