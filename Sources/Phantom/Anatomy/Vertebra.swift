// A vertebra (T12–L5): body with a thin cortical shell and endplates, trabecular core and
// basivertebral vein; pedicles, laminae, spinous, transverse and articular processes.
import Foundation
import OpenBCTCore

struct Vertebra: Sendable {
    /// 0 = T12 … 5 = L5 (as in `PhantomLabel`).
    let level: Int
    let centre: Vec3
    /// Local frame: x lateral (patient left), y posterior, z along the spine (superior).
    let ex: Vec3, ey: Vec3, ez: Vec3
    /// Body semi-axes (lateral, antero-posterior) and height (mm).
    let a: Double, b: Double, height: Double
    /// Length of the transverse processes beyond the body.
    let transverseReach: Double
    let bounds: Bounds

    init(level: Int, centreZ: Double, a: Double, b: Double, height: Double, transverseReach: Double) {
        self.level = level; self.a = a; self.b = b; self.height = height; self.transverseReach = transverseReach
        centre = Vec3(0, SpineCurve.y(centreZ), centreZ)
        ez = SpineCurve.tangent(centreZ)
        ex = Vec3(1, 0, 0)
        ey = normalize(cross(ez, ex))
        bounds = Bounds(lower: centre - Vec3(a + transverseReach + 8, b + 10, height / 2 + 16),
                        upper: centre + Vec3(a + transverseReach + 8, b + 66, height / 2 + 16))
    }

    @inline(__always) func local(_ p: Vec3) -> Vec3 {
        let v = p - centre
        return Vec3(dot(v, ex), dot(v, ey), dot(v, ez))
    }

    /// The endplate planes: (point, outward normal) for the superior and inferior endplates.
    var endplates: (superior: (Vec3, Vec3), inferior: (Vec3, Vec3)) {
        ((centre + ez * (height / 2), ez), (centre - ez * (height / 2), -ez))
    }

    /// Distance to the body surface in local coordinates: an elliptic cylinder with a slight waist,
    /// a flatter posterior wall and rounded rims.
    func bodyDistance(_ q: Vec3) -> Double {
        let t = 2 * q.z / height
        let waist = 1 - 0.05 * max(0, 1 - t * t)
        let bb = (q.y > 0 ? 0.8 * b : b) * waist
        return SDF.extrude(SDF.ellipse(q.x, q.y, a * waist, bb), q.z, halfHeight: height / 2, rounding: 2.5)
    }

    func posteriorDistance(_ q: Vec3) -> Double {
        let h = height
        let ax = abs(q.x)   // bilateral symmetry: evaluate one side
        let m = Vec3(ax, q.y, q.z)
        func cm(_ x0: Double, _ y0: Double, _ z0: Double, _ x1: Double, _ y1: Double, _ z1: Double, _ r: Double) -> Double {
            SDF.capsule(m, Vec3(x0, y0, z0), Vec3(x1, y1, z1), r)
        }
        let pedicle = cm(0.55 * a, 0.5 * b, 0.1 * h, 0.6 * a, b + 16, 0.1 * h, 5)
        let lamina = cm(0.6 * a, b + 16, 0.05 * h, 0, b + 28, 0, 4)
        let transverse = cm(0.6 * a, b + 14, 0.1 * h, a + transverseReach, b + 18, 0.05 * h, 4.5)
        let superiorFacet = cm(0.7 * a, b + 18, 0.15 * h, 0.75 * a, b + 20, 0.55 * h + 4, 4.5)
        let inferiorFacet = cm(0.45 * a, b + 22, -0.1 * h, 0.5 * a, b + 24, -0.5 * h - 4, 4.5)
        // Spinous process: a plate, thin laterally and tall, sloping caudally.
        let spinous = SDF.ellipsoid(q - Vec3(0, b + 40, -0.15 * h), Vec3(3.5, 15, 0.4 * h))
        var d = SDF.smoothUnion(pedicle, lamina, 3)
        d = SDF.smoothUnion(d, transverse, 3)
        d = SDF.smoothUnion(d, superiorFacet, 3)
        d = SDF.smoothUnion(d, inferiorFacet, 3)
        return SDF.smoothUnion(d, spinous, 3)
    }

    /// Basivertebral vein: a channel from the posterior wall to the body centre that forks.
    func veinDistance(_ q: Vec3) -> Double {
        let hub = Vec3(0, 0.1 * b, 0)
        let trunk = SDF.capsule(q, Vec3(0, 0.8 * b + 2, 0), hub, 2.2)
        let branch = SDF.capsule(Vec3(abs(q.x), q.y, q.z), hub, Vec3(0.45 * a, -0.3 * b, 0), 1.4)
        return min(trunk, branch)
    }

    func sample(_ p: Vec3, _ field: BoneDensityField, _ nearest: inout Double) -> PointSample? {
        let q = local(p)
        let young = 160 * (1 + 0.02 * Double(level - 1))
        let body = bodyDistance(q)
        nearest = min(nearest, abs(body))
        if body < 0 {
            if isCortex(body, thickness: 1.0, &nearest) {
                return PointSample(PhantomLabel.vertebra(level, .bodyCortex), .mineralizedWater, Float(field.corticalDensity * 0.8))
            }
            let vein = veinDistance(q)
            nearest = min(nearest, abs(vein))
            if vein < 0 { return PointSample(PhantomLabel.vertebra(level, .basivertebralVein), .venousBlood) }
            // Slightly denser next to the endplates.
            let nearEndplate = exp(-pow((height / 2 - abs(q.z)) / 4, 2))
            return PointSample(PhantomLabel.vertebra(level, .bodyTrabecular), .mineralizedWater,
                               field.trabecular(young * (1 + 0.15 * nearEndplate), p))
        }
        let posterior = posteriorDistance(q)
        nearest = min(nearest, abs(posterior))
        guard posterior < 0 else { return nil }
        let label = PhantomLabel.vertebra(level, .posteriorElements)
        if isCortex(posterior, thickness: 1.2, &nearest) {
            return PointSample(label, .mineralizedWater, Float(field.corticalDensity * 0.85))
        }
        return PointSample(label, .mineralizedWater, field.trabecular(1.3 * young, p))
    }

    /// The disc below this vertebra down to `next` (nil for L5 → the sacrum at z = 74), or nil.
    func discDistance(_ p: Vec3, toward lower: Vertebra?) -> Double {
        let bottom = centre - ez * (height / 2)
        let top = lower.map { $0.centre + $0.ez * ($0.height / 2) } ?? Vec3(0, 18, 74)
        let mid = (bottom + top) / 2, axis = normalize(bottom - top)
        let halfHeight = length(bottom - top) / 2 + 1.5
        let v = p - mid
        let ax = Vec3(1, 0, 0), ay = normalize(cross(axis, ax))
        let q = Vec3(dot(v, ax), dot(v, ay), dot(v, axis))
        let aa = 1.02 * (a + (lower?.a ?? a)) / 2, bb = 1.02 * (b + (lower?.b ?? b)) / 2
        return SDF.extrude(SDF.ellipse(q.x, q.y > 0 ? q.y / 0.8 : q.y, aa, bb), q.z, halfHeight: halfHeight, rounding: 1)
    }
}

/// Ribs 11 and 12 of one side: a chain of capsules curving laterally and down from the spine.
struct Rib: Sendable {
    let points: [Vec3]
    let radius: Double = 5
    let labels: (cortical: UInt8, trabecular: UInt8)
    let bounds: Bounds

    init(left: Bool, attachmentZ: Double, sweep: Double, arcScale: Double) {
        let s: Double = left ? 1 : -1
        let yc = SpineCurve.y(attachmentZ)
        var pts = [Vec3(s * 24, yc + 12, attachmentZ)]
        let steps = 6
        for i in 0...steps {
            let phi = 0.35 + (sweep - 0.35) * Double(i) / Double(steps)
            pts.append(Vec3(s * (15 + 92 * arcScale * sin(phi)), yc - 22 + 68 * arcScale * cos(phi),
                            attachmentZ - 40 * (phi - 0.35)))
        }
        points = pts
        labels = left ? (PhantomLabel.ribsLeftCortical, PhantomLabel.ribsLeftTrabecular)
                      : (PhantomLabel.ribsRightCortical, PhantomLabel.ribsRightTrabecular)
        bounds = Bounds(around: pts, margin: 12)
    }

    func distance(_ p: Vec3) -> Double {
        var d = Double.infinity
        for i in 0..<(points.count - 1) { d = min(d, SDF.capsule(p, points[i], points[i + 1], radius)) }
        return d
    }

    func sample(_ p: Vec3, _ field: BoneDensityField, _ nearest: inout Double) -> PointSample? {
        let d = distance(p)
        nearest = min(nearest, abs(d))
        guard d < 0 else { return nil }
        if isCortex(d, thickness: 1.2, &nearest) {
            return PointSample(labels.cortical, .mineralizedWater, Float(field.corticalDensity * 0.85))
        }
        return PointSample(labels.trabecular, .mineralizedWater, field.trabecular(110, p))
    }
}
