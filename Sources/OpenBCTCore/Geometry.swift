// Small fixed-size linear algebra for image geometry (LPS patient space, millimetres).

/// A 3-vector of doubles (positions in mm, directions, spacings).
public typealias Vec3 = SIMD3<Double>

/// A 3×3 matrix stored by columns. Used for direction cosines: column `c` is the unit vector of
/// image axis `c` (i, j or k) expressed in LPS patient coordinates.
public struct Matrix3: Sendable, Equatable, Hashable, Codable {
    public var columns: (Vec3, Vec3, Vec3) {
        get { (c0, c1, c2) }
        set { (c0, c1, c2) = newValue }
    }
    public var c0: Vec3
    public var c1: Vec3
    public var c2: Vec3

    public init(columns c0: Vec3, _ c1: Vec3, _ c2: Vec3) {
        self.c0 = c0; self.c1 = c1; self.c2 = c2
    }

    /// Builds a matrix from rows.
    public init(rows r0: Vec3, _ r1: Vec3, _ r2: Vec3) {
        self.init(columns: Vec3(r0.x, r1.x, r2.x), Vec3(r0.y, r1.y, r2.y), Vec3(r0.z, r1.z, r2.z))
    }

    public static let identity = Matrix3(columns: Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1))

    public subscript(row: Int, column: Int) -> Double {
        get { column == 0 ? c0[row] : column == 1 ? c1[row] : c2[row] }
        set {
            switch column {
            case 0: c0[row] = newValue
            case 1: c1[row] = newValue
            default: c2[row] = newValue
            }
        }
    }

    public var transposed: Matrix3 { Matrix3(rows: c0, c1, c2) }

    public var determinant: Double { dot(c0, cross(c1, c2)) }

    /// The inverse, or nil when the matrix is singular (|det| below 1e-12).
    public var inverse: Matrix3? {
        let det = determinant
        guard abs(det) > 1e-12, det.isFinite else { return nil }
        // Rows of the inverse are the cross products of the columns divided by the determinant.
        return Matrix3(rows: cross(c1, c2) / det, cross(c2, c0) / det, cross(c0, c1) / det)
    }

    public static func * (m: Matrix3, v: Vec3) -> Vec3 { m.c0 * v.x + m.c1 * v.y + m.c2 * v.z }

    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(columns: a * b.c0, a * b.c1, a * b.c2)
    }

    public static func == (a: Matrix3, b: Matrix3) -> Bool { a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2 }
    public func hash(into h: inout Hasher) { h.combine(c0); h.combine(c1); h.combine(c2) }

    /// Rotation by `angle` radians about the unit vector `axis` (right-handed, Rodrigues).
    public static func rotation(axis: Vec3, angle: Double) -> Matrix3 {
        let a = normalize(axis), c = cos(angle), s = sin(angle), t = 1 - c
        return Matrix3(rows:
            Vec3(t * a.x * a.x + c, t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y),
            Vec3(t * a.x * a.y + s * a.z, t * a.y * a.y + c, t * a.y * a.z - s * a.x),
            Vec3(t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c))
    }

    /// Largest absolute deviation from orthonormality (|MᵀM − I|∞).
    public var orthonormalityError: Double {
        let p = transposed * self
        var e = 0.0
        for r in 0..<3 { for c in 0..<3 { e = max(e, abs(p[r, c] - (r == c ? 1 : 0))) } }
        return e
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inlinable public func dot(_ a: Vec3, _ b: Vec3) -> Double { (a * b).sum() }
@inlinable public func cross(_ a: Vec3, _ b: Vec3) -> Vec3 {
    Vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
@inlinable public func length(_ a: Vec3) -> Double { dot(a, a).squareRoot() }
@inlinable public func normalize(_ a: Vec3) -> Vec3 { a / length(a) }

extension Matrix3 {
    /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: eigenvalues in decreasing
    /// order with their unit eigenvectors (principal axes of covariance and inertia tensors).
    public var symmetricEigen: (values: [Double], vectors: [Vec3]) {
        var a = [[self[0, 0], self[0, 1], self[0, 2]], [self[1, 0], self[1, 1], self[1, 2]], [self[2, 0], self[2, 1], self[2, 2]]]
        var v: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        for _ in 0..<50 {
            let off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2]
            if off < 1e-30 { break }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] where abs(a[p][q]) > 1e-300 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<3 {   // A ← A·J
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq
                }
                for k in 0..<3 {   // A ← Jᵀ·A
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk
                }
                for k in 0..<3 {   // V ← V·J
                    let vkp = v[k][p], vkq = v[k][q]
                    v[k][p] = c * vkp - s * vkq; v[k][q] = s * vkp + c * vkq
                }
            }
        }
        let order = [0, 1, 2].sorted { a[$0][$0] > a[$1][$1] }
        return (order.map { a[$0][$0] }, order.map { normalize(Vec3(v[0][$0], v[1][$0], v[2][$0])) })
    }
}
