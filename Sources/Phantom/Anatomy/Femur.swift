// A proximal femur: spherical head, tapered neck at a set neck-shaft angle and anteversion,
// greater and lesser trochanters, tubular shaft with a thick cortex and a fatty medullary canal.
import Foundation
import OpenBCTCore

struct Femur: Sendable {
    /// +1 for the patient's left (LPS +x), −1 for the right.
    let sideSign: Double
    let headCentre: Vec3
    let headRadius: Double
    /// Unit vector from the neck–shaft intersection toward the head centre.
    let neckAxis: Vec3
    /// Unit vector along the shaft, pointing proximally.
    let shaftAxis: Vec3
    /// Intersection of neck and shaft axes.
    let neckShaftPoint: Vec3
    let lateral: Vec3
    let greaterTrochanter: Vec3
    let lesserTrochanter: Vec3
    let bounds: Bounds
    let labels: (cortical: UInt8, trabecular: UInt8, marrow: UInt8)
    /// When an implant replaces head and neck: bone proximal to this plane (point, normal along the
    /// neck axis) is resected.
    let resection: (point: Vec3, normal: Vec3)?

    init(left: Bool, headCentre: Vec3, headRadius: Double, neckShaftAngle: Double, anteversion: Double,
         resected: Bool) {
        let s: Double = left ? 1 : -1
        sideSign = s
        self.headCentre = headCentre; self.headRadius = headRadius
        // Anatomical shaft axis: 7° from vertical in the coronal plane, proximal end lateral.
        let tilt = 7.0 * .pi / 180
        shaftAxis = normalize(Vec3(s * sin(tilt), 0, cos(tilt)))
        lateral = normalize(Vec3(s, 0, 0) - shaftAxis * dot(Vec3(s, 0, 0), shaftAxis))
        // The neck makes (180° − NSA) with the proximal shaft axis, medially, turned anteriorly (−y).
        let opening = (180 - neckShaftAngle) * .pi / 180, av = anteversion * .pi / 180
        let medialAnterior = -lateral * cos(av) + Vec3(0, -1, 0) * sin(av)
        neckAxis = normalize(shaftAxis * cos(opening) + medialAnterior * sin(opening))
        let neckLength = 2.1 * headRadius
        neckShaftPoint = headCentre - neckAxis * neckLength
        let posterior = Vec3(0, 1, 0)
        greaterTrochanter = neckShaftPoint + shaftAxis * 14 + lateral * 20 + posterior * 6
        lesserTrochanter = neckShaftPoint - shaftAxis * 46 - lateral * 15 + posterior * 10
        labels = left ? (PhantomLabel.femurLeftCortical, PhantomLabel.femurLeftTrabecular, PhantomLabel.femurLeftMarrow)
                      : (PhantomLabel.femurRightCortical, PhantomLabel.femurRightTrabecular, PhantomLabel.femurRightMarrow)
        resection = resected ? (headCentre - neckAxis * (0.9 * headRadius), neckAxis) : nil
        bounds = Bounds(around: [headCentre, greaterTrochanter, lesserTrochanter,
                                 neckShaftPoint - shaftAxis * 400], margin: headRadius + 12)
    }

    /// Signed distance to the periosteal surface (mm).
    func distance(_ p: Vec3) -> Double {
        let n = neckShaftPoint, u = shaftAxis
        let head = SDF.sphere(p, headCentre, headRadius)
        // The neck cone runs along the neck axis itself, so truth.json's neck axis and neck-shaft
        // angle are those of the modelled bone.
        let neck = SDF.roundCone(p, headCentre, n, 0.66 * headRadius, 0.8 * headRadius)
        let metaphysis = SDF.roundCone(p, n + u * 10, n - u * 75, 0.8 * headRadius, 14.5)
        let shaft = SDF.capsule(p, n - u * 75, n - u * 400, 14)
        let gt = SDF.ellipsoid(trochanterFrame(p - greaterTrochanter), Vec3(13, 19, 22))
        let lt = SDF.ellipsoid(trochanterFrame(p - lesserTrochanter), Vec3(9, 8, 13))
        var d = SDF.smoothUnion(head, neck, 4)
        d = SDF.smoothUnion(d, metaphysis, 10)
        d = SDF.smoothUnion(d, shaft, 6)
        d = SDF.smoothUnion(d, gt, 9)
        return SDF.smoothUnion(d, lt, 7)
    }

    /// A vector in the (lateral, posterior, shaft) frame.
    @inline(__always) private func trochanterFrame(_ v: Vec3) -> Vec3 {
        Vec3(dot(v, lateral), v.y, dot(v, shaftAxis))
    }

    /// The femur's content at p, or nil outside it.
    func sample(_ p: Vec3, _ field: BoneDensityField, _ nearest: inout Double) -> PointSample? {
        var d = distance(p)
        if let cut = resection { d = max(d, dot(p - cut.point, cut.normal)) }
        nearest = min(nearest, abs(d))
        guard d < 0 else { return nil }
        let h = dot(p - neckShaftPoint, shaftAxis)   // height along the shaft, 0 at the neck base
        // Cortex: ~1.2 mm at head, neck and trochanters, thickening to 5.5 mm down the shaft.
        let thickness = (1.2 + 4.3 * SDF.smoothstep(-25, -85, h)) * field.cortexThicknessScale
        if isCortex(d, thickness: thickness, &nearest) {
            return PointSample(labels.cortical, .mineralizedWater, Float(field.corticalDensity))
        }
        // Below the lesser trochanter the canal holds fatty marrow.
        nearest = min(nearest, abs(h + 70))
        if h < -70 { return PointSample(labels.marrow, .yellowMarrow) }
        return PointSample(labels.trabecular, .mineralizedWater, field.trabecular(270 * trabecularShape(p, h), p))
    }

    /// Relative trabecular density (≈1 in the head centre): dense head and principal compressive
    /// group, moderate tensile group, sparse Ward's triangle and trochanter, fading into the canal.
    func trabecularShape(_ p: Vec3, _ h: Double) -> Double {
        let up = Vec3(0, 0, 1), r = headRadius, n = neckShaftPoint
        func bump(_ dist: Double, _ sigma: Double) -> Double { exp(-dist * dist / (2 * sigma * sigma)) }
        func segment(_ a: Vec3, _ b: Vec3) -> Double { SDF.capsule(p, a, b, 0) }
        let head = bump(length(p - headCentre), 0.75 * r)
        let compressive = bump(segment(headCentre + normalize(up + lateral * 0.3) * (0.6 * r),
                                       n - shaftAxis * 22 - lateral * 12), 6)
        let tensile = bump(segment(headCentre - up * (0.5 * r), n + shaftAxis * 6 + lateral * 16), 5)
        let ward = bump(length(p - (n + (headCentre - n) * 0.3 - up * 5)), 8)
        let shape = 0.38 + 0.62 * head + 0.45 * compressive + 0.22 * tensile - 0.2 * ward
        return max(0.08, shape) * (1 - 0.85 * SDF.smoothstep(-35, -70, h))
    }
}
