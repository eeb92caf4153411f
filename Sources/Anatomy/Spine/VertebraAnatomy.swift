// Within one vertebra: body versus posterior elements (a pedicle cut plane), the trabecular core,
// and the body's landmarks (centroid, endplates, axis, height).
import OpenBCTCore

/// Landmarks of a vertebral body, LPS mm.
public struct VertebraLandmarks: Sendable, Codable, Equatable {
    public var bodyCentroid: Vec3
    /// Least-squares planes through the superior and inferior endplate surfaces.
    public var superiorEndplate: Plane
    public var inferiorEndplate: Plane
    /// Unit body axis, inferior → superior (mean of the endplate normals).
    public var bodyAxis: Vec3
    /// Distance between the endplate planes along the axis through the centroid (mm).
    public var heightMM: Double
    /// Unit anterior direction of the body (from the posterior elements toward the body).
    public var anterior: Vec3
    /// The pedicle cut plane (normal = `anterior`): body in front, posterior elements behind.
    public var pedicleCutPlane: Plane
}

/// Body / posterior split, trabecular core and landmarks of one vertebra (working-grid indices).
struct VertebraAnatomy {
    /// The same for a vertebra given only as a mask (an imported segmentation): its body is what an
    /// opening of `bodyOpeningRadiusMM` keeps (pedicles and processes are thinner).
    init(importedVoxels voxels: [Int], grid: ImageGrid, bodyOpeningRadiusMM: Double, coreErosionMM: Double) {
        var opened: [Int] = []
        if let region = MaskRegion(voxels: voxels, parent: grid, marginMM: bodyOpeningRadiusMM) {
            let comps = Components(Morphology.open(region.mask, radius: bodyOpeningRadiusMM), connectivity: .twentySix)
            if comps.count > 0 { opened = region.parentIndices(of: comps.mask(of: 1)) }
        }
        self.init(voxels: voxels, body: opened.isEmpty ? voxels : opened, grid: grid, coreErosionMM: coreErosionMM)
    }

    var body: [Int] = []
    var posterior: [Int] = []
    var core: [Int] = []
    var landmarks: VertebraLandmarks?

    /// - Parameters:
    ///   - voxels: the whole vertebra; `body`: its opened body piece (pedicles and processes removed).
    init(voxels: [Int], body opened: [Int], grid: ImageGrid, coreErosionMM: Double) {
        let n = grid.dims
        let point = { (v: Int) in grid.physicalPoint(index: indexVector(v, n)) }
        let bodyCentroid = opened.reduce(Vec3.zero) { $0 + point($1) } / Double(max(1, opened.count))
        let openedSet = Set(opened)
        let rest = voxels.filter { !openedSet.contains($0) }
        // Anterior: from the posterior elements' centroid to the body's, in the axial plane.
        var anterior = Vec3(0, -1, 0)   // LPS −y, used when no posterior elements were found
        if !rest.isEmpty {
            let restCentroid = rest.reduce(Vec3.zero) { $0 + point($1) } / Double(rest.count)
            var d = bodyCentroid - restCentroid; d.z = 0
            if length(d) > 5 { anterior = normalize(d) }
        }
        // The cut plane sits at the body's posterior wall: the 2nd percentile of the opened body along
        // the anterior direction (robust to a stray voxel).
        let projections = opened.map { dot(point($0) - bodyCentroid, anterior) }.sorted()
        let wall = projections.isEmpty ? 0 : projections[projections.count / 50]
        let cut = Plane(point: bodyCentroid + anterior * wall, normal: anterior)
        for v in voxels { if cut.signedDistance(point(v)) >= 0 { body.append(v) } else { posterior.append(v) } }

        if let region = MaskRegion(voxels: body, parent: grid, marginMM: 1) {
            let eroded = Morphology.erode(HoleFilling.fill3D(region.mask), radius: coreErosionMM)
            core = region.parentIndices(of: eroded).filter { cut.signedDistance(point($0)) >= coreErosionMM }
        }
        let finalCentroid = body.reduce(Vec3.zero) { $0 + point($1) } / Double(max(1, body.count))
        landmarks = VertebraAnatomy.landmarks(body: body, grid: grid, centroid: finalCentroid, anterior: anterior, cut: cut)
    }

    /// Endplates from the top- and bottom-most body voxel of each axial column in the central part
    /// of the body's footprint (the rim and osteophytes are left out).
    static func landmarks(body: [Int], grid: ImageGrid, centroid: Vec3, anterior: Vec3, cut: Plane) -> VertebraLandmarks? {
        let n = grid.dims
        var top: [Int: Int] = [:], bottom: [Int: Int] = [:]   // column (i + nx·j) → k
        for v in body {
            let column = v % (n.x * n.y), k = v / (n.x * n.y)
            top[column] = max(top[column] ?? k, k); bottom[column] = min(bottom[column] ?? k, k)
        }
        guard top.count >= 9 else { return nil }
        let centre = grid.continuousIndex(physical: centroid)
        // Central footprint: columns within 60 % of the footprint's radius from the centroid.
        // Columns in index order: the plane fits' rounding follows the order of their points (a dictionary's does not repeat).
        let columns = top.keys.sorted()
        let radial = columns.map { c -> Double in
            let d = (Vec3(Double(c % n.x), Double(c / n.x), centre.z) - centre) * grid.spacing
            return length(SIMD3(d.x, d.y, 0))
        }
        let rMax = radial.max() ?? 0
        var sup: [Vec3] = [], inf: [Vec3] = []
        let kUp = grid.direction.c2.z >= 0   // does k run toward the head?
        for (c, r) in zip(columns, radial) where r <= 0.6 * rMax {
            let i = Double(c % n.x), j = Double(c / n.x)
            // Surfaces lie half a voxel beyond the outermost voxel centres.
            let high = grid.physicalPoint(index: Vec3(i, j, Double(top[c]!) + 0.5))
            let low = grid.physicalPoint(index: Vec3(i, j, Double(bottom[c]!) - 0.5))
            sup.append(kUp ? high : low); inf.append(kUp ? low : high)
        }
        guard sup.count >= 3 else { return nil }
        var s = Plane.fit(sup).plane, f = Plane.fit(inf).plane
        let superior = normalize(grid.direction.c2 * (grid.direction.c2.z >= 0 ? 1 : -1))
        if dot(s.normal, superior) < 0 { s.normal = -s.normal }
        if dot(f.normal, superior) < 0 { f.normal = -f.normal }
        let axis = normalize(s.normal + f.normal)
        // Height: where the axis line through the centroid crosses each plane.
        func hit(_ p: Plane) -> Double { dot(p.point - centroid, p.normal) / dot(axis, p.normal) }
        let height = hit(s) - hit(f)
        return VertebraLandmarks(bodyCentroid: centroid, superiorEndplate: s, inferiorEndplate: f, bodyAxis: axis,
                                 heightMM: height, anterior: anterior, pedicleCutPlane: cut)
    }
}
