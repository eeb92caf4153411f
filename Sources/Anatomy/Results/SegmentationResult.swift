// The machine-readable result of a segmentation run (written as JSON by `openbct segment --json`).
import OpenBCTCore

/// Everything a segmentation run found: structures, levels, landmarks and quality findings.
public struct SegmentationResult: Sendable, Codable {
    public var software = "\(OpenBCT.name) \(OpenBCT.version)"
    public var notice = OpenBCT.researchUseNotice
    /// "automatic" or the path of the imported label map.
    public var source: String
    public var sites: [Site]
    /// The label values present in the label map, with names.
    public var labelTable: [LabelEntry]
    public var vertebrae: [VertebraSummary]
    public var levels: LevelAssignment?
    public var femurs: [FemurSummary]
    public var findings: [Finding]
    /// The parameters used (every default is [U], see docs/anatomy.md).
    public var spineOptions: SpineOptions?
    public var femurOptions: FemurOptions?
}

/// One vertebra in the result.
public struct VertebraSummary: Sendable, Codable, Equatable {
    public var level: String?
    public var ordinal: Int
    public var bodyLabel: UInt8
    public var posteriorLabel: UInt8
    public var bodyVolumeMM3: Double
    public var posteriorVolumeMM3: Double
    public var trabecularCoreVolumeMM3: Double
    public var cutByFieldOfView: Bool
    public var landmarks: VertebraLandmarks?
}

/// One femur in the result.
public struct FemurSummary: Sendable, Codable, Equatable {
    public var side: Side
    public var label: UInt8
    public var volumeMM3: Double
    public var landmarks: FemurLandmarks?
    public var distalCut: Plane?
}
