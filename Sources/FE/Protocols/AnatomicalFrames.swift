// Anatomical frames for the load cases. The anatomy stage will supply them; until then a frame can be
// given explicitly, or derived automatically from the mask's principal axes (documented fallback).
import OpenBCTCore

/// Principal axes of a point cloud: eigenvectors of its covariance, largest variance first.
public struct PrincipalAxes: Sendable {
    public var centroid: Vec3
    /// Unit eigenvectors (columns), by decreasing variance.
    public var axes: [Vec3]
    /// Variances (mm²) along `axes`.
    public var variances: [Double]

    /// Principal axes of the physical centres of voxels where `include(label)` holds.
    public init<L: VoxelValue>(of labels: Volume<L>, where include: (Int32) -> Bool) throws {
        try self.init(points: Self.points(of: labels, where: include))
    }

    /// Physical centres (LPS, mm) of the voxels where `include(label)` holds.
    public static func points<L: VoxelValue>(of labels: Volume<L>, where include: (Int32) -> Bool) -> [Vec3] {
        var points: [Vec3] = []
        let g = labels.grid
        for k in 0..<g.dims.z { for j in 0..<g.dims.y { for i in 0..<g.dims.x
        where include(Int32(roundingClamped: labels.voxels[g.linearIndex(i, j, k)].asDouble)) {
            points.append(g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))))
        } } }
        return points
    }

    /// Principal axes of `points` (at least 4 needed).
    public init(points: [Vec3]) throws {
        guard points.count >= 4 else { throw InputError(location: "labels", "too few voxels (\(points.count)) for principal axes") }
        let c = points.reduce(Vec3.zero, +) / Double(points.count)
        var cov = Matrix3(columns: .zero, .zero, .zero)
        for p in points {
            let d = p - c
            cov.c0 += d * d.x; cov.c1 += d * d.y; cov.c2 += d * d.z
        }
        let n = Double(points.count)
        let (values, vectors) = Matrix3(columns: cov.c0 / n, cov.c1 / n, cov.c2 / n).symmetricEigen
        centroid = c; axes = vectors; variances = values
    }
}

/// A right-handed orthonormal frame from a z axis and an approximate x axis (x is made orthogonal to z).
func orthonormalFrame(origin: Vec3, z: Vec3, approximateX: Vec3) throws -> LatticeFrame {
    let zu = normalize(z)
    var x = approximateX - dot(approximateX, zu) * zu
    guard length(x) > 1e-6 else { throw InputError(location: "frame", "x axis is parallel to z") }
    x = normalize(x)
    return try LatticeFrame(origin: origin, axes: Matrix3(columns: x, cross(zu, x), zu))
}

public enum VertebralFrame {
    /// Automatic vertebral frame: z = the mean normal of the superior and inferior endplates (planes
    /// fitted to the body's top and bottom surfaces over its central columns), pointing superior; x =
    /// the body's principal axis closest to the patient's left (LPS +x), made orthogonal; origin at
    /// the body's centroid. The principal axis closest to superior is the starting axis (and the
    /// fallback when the planes cannot be fitted). Why endplates: the compression protocol puts flat
    /// PMMA layers on the endplates, and its stiffness is sensitive to a few degrees of tilt between
    /// load axis and endplates (docs/fe-models.md); the body's principal axes also follow the posterior
    /// wall and pedicle stumps, the endplate normals only the surfaces that are loaded.
    public static func automatic<L: VoxelValue>(labels: Volume<L>, bodyLabel: Int32) throws -> LatticeFrame {
        let points = PrincipalAxes.points(of: labels) { $0 == bodyLabel }
        let pa = try PrincipalAxes(points: points)
        let superior = Vec3(0, 0, 1), left = Vec3(1, 0, 0)
        let zi = (0..<3).max { abs(dot(pa.axes[$0], superior)) < abs(dot(pa.axes[$1], superior)) }!
        var z = pa.axes[zi]; if dot(z, superior) < 0 { z = -z }
        let others = (0..<3).filter { $0 != zi }
        let xi = others.max { abs(dot(pa.axes[$0], left)) < abs(dot(pa.axes[$1], left)) }!
        var x = pa.axes[xi]; if dot(x, left) < 0 { x = -x }
        let start = try orthonormalFrame(origin: pa.centroid, z: z, approximateX: x)
        let spacing = min(labels.grid.spacing.x, labels.grid.spacing.y, labels.grid.spacing.z)
        let refined = endplateNormal(points, frame: start, binWidth: spacing) ?? z
        return try orthonormalFrame(origin: pa.centroid, z: refined, approximateX: x)
    }

    /// Mean unit normal (LPS, toward +z of `frame`) of least-squares planes through the highest and the
    /// lowest point of each column (bins of `binWidth` across the frame's x–y plane) within 75 % of the
    /// footprint's 95th-percentile radius — the endplates without their rims.
    static func endplateNormal(_ points: [Vec3], frame: LatticeFrame, binWidth: Double) -> Vec3? {
        let axes = frame.axes, toFrame = axes.transposed
        var top = [SIMD2<Int>: Vec3](), bottom = [SIMD2<Int>: Vec3]()
        for p in points {
            let q = toFrame * (p - frame.origin)
            let key = SIMD2(Int((q.x / binWidth).rounded(.down)), Int((q.y / binWidth).rounded(.down)))
            if q.z > top[key]?.z ?? -.infinity { top[key] = q }
            if q.z < bottom[key]?.z ?? .infinity { bottom[key] = q }
        }
        let radii = top.values.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }.sorted()
        guard radii.count >= 20 else { return nil }
        let limit = 0.75 * radii[Int(0.95 * Double(radii.count - 1))]
        func planeNormal(_ surface: [Vec3]) -> Vec3? {
            // z = a·x + b·y + c by the normal equations.
            var m = Matrix3(columns: .zero, .zero, .zero), rhs = Vec3.zero
            var used = 0
            for q in surface where (q.x * q.x + q.y * q.y).squareRoot() < limit {
                let v = Vec3(q.x, q.y, 1)
                m.c0 += v * v.x; m.c1 += v * v.y; m.c2 += v * v.z; rhs += v * q.z
                used += 1
            }
            guard used >= 10, let inverse = m.inverse else { return nil }
            let abc = inverse * rhs
            return normalize(Vec3(-abc.x, -abc.y, 1))
        }
        // Columns in key order: the normal equations' sums must not follow the dictionaries' run-dependent order.
        func surface(_ d: [SIMD2<Int>: Vec3]) -> [Vec3] { d.keys.sorted { ($0.y, $0.x) < ($1.y, $1.x) }.map { d[$0]! } }
        guard let nTop = planeNormal(surface(top)), let nBottom = planeNormal(surface(bottom)) else { return nil }
        return normalize(axes * normalize(nTop + nBottom))
    }
}

/// The femur frame of methods.md §10: z = shaft axis (distal → proximal), x in the plane of shaft and
/// neck pointing medially toward the head, y = z × x; `anterior` is the unit anterior direction.
public struct FemurFrame: Sendable, Hashable, Codable {
    public var frame: LatticeFrame
    /// Unit anterior direction (±y of the frame depending on the side).
    public var anterior: Vec3
    /// Head centre estimate (mm, LPS), for the report.
    public var headPoint: Vec3

    public init(frame: LatticeFrame, anterior: Vec3, headPoint: Vec3) {
        self.frame = frame; self.anterior = anterior; self.headPoint = headPoint
    }

    /// Automatic femur frame from a proximal-femur mask (the scan's superior direction is the first guess
    /// of the shaft axis — CT is acquired supine, shafts lie within a few tens of degrees of it):
    /// 1. shaft axis: cut the distal 30 % of the femur (along the current axis guess) into 2 mm slabs; the
    ///    line through the slabs' centroids (their first principal axis), pointing superior, is the new
    ///    guess; two rounds;
    /// 2. head point: the centroid of the femur within 10 mm of its most proximal point along the shaft
    ///    axis (the femoral head stands above the greater trochanter);
    /// 3. x = the head point's offset from the shaft axis, made orthogonal to z (medial); y = z × x;
    ///    anterior = ±y, whichever points to the patient's anterior (LPS −y).
    public static func automatic<L: VoxelValue>(labels: Volume<L>, femurLabels: Set<Int32>) throws -> FemurFrame {
        var points: [Vec3] = []
        let g = labels.grid
        for k in 0..<g.dims.z { for j in 0..<g.dims.y { for i in 0..<g.dims.x
        where femurLabels.contains(Int32(roundingClamped: labels.voxels[g.linearIndex(i, j, k)].asDouble)) {
            points.append(g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))))
        } } }
        guard points.count >= 100 else { throw InputError(location: "labels", "too few femur voxels (\(points.count)) for a femur frame") }
        var z = Vec3(0, 0, 1), shaftPoint = Vec3.zero
        for _ in 0..<2 {
            let along = points.map { dot($0, z) }
            let lo = along.min()!, hi = along.max()!
            let band = lo + 0.3 * (hi - lo), slab = 2.0
            var sums = [Vec3](repeating: .zero, count: Int((band - lo) / slab) + 1), counts = [Int](repeating: 0, count: sums.count)
            for (p, a) in zip(points, along) where a <= band {
                let b = min(sums.count - 1, Int((a - lo) / slab)); sums[b] += p; counts[b] += 1
            }
            let centroids = sums.indices.filter { counts[$0] > 0 }.map { sums[$0] / Double(counts[$0]) }
            let line = try PrincipalAxes(points: centroids)
            z = dot(line.axes[0], Vec3(0, 0, 1)) >= 0 ? line.axes[0] : -line.axes[0]
            shaftPoint = line.centroid
        }
        let along = points.map { dot($0, z) }
        let top = along.max()!
        let headVoxels = zip(points, along).filter { $0.1 >= top - 10 }.map { $0.0 }
        let head = headVoxels.reduce(Vec3.zero, +) / Double(headVoxels.count)
        let f = try orthonormalFrame(origin: shaftPoint, z: z, approximateX: head - shaftPoint)
        let y = f.axes.c1
        return FemurFrame(frame: f, anterior: dot(y, Vec3(0, -1, 0)) >= 0 ? y : -y, headPoint: head)
    }
}
