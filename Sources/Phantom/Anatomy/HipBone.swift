// One hip bone (os coxae): acetabulum around the femoral head with a joint space, iliac wing up to
// the crest, posterior column to the sacroiliac joint, pubic rami and ischium.
import Foundation
import OpenBCTCore

struct HipBone: Sendable {
    let sideSign: Double
    let headCentre: Vec3
    /// Radius of the acetabular cavity: femoral head radius + joint space.
    let cavityRadius: Double
    let bounds: Bounds
    let labels: (cortical: UInt8, trabecular: UInt8)

    init(left: Bool, headCentre: Vec3, cavityRadius: Double) {
        sideSign = left ? 1 : -1
        self.headCentre = headCentre; self.cavityRadius = cavityRadius
        labels = left ? (PhantomLabel.hipBoneLeftCortical, PhantomLabel.hipBoneLeftTrabecular)
                      : (PhantomLabel.hipBoneRightCortical, PhantomLabel.hipBoneRightTrabecular)
        let s = sideSign
        bounds = Bounds(around: [Vec3(s * 2, -75, -75), Vec3(s * 140, 105, 130)], margin: 12)
    }

    func distance(_ p: Vec3) -> Double {
        let s = sideSign, h = headCentre
        func at(_ x: Double, _ y: Double, _ z: Double) -> Vec3 { Vec3(s * x, y, z) }
        // Acetabular block, open laterally–inferiorly–anteriorly (centre-edge angle ≈ 35°).
        let opening = normalize(Vec3(s, -0.3, -0.75))
        let block = max(SDF.sphere(p, h + Vec3(-s * 10, 4, 10), cavityRadius + 13), dot(p - h, opening) - 4)
        let column = SDF.capsule(p, at(94, 6, 22), at(114, 16, 70), 12)
        // Iliac wing: a 10 mm shell of an ellipsoid, kept lateral and above the acetabulum.
        let wingShell = abs(SDF.ellipsoid(p - at(30, 20, 75), Vec3(100, 75, 55))) - 5
        let wing = max(wingShell, max(50 - s * p.x, max(55 + 0.8 * -p.y - s * p.x, 35 - p.z)))
        let posterior = SDF.capsule(p, at(95, 35, 45), at(68, 66, 64), 11)
        let superiorRamus = SDF.capsule(p, at(70, -22, -8), at(10, -50, -22), 8.5)
        let pubicBody = SDF.capsule(p, at(10, -50, -22), at(12, -44, -45), 8)
        let inferiorRamus = SDF.capsule(p, at(12, -44, -45), at(55, 10, -58), 7.5)
        let ischium = SDF.roundCone(p, at(82, 22, -12), at(58, 18, -55), 13, 11)
        var d = SDF.smoothUnion(block, column, 8)
        d = SDF.smoothUnion(d, wing, 8)
        d = SDF.smoothUnion(d, posterior, 8)
        d = SDF.smoothUnion(d, superiorRamus, 7)
        d = SDF.smoothUnion(d, pubicBody, 5)
        d = SDF.smoothUnion(d, inferiorRamus, 5)
        d = SDF.smoothUnion(d, ischium, 8)
        return max(d, -(length(p - h) - cavityRadius))
    }

    func sample(_ p: Vec3, _ field: BoneDensityField, _ nearest: inout Double) -> PointSample? {
        let d = distance(p)
        nearest = min(nearest, abs(d))
        guard d < 0 else { return nil }
        // Subchondral acetabular plate is thicker than the 1.5 mm cortex elsewhere.
        let fromHead = length(p - headCentre) - cavityRadius
        let thickness = fromHead < 5 ? 2.5 : 1.5
        nearest = min(nearest, abs(fromHead - 5))
        if isCortex(d, thickness: thickness, &nearest) {
            return PointSample(labels.cortical, .mineralizedWater, Float(field.corticalDensity * 0.9))
        }
        let roof = exp(-fromHead * fromHead / 200)   // denser under the weight-bearing roof
        return PointSample(labels.trabecular, .mineralizedWater, field.trabecular(150 * (1 + 0.5 * roof), p))
    }
}

/// The sacrum: S1 body under L5, alae toward the sacroiliac joints, tapering to the coccyx.
struct Sacrum: Sendable {
    let bounds = Bounds(lower: Vec3(-70, -10, -30), upper: Vec3(70, 95, 80))

    func distance(_ p: Vec3) -> Double {
        // Widen laterally by scaling x (distances stay underestimates, which is safe).
        let q = Vec3(p.x * 0.5, p.y, p.z)
        let body = SDF.roundCone(q, Vec3(0, 22, 56), Vec3(0, 62, -12), 17, 6)
        let alaL = SDF.ellipsoid(p - Vec3(38, 42, 56), Vec3(18, 20, 18))
        let alaR = SDF.ellipsoid(p - Vec3(-38, 42, 56), Vec3(18, 20, 18))
        return SDF.smoothUnion(SDF.smoothUnion(body, alaL, 8), alaR, 8)
    }

    func sample(_ p: Vec3, _ field: BoneDensityField, _ nearest: inout Double) -> PointSample? {
        let d = distance(p)
        nearest = min(nearest, abs(d))
        guard d < 0 else { return nil }
        if isCortex(d, thickness: 1.2, &nearest) {
            return PointSample(PhantomLabel.sacrumCortical, .mineralizedWater, Float(field.corticalDensity * 0.85))
        }
        return PointSample(PhantomLabel.sacrumTrabecular, .mineralizedWater, field.trabecular(135, p))
    }
}
