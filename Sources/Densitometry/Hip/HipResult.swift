// The machine-readable hip densitometry result (pixels travel separately, in `HipAnalysis.images`).
import OpenBCTCore
import Anatomy

/// aBMD, area and BMC of one region, with its scores.
public struct HipRegionResult: Sendable, Codable, Equatable {
    public var region: HipRegion
    /// False when the region cannot be reported (cut by the field of view, no distal edge, …).
    public var valid: Bool
    public var invalidReason: String?
    /// Projected bone area, cm².
    public var areaCM2: Double
    /// Bone mineral content, g (in `HipDensitometryResult.mineral`).
    public var bmcG: Double
    /// Areal BMD = BMC / area, g/cm².
    public var aBMDGPerCM2: Double
    public var tScore: ReferenceScore
    public var zScore: ReferenceScore
    /// WHO category of the T-score (nil: no T-score, region invalid, or the subject is under 20).
    public var densityClass: BoneDensityClass?
}

/// The hip result of one femur.
public struct FemurHipResult: Sendable, Codable, Equatable {
    public var side: Side
    /// Nil when the femur had no landmarks (nothing measured).
    public var pose: DXAPose?
    public var geometry: HipRegionGeometry?
    public var regions: [HipRegionResult]
    /// A femur voxel lies on the CT volume's boundary, or the caller reported the femur cut.
    public var cutByFieldOfView: Bool
    /// Total mineral of the projected femur mask, g (equals the sum of the image).
    public var femurBMCG: Double
    /// What a reader must know about this femur's measurement.
    public var findings: [String]

    /// The result of one region, if measured.
    public func region(_ r: HipRegion) -> HipRegionResult? { regions.first { $0.region == r } }
}

/// The lowest valid hip T-score (femoral neck or total hip, either side).
public struct LowestHipTScore: Sendable, Codable, Equatable {
    public var side: Side
    public var region: HipRegion
    public var tScore: ReferenceScore
    public var densityClass: BoneDensityClass?
}

/// Hip densitometry of both femurs.
public struct HipDensitometryResult: Sendable, Codable, Equatable {
    public var software = "\(OpenBCT.name) \(OpenBCT.version)"
    public var notice = OpenBCT.researchUseNotice
    /// The mineral aBMD and BMC are expressed in.
    public var mineral: String
    public var subject: ReferenceSubject
    public var femurs: [FemurHipResult]
    public var lowestTScore: LowestHipTScore?
    /// Caveats that apply to every number (scale, conversions, reference populations).
    public var notes: [String]
    public var options: HipOptions
}

/// The result and the projection images (by side) for the report.
public struct HipAnalysis: Sendable {
    public var result: HipDensitometryResult
    public var images: [Side: ProjectionImage]
}
