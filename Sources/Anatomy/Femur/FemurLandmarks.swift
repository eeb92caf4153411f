// Femoral landmarks and the femur frame of methods.md §10.
import OpenBCTCore

/// Which femur.
public enum Side: String, Sendable, Codable { case left, right }

/// Landmarks of a proximal femur, LPS mm.
public struct FemurLandmarks: Sendable, Codable, Equatable {
    public var headCenter: Vec3
    public var headRadiusMM: Double
    /// RMS distance (mm) of the head surface points from the fitted sphere.
    public var headFitRMSMM: Double
    /// Neck axis: through the head centre, unit direction from the neck toward the head.
    public var neckAxis: Line
    /// Shaft axis: unit direction distal → proximal.
    public var shaftAxis: Line
    /// Angle between the neck and shaft axes (degrees; ≈ 125–135 in adults).
    public var neckShaftAngleDeg: Double
    /// Tip of the greater trochanter (most proximal point lateral to the shaft axis).
    public var greaterTrochanter: Vec3
    /// The point of the shaft axis at the lesser trochanter's distal edge (where the cross-section
    /// starts to widen), when found.
    public var lesserTrochanterLevel: Vec3?
    /// The femur frame (methods.md §10).
    public var frame: FemurFrame
}

/// The femur frame: z along the shaft axis distal → proximal; x in the plane of the shaft and neck
/// axes, perpendicular to z, pointing medially toward the head; y = z × x. Origin: the head centre.
public struct FemurFrame: Sendable, Codable, Equatable {
    public var origin: Vec3
    public var x: Vec3
    public var y: Vec3
    public var z: Vec3

    public init(headCenter: Vec3, shaftAxis: Line) {
        z = shaftAxis.direction
        let toHead = headCenter - shaftAxis.point
        x = normalize(toHead - z * dot(toHead, z))
        y = cross(z, x)
        origin = headCenter
    }

    /// Coordinates of an LPS point in this frame.
    public func local(_ p: Vec3) -> Vec3 { let d = p - origin; return Vec3(dot(d, x), dot(d, y), dot(d, z)) }
}
