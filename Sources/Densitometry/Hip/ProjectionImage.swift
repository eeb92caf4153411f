// The 2-D DXA-like image of one femur: areal density per pixel, the bone footprint and the regions.

/// A point in image pixel coordinates: x to the right, y down, (0, 0) the top-left corner of the
/// top-left pixel (pixel (c, r) covers [c, c + 1) × [r, r + 1)).
public struct ImagePoint: Sendable, Codable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// The projection of one femur in its DXA-like pose. Row 0 is the most proximal row; columns run
/// toward the patient's left (as a radiograph seen from the front).
public struct ProjectionImage: Sendable {
    public var width: Int
    public var height: Int
    public var pixelSizeMM: Double
    /// Image-plane coordinates (mm, `DXAPose.plane`) of the top-left corner of the image.
    public var leftMM: Double
    public var topMM: Double
    /// Areal mineral density per pixel, g/cm² (row-major): the pixel's mineral mass over its area.
    public var arealDensity: [Float]
    /// 1 where the projected femur mask covers the pixel centre (the bone area), else 0.
    public var bone: [UInt8]
    /// 1 where a femur voxel lying on the CT volume's boundary projects (the femur may be cut there).
    public var fieldOfViewCut: [UInt8]
    /// `HipRegion.code` per pixel (0: outside every region). Total hip = codes 1–3.
    public var regions: [UInt8]

    /// Image-plane coordinates (mm) of a pixel's centre.
    @inlinable public func planeCoordinates(column c: Int, row r: Int) -> SIMD2<Double> {
        SIMD2(leftMM + (Double(c) + 0.5) * pixelSizeMM, topMM - (Double(r) + 0.5) * pixelSizeMM)
    }

    /// Image pixel coordinates of an image-plane point (mm).
    @inlinable public func imagePoint(_ p: SIMD2<Double>) -> ImagePoint {
        ImagePoint(x: (p.x - leftMM) / pixelSizeMM, y: (topMM - p.y) / pixelSizeMM)
    }

    /// Pixel area in cm².
    public var pixelAreaCM2: Double { pixelSizeMM * pixelSizeMM / 100 }

    /// Mineral mass of a pixel, g.
    @inlinable public func mineralMassG(_ index: Int) -> Double { Double(arealDensity[index]) * pixelAreaCM2 }

    /// An 8-bit grey rendering: 0 g/cm² black, `white` g/cm² (default: the image maximum) white.
    public func grey(white: Double? = nil) -> [UInt8] {
        let top = white ?? Double(arealDensity.max() ?? 0)
        guard top > 0 else { return [UInt8](repeating: 0, count: arealDensity.count) }
        return arealDensity.map { UInt8(max(0, min(255, (Double($0) / top * 255).rounded()))) }
    }

    /// A binary PGM (P5) of `grey(white:)`, for inspection and documentation.
    public func pgm(white: Double? = nil) -> [UInt8] {
        Array("P5\n\(width) \(height)\n255\n".utf8) + grey(white: white)
    }
}
