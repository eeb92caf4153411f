// Least-squares shape fits on point sets: principal axes, planes, lines and spheres.
import OpenBCTCore

/// Principal axes of a point cloud: centroid, and eigenvectors of the covariance sorted by
/// decreasing eigenvalue (variance along each axis, mm²).
public struct PrincipalAxes: Sendable, Codable {
    public var centroid: Vec3
    public var axes: [Vec3]
    public var variances: [Double]

    /// PCA of `points` (at least one point).
    public init(_ points: [Vec3]) {
        precondition(!points.isEmpty)
        let c = points.reduce(Vec3.zero, +) / Double(points.count)
        var cov = Matrix3(columns: .zero, .zero, .zero)
        for p in points {
            let d = p - c
            cov.c0 += d * d.x; cov.c1 += d * d.y; cov.c2 += d * d.z
        }
        cov = Matrix3(columns: cov.c0 / Double(points.count), cov.c1 / Double(points.count), cov.c2 / Double(points.count))
        let (values, vectors) = cov.symmetricEigen
        centroid = c; axes = vectors; variances = values
    }
}

/// A plane through `point` with unit `normal`.
public struct Plane: Sendable, Codable, Equatable {
    public var point: Vec3
    public var normal: Vec3
    public init(point: Vec3, normal: Vec3) { self.point = point; self.normal = normalize(normal) }
    /// Signed distance (mm) of `p` along the normal.
    public func signedDistance(_ p: Vec3) -> Double { dot(p - point, normal) }

    /// The least-squares plane of `points` (normal = smallest principal axis); RMS residual in mm.
    public static func fit(_ points: [Vec3]) -> (plane: Plane, rms: Double) {
        let pca = PrincipalAxes(points)
        return (Plane(point: pca.centroid, normal: pca.axes[2]), max(0, pca.variances[2]).squareRoot())   // rounding can make it slightly negative
    }
}

/// A sphere fitted to surface points.
public struct Sphere: Sendable, Codable, Equatable {
    public var center: Vec3
    public var radius: Double

    /// Fits a sphere to `points` (≥ 4, not coplanar): the algebraic (Kåsa) fit, refined by
    /// Gauss–Newton on the geometric distances. Returns the sphere and the RMS residual (mm), or nil
    /// for a degenerate point set.
    public static func fit(_ points: [Vec3]) -> (sphere: Sphere, rms: Double)? {
        guard points.count >= 4 else { return nil }
        // |p|² = 2 c·p + (r² − |c|²): linear in (c, d).
        var ata = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        var atb = [Double](repeating: 0, count: 4)
        let mean = points.reduce(Vec3.zero, +) / Double(points.count)
        for p0 in points {
            let p = p0 - mean
            let row = [2 * p.x, 2 * p.y, 2 * p.z, 1]
            let b = dot(p, p)
            for r in 0..<4 { atb[r] += row[r] * b; for c in 0..<4 { ata[r][c] += row[r] * row[c] } }
        }
        guard let x = LinearSolve.solve(ata, atb) else { return nil }
        var c = Vec3(x[0], x[1], x[2])
        var r = (x[3] + dot(c, c)).squareRoot()
        guard r.isFinite else { return nil }
        // Gauss–Newton on residuals |p − c| − r.
        for _ in 0..<20 {
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
            var jtr = [Double](repeating: 0, count: 4)
            for p0 in points {
                let d = p0 - mean - c, l = length(d)
                guard l > 1e-12 else { continue }
                let res = l - r
                let row = [-d.x / l, -d.y / l, -d.z / l, -1]
                for a in 0..<4 { jtr[a] += row[a] * res; for b in 0..<4 { jtj[a][b] += row[a] * row[b] } }
            }
            guard let step = LinearSolve.solve(jtj, jtr.map { -$0 }) else { break }
            c += Vec3(step[0], step[1], step[2]); r += step[3]
            if abs(step[0]) + abs(step[1]) + abs(step[2]) + abs(step[3]) < 1e-9 { break }
        }
        let rms = (points.reduce(0) { acc, p in let e = length(p - mean - c) - r; return acc + e * e } / Double(points.count)).squareRoot()
        return (Sphere(center: c + mean, radius: r), rms)
    }
}

/// A line through `point` along unit `direction` (least squares: the largest principal axis).
public struct Line: Sendable, Codable, Equatable {
    public var point: Vec3
    public var direction: Vec3
    public init(point: Vec3, direction: Vec3) { self.point = point; self.direction = normalize(direction) }
    public static func fit(_ points: [Vec3]) -> Line {
        let pca = PrincipalAxes(points)
        return Line(point: pca.centroid, direction: pca.axes[0])
    }
    /// Distance (mm) of `p` from the line.
    public func distance(_ p: Vec3) -> Double { let d = p - point; return length(d - direction * dot(d, direction)) }
}
