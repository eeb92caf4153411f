// A total hip replacement: titanium-alloy stem, neck and head, a metal cup with a polyethylene liner.
import Foundation
import OpenBCTCore

struct HipImplant: Sendable {
    let headCentre: Vec3
    let neckShaftPoint: Vec3
    let shaftAxis: Vec3
    let cupOpening: Vec3
    let bounds: Bounds

    init(femur: Femur) {
        headCentre = femur.headCentre; neckShaftPoint = femur.neckShaftPoint; shaftAxis = femur.shaftAxis
        cupOpening = normalize(Vec3(femur.sideSign, -0.3, -0.75))
        bounds = Bounds(around: [headCentre, neckShaftPoint - shaftAxis * 140], margin: 30)
    }

    /// Distance to the metal parts: 28 mm head, neck, tapered stem, 3.5 mm hemispherical cup.
    func metalDistance(_ p: Vec3) -> Double {
        let head = SDF.sphere(p, headCentre, 14)
        let neck = SDF.capsule(p, headCentre, neckShaftPoint, 6.5)
        let stem = SDF.roundCone(p, neckShaftPoint + shaftAxis * 8, neckShaftPoint - shaftAxis * 130, 9, 4.5)
        let r = length(p - headCentre)
        let cup = max(abs(r - 24.5) - 1.75, dot(p - headCentre, cupOpening) - 2)
        return min(min(head, neck), min(stem, cup))
    }

    /// A lower bound of the distance to any implant part (metal or liner).
    func outerDistance(_ p: Vec3) -> Double { min(metalDistance(p), length(p - headCentre) - 22.75) }

    func sample(_ p: Vec3, _ nearest: inout Double) -> PointSample? {
        let metal = metalDistance(p)
        nearest = min(nearest, abs(metal))
        if metal < 0 { return PointSample(PhantomLabel.implantMetal, .titanium) }
        let r = length(p - headCentre)
        let liner = max(max(r - 22.75, 14 - r), dot(p - headCentre, cupOpening) - 2)
        nearest = min(nearest, abs(liner))
        return liner < 0 ? PointSample(PhantomLabel.implantLiner, .polyethylene) : nil
    }
}
