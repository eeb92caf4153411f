// Places the trabecular VOI of one vertebral body in its vertebral frame: a central elliptic
// cylinder, kept ≥ a margin inside the body (clear of cortex and endplates) and outside the
// mid-height slab of the basivertebral vein.
import Anatomy
import OpenBCTCore

/// The vertebral frame and the VOI voxels of one body.
struct TrabecularVOIBuilder {
    var options: SpineBMDOptions

    /// The VOI of a body given by its voxels (CT linear indices) and landmarks; nil when nothing is kept.
    /// `frameNote` is set when the landmarks were missing and the grid axes stood in.
    func build(body: [Int], landmarks: VertebraLandmarks?, grid: ImageGrid) -> (voi: TrabecularVOI, voxels: [Int], frameNote: String?)? {
        guard let region = MaskRegion(voxels: body, parent: grid, marginMM: 1) else { return nil }
        let n = grid.dims
        let point = { (v: Int) in grid.physicalPoint(index: Vec3(Double(v % n.x), Double((v / n.x) % n.y), Double(v / (n.x * n.y)))) }
        // Frame: body centroid, body axis, anterior made perpendicular to the axis.
        var frameNote: String?
        let origin: Vec3, axis: Vec3
        var anterior: Vec3
        if let l = landmarks {
            origin = l.bodyCentroid; axis = normalize(l.bodyAxis); anterior = l.anterior
        } else {
            origin = body.reduce(Vec3.zero) { $0 + point($1) } / Double(body.count)
            axis = normalize(grid.direction.c2 * (grid.direction.c2.z >= 0 ? 1 : -1))
            anterior = Vec3(0, -1, 0)   // LPS: −y is anterior
            frameNote = "no landmarks: the VOI frame uses the image axes (superior, anterior = −y)"
        }
        anterior = normalize(anterior - axis * dot(anterior, axis))
        let lateral = cross(axis, anterior)

        // Depth inside the (hole-filled) body: the cortex and endplates are the outer millimetres.
        let filled = HoleFilling.fill3D(region.mask)
        let depth = DistanceTransform.depth(inside: filled)
        let inside = filled.voxels.indices.filter { filled.voxels[$0] != 0 }
        let local = inside.map { idx -> Vec3 in
            let d = point(region.parentIndex(idx)) - origin
            return Vec3(dot(d, lateral), dot(d, anterior), dot(d, axis))
        }
        // Body extents at mid-height (central slab), robust to stray voxels (2nd–98th percentiles).
        let slab = max(1.5 * grid.spacing.z, 4.0)
        let mid = local.filter { abs($0.z) <= slab }
        guard mid.count >= 9 else { return nil }
        func span(_ values: [Double]) -> (centre: Double, half: Double) {
            let s = values.sorted()
            let lo = s[s.count / 50], hi = s[s.count - 1 - s.count / 50]
            return ((lo + hi) / 2, (hi - lo) / 2)
        }
        let lat = span(mid.map(\.x)), ap = span(mid.map(\.y))
        let centreU = lat.centre, centreV = ap.centre + options.anteriorShiftFraction * ap.half
        let semiU = options.lateralFraction * lat.half, semiV = options.anteroposteriorFraction * ap.half
        guard semiU > 0, semiV > 0 else { return nil }

        let margin = options.effectiveCortexMargin(spacing: grid.spacing)
        var kept: [Int] = []
        var wMin = Double.infinity, wMax = -Double.infinity
        for (index, idx) in inside.enumerated() {
            let q = local[index]
            let e = (q.x - centreU) * (q.x - centreU) / (semiU * semiU) + (q.y - centreV) * (q.y - centreV) / (semiV * semiV)
            guard e <= 1, Double(depth[idx]) >= margin, abs(q.z) >= options.veinHalfThicknessMM else { continue }
            kept.append(region.parentIndex(idx))
            wMin = min(wMin, q.z); wMax = max(wMax, q.z)
        }
        guard !kept.isEmpty else { return nil }
        let voi = TrabecularVOI(origin: origin, axis: axis, anterior: anterior,
                                ellipseCentreMM: [centreU, centreV], lateralSemiAxisMM: semiU, anteroposteriorSemiAxisMM: semiV, cortexMarginMM: margin,
                                voxelCount: kept.count, volumeMM3: Double(kept.count) * grid.voxelVolume, axialRangeMM: [wMin, wMax])
        return (voi, kept, frameNote)
    }
}
