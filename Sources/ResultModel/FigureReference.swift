// Figures travel as files beside the document, each named and pinned by its SHA-256.

/// A figure file written in the document's folder. Renderers open `file` relative to the document and
/// must check `sha256` before use: a mismatch means the folder was altered.
public struct FigureReference: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, Equatable {
        /// CT slice (greyscale, bone window) with the segmentation outline.
        case ctSliceOverlay
        /// DXA-like projection of a femur with its regions of interest.
        case dxaProjection
        /// Failed (yielded) tissue at the strength peak, projected on the bone.
        case failedTissueMap
        /// Force–displacement curve data (CSV: displacement_mm,force_N,yieldedFraction).
        case forceDisplacementData
        /// The anatomy label map (NIfTI).
        case labelMap
    }
    /// Unique id within the document ("ct-axial-hip", "dxa-left", …).
    public var id: String
    public var kind: Kind
    /// File name relative to the document's folder.
    public var file: String
    public var mediaType: String
    public var sha256: String
    public var bytes: Int
    /// Pixel size of images.
    public var width: Int?
    public var height: Int?
    /// What it shows, with the site and side.
    public var caption: String
    public var site: AnalysisSite?
    public var side: BodySide?
    /// Image geometry: physical size of one pixel (mm) along x and y.
    public var pixelSize_mm: [Double]?
    /// Overlays given as data, so a renderer can draw them itself: named polygons in pixel coordinates.
    public var overlays: [FigureOverlay]
    public init(id: String, kind: Kind, file: String, mediaType: String, sha256: String, bytes: Int, width: Int? = nil,
                height: Int? = nil, caption: String, site: AnalysisSite? = nil, side: BodySide? = nil,
                pixelSize_mm: [Double]? = nil, overlays: [FigureOverlay] = []) {
        self.id = id; self.kind = kind; self.file = file; self.mediaType = mediaType; self.sha256 = sha256; self.bytes = bytes
        self.width = width; self.height = height; self.caption = caption; self.site = site; self.side = side
        self.pixelSize_mm = pixelSize_mm; self.overlays = overlays
    }
}

/// A named polygon (e.g. a DXA region box) in a figure's pixel coordinates (x right, y down).
public struct FigureOverlay: Codable, Sendable, Equatable {
    public var name: String
    /// Flattened [x0, y0, x1, y1, …].
    public var points: [Double]
    public init(name: String, points: [Double]) { self.name = name; self.points = points }
}
