// A proximal femur: spherical head, elliptic neck with a waist at a set neck-shaft angle and anteversion,
// greater and lesser trochanters, tubular shaft with a thick cortex and a fatty medullary canal. Its
// proportions follow the real femur_left_mini where docs/phantom.md measured both.
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
    /// The neck section's axes: superior (in the shaft–neck plane) and the antero-posterior normal.
    let neckSuperior: Vec3
    let neckAnterior: Vec3
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
        // 2.4 R (55 mm at R = 23) gives the real femur's neck-axis length, head apex to lateral cortex
        // (femur_left_mini 101.5 mm; 2.1 R gave 94, docs/phantom.md).
        let neckLength = 2.4 * headRadius
        neckShaftPoint = headCentre - neckAxis * neckLength
        // The neck section's superior direction lies in the plane of shaft and neck.
        neckSuperior = normalize(shaftAxis - neckAxis * dot(shaftAxis, neckAxis))
        neckAnterior = cross(neckAxis, neckSuperior)
        let posterior = Vec3(0, 1, 0)
        greaterTrochanter = neckShaftPoint + shaftAxis * Self.greaterTrochanterRise + lateral * 20 + posterior * 6
        lesserTrochanter = neckShaftPoint - shaftAxis * Self.lesserTrochanterDrop - lateral * 15 + posterior * 10
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
        // The metaphysis cone ends at the shaft's radius and continues into it without a fillet (a
        // smooth union of the two collinear pieces bulged the section by ~25 % at their junction).
        let metaphysis = SDF.roundCone(p, n + u * 10, n - u * 75, 0.8 * headRadius, 14)
        let shaft = min(metaphysis, SDF.capsule(p, n - u * 75, n - u * 400, 14))
        let gt = SDF.ellipsoid(trochanterFrame(p - greaterTrochanter), Self.greaterTrochanterRadii)
        let lt = SDF.ellipsoid(trochanterFrame(p - lesserTrochanter), Vec3(9, 8, 13))
        var d = SDF.smoothUnion(head, neckDistance(p), 4)
        d = SDF.smoothUnion(d, shaft, 10)
        d = SDF.smoothUnion(d, gt, 9)
        return SDF.smoothUnion(d, lt, 7)
    }

    /// The neck: elliptic in section (antero-posterior depth `neckDepthRatio` of the superior–inferior
    /// width, as measured on femur_left_mini), narrowest at a waist `neckWaist` from the head centre and
    /// flaring into the head and toward the shaft. Two round cones on the neck axis itself (so truth.json's
    /// neck axis and neck-shaft angle are those of the modelled bone), evaluated with the antero-posterior
    /// coordinate stretched to a round section, their distance brought back to millimetres to first order
    /// (as `SDF.ellipse` does).
    private func neckDistance(_ p: Vec3) -> Double {
        let q = p - headCentre, k = Self.neckDepthRatio, r = headRadius
        let along = dot(q, neckAxis), up = dot(q, neckSuperior), ap = dot(q, neckAnterior)
        let round = headCentre + neckAxis * along + neckSuperior * up + neckAnterior * (ap / k)
        let waist = headCentre - neckAxis * (Self.neckWaist.distance * r)
        let d = min(SDF.roundCone(round, headCentre, waist, Self.neckWaist.headEnd * r, Self.neckWaist.radius * r),
                    SDF.roundCone(round, waist, neckShaftPoint, Self.neckWaist.radius * r, Self.neckWaist.shaftEnd * r))
        let radial2 = up * up + ap * ap / (k * k)
        guard radial2 > 1e-12 else { return d }
        // |∇| of the stretched radial coordinate: 1 superiorly/inferiorly, 1/k antero-posteriorly.
        return d / ((up * up + ap * ap / (k * k * k * k)) / radial2).squareRoot()
    }

    /// Antero-posterior depth of the neck section over its superior–inferior width (femur_left_mini:
    /// 28.4 / 33.1 mm at its narrowest section).
    static let neckDepthRatio = 0.86
    /// Superior–inferior semi-axis of the neck section (× head radius) where it meets the head centre,
    /// at the waist, and at the neck–shaft point; the waist's distance from the head centre (× head
    /// radius). femur_left_mini: narrowest section 25.3 mm from the head centre (1.1 R), 33.1 mm wide.
    static let neckWaist = (headEnd: 0.85, distance: 1.1, radius: 0.70, shaftEnd: 0.8)
    /// Semi-axes (lateral, posterior, along the shaft) of the greater trochanter, mm: narrower and more
    /// protruding than a 13 × 19 × 22 mm ellipsoid, whose broad flat lateral face gave the sideways-fall
    /// trochanter cap a footprint larger than femur_left_mini's (docs/phantom.md).
    static let greaterTrochanterRadii = Vec3(15, 14, 18)
    /// The greater trochanter's centre above the neck–shaft point along the shaft, mm: its tip then lies
    /// ≈ 4 mm above the head centre (femur_left_mini: 4.5 mm).
    static let greaterTrochanterRise = 28.0
    /// The lesser trochanter's centre below the neck–shaft point along the shaft, mm: ≈ 78 mm below the
    /// head centre, its distal edge ≈ 91 mm. femur_left_mini's lies higher (it ends 73 mm below its head
    /// centre, < 10 mm below the trochanter), but there the trochanter's bump falls inside the metaphysis'
    /// widening and Anatomy's rule (the section 1.3× the shaft's) finds the flare instead (docs/phantom.md).
    static let lesserTrochanterDrop = 42.0

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
        let thickness = cortexThickness(p, h) * field.cortexThicknessScale
        if isCortex(d, thickness: thickness, &nearest) {
            // Intracortical porosity grows toward the marrow (a trabecularised endosteal cortex):
            // femur_left_mini's 5.6 mm shaft cortex reads ≈ 1,090 mg/cm³ 1.5–3 mm deep, 970 at 3–4.5 mm
            // and 470 at 4.5–6 mm; full density in the outer 40 %, 40 % of it at the endosteal surface.
            let porosity = 0.6 * SDF.smoothstep(0.4, 1, -d / thickness)
            return PointSample(labels.cortical, .mineralizedWater, Float(field.corticalDensity * (1 - porosity)))
        }
        // Below the lesser trochanter the canal holds fatty marrow.
        nearest = min(nearest, abs(h - Self.canalTop))
        if h < Self.canalTop { return PointSample(labels.marrow, .yellowMarrow) }
        return PointSample(labels.trabecular, .mineralizedWater, field.trabecular(270 * trabecularShape(p, h), p))
    }

    /// Height along the shaft (from the neck–shaft point) where the fatty medullary canal begins: 11 mm
    /// below the lesser trochanter's distal edge (its 13 mm semi-axis along the shaft).
    static let canalTop = -(lesserTrochanterDrop + 13 + 11)

    /// Cortical thickness (mm, before the bone-quality scale): a 0.8 mm subchondral plate over the head
    /// (femur_left_mini's head reads 150–220 mg/cm³ out to its surface, no cortical shell at CT
    /// resolution; 0.4 mm hid the head from Anatomy's sphere search on 2 mm phantoms with noise); 1.2 mm
    /// on the trochanters and the neck's anterior and posterior faces, 1.5 mm superiorly and 3.6 mm
    /// inferiorly in the neck (the calcar; femur_left_mini reads 1.9 and 3.5 mm at its narrowest section);
    /// down the shaft from 5 mm above the neck–shaft point to 5.5 mm 35 mm below it (femur_left_mini:
    /// 4.1 mm 58 mm and 5.6 mm 68 mm below the head centre).
    func cortexThickness(_ p: Vec3, _ h: Double) -> Double {
        let shaft = 4.3 * SDF.smoothstep(5, -35, h)
        let q = p - headCentre, r = headRadius
        let along = -dot(q, neckAxis), neckLength = dot(headCentre - neckShaftPoint, neckAxis)
        let beyondHead = SDF.smoothstep(0.6 * r, r, along)
        let inNeck = beyondHead * (1 - SDF.smoothstep(neckLength, neckLength + 10, along))
        let up = dot(q, neckSuperior), across = (up * up + pow(dot(q, neckAnterior), 2)).squareRoot()
        let superior = across > 0 ? up / across : 0
        let faces = 0.3 * pow(max(0, superior), 2) + 2.4 * pow(max(0, -superior), 2)
        return 0.8 + 0.4 * beyondHead + max(shaft, inNeck * faces)
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
        return max(0.08, shape) * (1 - 0.85 * SDF.smoothstep(Self.canalTop + 35, Self.canalTop, h))
    }
}
