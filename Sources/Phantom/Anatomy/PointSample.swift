// What the anatomy says about one point: its truth label, its material and dissolved amount.
import Foundation
import OpenBCTCore

/// The content of one point of the phantom.
struct PointSample: Sendable {
    var label: UInt8
    var material: TissueMaterial
    /// mg/cm³ of mineral (bone, rods) — the only solute the materials carry.
    var solute: Float
    /// The bone part (bit of `Anatomy.ActiveSet.bones`) the point lies in; `noPart` outside bone.
    var part: UInt8 = PointSample.noPart

    static let noPart: UInt8 = 255

    init(_ label: UInt8, _ material: TissueMaterial, _ solute: Float = 0) {
        self.label = label; self.material = material; self.solute = solute
    }
}

/// Shared inputs of every bone's density field: age scaling and a smooth texture.
struct BoneDensityField: Sendable {
    /// Trabecular density relative to a young adult.
    var scale: Double
    /// Cortical thickness and cortical tissue density relative to the default (bone-quality presets).
    var cortexThicknessScale = 1.0
    var corticalDensityScale = 1.0
    /// Smooth variation (±) of trabecular density, about 12 %.
    var texture: ValueNoise
    /// When set, trabecular points report NaN instead of evaluating the field: sub-voxel samples
    /// reuse their voxel's value (the field varies over ~10 mm, far more slowly than a voxel).
    var deferred = false

    /// Young-adult cortical tissue, K2HPO4-equivalent mg/cm³ [U]: porosity lowers it a little with age.
    var corticalDensity: Double { 1150 * (0.9 + 0.1 * min(1, scale)) * corticalDensityScale }

    /// Trabecular density `young × shape × scale`, modulated by the texture.
    @inline(__always) func trabecular(_ young: @autoclosure () -> Double, _ p: Vec3) -> Float {
        deferred ? .nan : Float(max(0, young() * scale * (1 + 0.12 * texture.fractal(p))))
    }
}

/// Ranks a bone point: cortex within `thickness` of the surface, trabecular core deeper. Records the
/// distances to both interfaces in `nearest`.
@inline(__always) func isCortex(_ d: Double, thickness: Double, _ nearest: inout Double) -> Bool {
    nearest = min(nearest, abs(d), abs(d + thickness))
    return d > -thickness
}
