// Placement of the DXA regions on the projection image (docs/densitometry-hip.md, "Regions").
import OpenBCTCore
import Anatomy

/// Where the regions lie, in image-plane millimetres relative to the head centre (`DXAPose.plane`).
///
/// Neck-axis coordinates: t along the projected neck axis from the head centre toward the lateral
/// femur, s perpendicular to it (positive on the superior side).
public struct HipRegionGeometry: Sendable, Codable, Equatable {
    /// Unit direction of the neck axis in the image plane, head → lateral.
    public var neckLateral: SIMD2<Double>
    /// Unit perpendicular, pointing to the superior side.
    public var neckSuperior: SIMD2<Double>
    public var headRadiusMM: Double
    /// t where the neck axis meets the projected shaft axis.
    public var shaftCrossingT: Double
    /// The narrowest neck chord (mm) and the t where it lies.
    public var narrowestNeckWidthMM: Double
    public var narrowestNeckT: Double
    /// The neck box: t ∈ [neckBoxCentreT ± width/2], s ∈ [neckBoxLowS, neckBoxHighS].
    public var neckBoxCentreT: Double
    public var neckBoxWidthMM: Double
    public var neckBoxLowS: Double
    public var neckBoxHighS: Double
    /// Image-plane height of the total hip's distal edge (nil: the lesser trochanter was not found).
    public var distalEdgeY: Double?
    /// Outlines for drawing, in image pixel coordinates.
    public var neckBoxOutline: [ImagePoint]
    public var totalHipOutline: [ImagePoint]?
    /// The line dividing trochanter (above) from intertrochanter (below): the neck axis continued
    /// from the neck box's lateral edge.
    public var trochantericLine: [ImagePoint]?

    /// (t, s) of an image-plane point.
    @inlinable public func neckCoordinates(_ p: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2((p * neckLateral).sum(), (p * neckSuperior).sum())
    }

    /// The image-plane point of neck coordinates (t, s).
    @inlinable public func planePoint(t: Double, s: Double) -> SIMD2<Double> { neckLateral * t + neckSuperior * s }

    /// The region of a pixel centre at image-plane point `p` (nil: outside every region).
    @inlinable public func region(at p: SIMD2<Double>) -> HipRegion? {
        let ts = neckCoordinates(p)
        let half = neckBoxWidthMM / 2
        if ts.x < neckBoxCentreT - half { return nil }   // the head and the medial neck
        if abs(ts.x - neckBoxCentreT) <= half && ts.y >= neckBoxLowS && ts.y <= neckBoxHighS { return .femoralNeck }
        guard let distal = distalEdgeY, p.y >= distal else { return nil }
        return ts.y > 0 ? .trochanter : .intertrochanter
    }
}

/// Why regions could not be placed.
public struct HipGeometryError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

enum HipRegionPlacer {
    /// Places the regions on a projected femur: the neck box at the narrowest chord of the bone
    /// footprint between the head surface and the shaft axis, the total hip's medial edge at the box's
    /// medial edge and its distal edge below the lesser trochanter.
    static func place(image: ProjectionImage, pose: DXAPose, landmarks: FemurLandmarks, options: HipOptions) throws -> HipRegionGeometry {
        let neck = landmarks.neckAxis.direction
        var lateral = -SIMD2(dot(neck, pose.right), dot(neck, pose.up))
        guard (lateral * lateral).sum() > 1e-12 else { throw HipGeometryError(description: "the neck axis is parallel to the beam") }
        lateral /= (lateral * lateral).sum().squareRoot()
        var superior = SIMD2(-lateral.y, lateral.x)
        if superior.y < 0 { superior = -superior }
        let shaftX = pose.plane(landmarks.shaftAxis.point).x
        guard abs(lateral.x) > 1e-6 else { throw HipGeometryError(description: "the neck axis is parallel to the shaft axis in the image") }
        let shaftT = shaftX / lateral.x
        let radius = landmarks.headRadiusMM
        let half = options.neckBoxWidthMM / 2
        guard shaftT > radius else {
            throw HipGeometryError(description: String(format: "the shaft axis crosses the neck axis inside the head sphere (%.1f mm from its centre, radius %.1f mm)", shaftT, radius))
        }

        // Chords of the footprint perpendicular to the neck axis, through the axis.
        let step = image.pixelSizeMM / 2
        func isBone(_ q: SIMD2<Double>) -> Bool {
            let ip = image.imagePoint(q)
            let c = Int(ip.x.rounded(.down)), r = Int(ip.y.rounded(.down))
            return c >= 0 && r >= 0 && c < image.width && r < image.height && image.bone[c + image.width * r] != 0
        }
        func chord(_ t: Double) -> (lo: Double, hi: Double)? {
            let base = lateral * t
            guard isBone(base) else { return nil }
            var hi = 0.0, lo = 0.0
            while isBone(base + superior * (hi + step)) { hi += step }
            while isBone(base - superior * (-lo + step)) { lo -= step }
            return (lo - step / 2, hi + step / 2)
        }
        let stations = stride(from: radius, through: shaftT, by: step).compactMap { t in chord(t).map { (t: t, lo: $0.lo, hi: $0.hi) } }
        guard let narrowest = stations.min(by: { $0.hi - $0.lo < $1.hi - $1.lo }) else {
            throw HipGeometryError(description: "the projected neck axis does not run through bone between the head and the shaft")
        }
        let narrowestWidth = narrowest.hi - narrowest.lo
        // The box is centred on the narrowest chord, moved if needed to stay off the head sphere (the
        // neck narrows toward the head, so its narrowest chord often lies at the head–neck junction)
        // and, where the neck is long enough, medial of the shaft axis.
        let centre = max(min(narrowest.t, shaftT - half), radius + half)
        let inBox = stations.filter { abs($0.t - centre) <= half && $0.hi - $0.lo <= options.neckChordCapFactor * narrowestWidth }
        let lowS = (inBox.map(\.lo).min() ?? narrowest.lo) - options.regionMarginMM
        let highS = (inBox.map(\.hi).max() ?? narrowest.hi) + options.regionMarginMM

        let distal = landmarks.lesserTrochanterLevel.map { pose.plane($0).y - options.distalEdgeBelowLesserTrochanterMM }
        var geometry = HipRegionGeometry(
            neckLateral: lateral, neckSuperior: superior, headRadiusMM: radius, shaftCrossingT: shaftT,
            narrowestNeckWidthMM: narrowestWidth, narrowestNeckT: narrowest.t, neckBoxCentreT: centre,
            neckBoxWidthMM: options.neckBoxWidthMM, neckBoxLowS: lowS, neckBoxHighS: highS, distalEdgeY: distal,
            neckBoxOutline: [], totalHipOutline: nil, trochantericLine: nil)
        let corners = [(centre - half, lowS), (centre + half, lowS), (centre + half, highS), (centre - half, highS)]
        geometry.neckBoxOutline = corners.map { image.imagePoint(geometry.planePoint(t: $0.0, s: $0.1)) }
        if let distal {
            // Image rectangle ∩ {t ≥ medial edge} ∩ {y ≥ distal edge}.
            let w = Double(image.width) * image.pixelSizeMM, h = Double(image.height) * image.pixelSizeMM
            let rect = [SIMD2(image.leftMM, image.topMM), SIMD2(image.leftMM + w, image.topMM),
                        SIMD2(image.leftMM + w, image.topMM - h), SIMD2(image.leftMM, image.topMM - h)]
            let medialEdge = centre - half
            let clipped = ConvexClip.clip(ConvexClip.clip(rect, keep: { ($0 * lateral).sum() - medialEdge }), keep: { $0.y - distal })
            geometry.totalHipOutline = clipped.map(image.imagePoint)
            // The trochanteric line: from the box's lateral edge on the axis, laterally to the outline.
            let start = geometry.planePoint(t: centre + half, s: 0)
            let exit = ConvexClip.exitDistance(from: start, direction: lateral, polygon: clipped)
            geometry.trochantericLine = [image.imagePoint(start), image.imagePoint(start + lateral * exit)]
        }
        return geometry
    }
}

/// Convex-polygon helpers for the region outlines.
enum ConvexClip {
    /// Sutherland–Hodgman: the part of `polygon` where `keep(p) ≥ 0` (`keep` affine).
    static func clip(_ polygon: [SIMD2<Double>], keep: (SIMD2<Double>) -> Double) -> [SIMD2<Double>] {
        var out: [SIMD2<Double>] = []
        for (i, a) in polygon.enumerated() {
            let b = polygon[(i + 1) % polygon.count]
            let fa = keep(a), fb = keep(b)
            if fa >= 0 { out.append(a) }
            if (fa >= 0) != (fb >= 0) { out.append(a + (b - a) * (fa / (fa - fb))) }
        }
        return out
    }

    /// How far a ray from `start` (inside the convex `polygon`) travels before leaving it.
    static func exitDistance(from start: SIMD2<Double>, direction d: SIMD2<Double>, polygon: [SIMD2<Double>]) -> Double {
        var best = Double.infinity
        for (i, a) in polygon.enumerated() {
            let b = polygon[(i + 1) % polygon.count], e = b - a
            let denom = d.x * e.y - d.y * e.x
            guard abs(denom) > 1e-12 else { continue }
            let w = a - start
            let t = (w.x * e.y - w.y * e.x) / denom, u = (w.x * d.y - w.y * d.x) / denom
            if t > 1e-9 && u >= -1e-9 && u <= 1 + 1e-9 { best = min(best, t) }
        }
        return best.isFinite ? best : 0
    }
}
