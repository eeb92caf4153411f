// One 2-D image of a series (a single-frame file, or one frame of a multi-frame object): the facts
// that place it in space and turn its stored values into HU.
import OpenBCTCore

/// Where one slice's pixels live: a file and a frame number inside it (0 for single-frame files).
public struct SliceSource: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var frame: Int

    public init(path: String, frame: Int = 0) { self.path = path; self.frame = frame }

    public var description: String { frame == 0 ? path : "\(path) frame \(frame + 1)" }
}

/// Geometry and pixel-value transform of one slice, as read from its DICOM header.
public struct SliceHeader: Sendable, Equatable {
    /// ImagePositionPatient: LPS centre of the first transmitted pixel (mm).
    public var position: Vec3
    /// First triplet of ImageOrientationPatient: the direction of increasing column index (i).
    public var rowDirection: Vec3
    /// Second triplet of ImageOrientationPatient: the direction of increasing row index (j).
    public var columnDirection: Vec3
    /// Pixel spacing along i (between columns) and along j (between rows), mm. Note: DICOM's
    /// PixelSpacing lists the row spacing (j) first; this field is in (i, j) order.
    public var pixelSpacing: SIMD2<Double>
    public var rows: Int
    public var columns: Int
    public var rescaleSlope: Double
    public var rescaleIntercept: Double
    /// SliceThickness (mm), when present.
    public var sliceThickness: Double?
    public var source: SliceSource

    public init(position: Vec3, rowDirection: Vec3, columnDirection: Vec3, pixelSpacing: SIMD2<Double>,
                rows: Int, columns: Int, rescaleSlope: Double = 1, rescaleIntercept: Double = 0,
                sliceThickness: Double? = nil, source: SliceSource) {
        self.position = position; self.rowDirection = rowDirection; self.columnDirection = columnDirection
        self.pixelSpacing = pixelSpacing; self.rows = rows; self.columns = columns
        self.rescaleSlope = rescaleSlope; self.rescaleIntercept = rescaleIntercept
        self.sliceThickness = sliceThickness; self.source = source
    }

    /// Unit normal of the slice plane: rowDirection × columnDirection (right-handed with i, j).
    public var normal: Vec3 { normalize(cross(rowDirection, columnDirection)) }

    /// True when both slices have the same orientation within `tolerance` (per direction-cosine component).
    public func hasSameOrientation(as other: SliceHeader, tolerance: Double = 1e-4) -> Bool {
        let dr = rowDirection - other.rowDirection, dc = columnDirection - other.columnDirection
        return pointwiseMax(pointwiseMax(dr, -dr), pointwiseMax(dc, -dc)).max() <= tolerance
    }
}
