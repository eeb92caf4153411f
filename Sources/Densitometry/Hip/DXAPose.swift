// The DXA-like pose: the femur as an anteroposterior hip scan sees it.
import Foundation
import OpenBCTCore
import Anatomy

/// Image axes of the DXA-like projection, all unit vectors in LPS.
///
/// Rule (docs/densitometry-hip.md): the shaft axis is the image's vertical (`up`, distal → proximal);
/// the femur is turned about the shaft axis until the neck axis lies in the image plane (a DXA
/// technologist's internal rotation of the leg, here by exactly the femur's own neck anteversion, not
/// a fixed 15°); the beam is perpendicular to both axes, anterior → posterior. The image is shown as a
/// radiograph seen from the front: the patient's left on the viewer's right (`right`).
public struct DXAPose: Sendable, Codable, Equatable {
    /// Origin of the image-plane coordinates: the femoral head centre.
    public var headCenter: Vec3
    public var right: Vec3
    public var up: Vec3
    /// Projection direction (anterior → posterior).
    public var beam: Vec3
    /// Rotation about the shaft axis that puts the neck into the image plane (degrees; positive =
    /// internal rotation, i.e. the neck points anteriorly in the scan).
    public var internalRotationDeg: Double
    /// Angle between the shaft axis and the scanner's cranio-caudal axis (degrees).
    public var shaftTiltDeg: Double

    /// Smallest angle between the neck and shaft axes (degrees) for which a pose is defined: a neck
    /// within 20° of the shaft (neck–shaft angle above 160°; adults 120–140°) means failed landmarks.
    public static let minimumNeckToShaftDeg = 20.0

    /// The pose of a femur from its landmarks. Nil when the neck axis is (nearly) parallel to the shaft.
    public init?(landmarks l: FemurLandmarks, side: Side) {
        let up = l.shaftAxis.direction
        let neck = l.neckAxis.direction   // toward the head, i.e. medial
        let inPlane = neck - up * dot(neck, up)
        guard length(inPlane) >= sin(DXAPose.minimumNeckToShaftDeg * .pi / 180) else { return nil }
        let medial = normalize(inPlane)
        // The head is medial: toward the patient's right (LPS −x) for a left femur, so the viewer's
        // right (patient's left, LPS +x) is −medial for a left femur and +medial for a right one.
        let right = side == .left ? -medial : medial
        self.headCenter = l.headCenter
        self.up = up; self.right = right
        beam = cross(up, right)
        // Anterior is LPS −y, taken perpendicular to the shaft.
        let anterior = normalize(Vec3(0, -1, 0) - up * dot(Vec3(0, -1, 0), up))
        internalRotationDeg = asin(max(-1, min(1, dot(medial, anterior)))) * 180 / .pi
        shaftTiltDeg = acos(max(-1, min(1, abs(up.z)))) * 180 / .pi
    }

    /// Image-plane coordinates (mm): x along `right`, y along `up`, relative to the head centre.
    @inlinable public func plane(_ p: Vec3) -> SIMD2<Double> {
        let d = p - headCenter
        return SIMD2(dot(d, right), dot(d, up))
    }
}
