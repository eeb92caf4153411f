// What the anatomy stage found: femurs, vertebrae with levels, landmarks, and its QC.

/// The segmentation summary.
public struct AnatomyRecord: Codable, Sendable, Equatable {
    /// "automatic" or the path of an imported label map.
    public var source: String
    public var femurs: [FemurRecord]
    public var vertebrae: [VertebraRecord]
    /// How the levels were anchored ("lastRib", "sacrum", …) and with what confidence, when named.
    public var levelAnchor: String?
    public var levelConfidence: String?
    /// The label-map file among the figures/outputs (name in the output folder), if written.
    public var labelMapFile: String?
    /// Label values present in the label map, with their names.
    public var labelTable: [LabelRecord]
    public init(source: String, femurs: [FemurRecord], vertebrae: [VertebraRecord], levelAnchor: String?,
                levelConfidence: String?, labelMapFile: String?, labelTable: [LabelRecord]) {
        self.source = source; self.femurs = femurs; self.vertebrae = vertebrae; self.levelAnchor = levelAnchor
        self.levelConfidence = levelConfidence; self.labelMapFile = labelMapFile; self.labelTable = labelTable
    }
}

/// A label value and its name.
public struct LabelRecord: Codable, Sendable, Equatable {
    public var value: Int
    public var name: String
    public init(value: Int, name: String) { self.value = value; self.name = name }
}

/// One proximal femur.
public struct FemurRecord: Codable, Sendable, Equatable {
    public var side: BodySide
    public var label: Int
    public var volume_cm3: Double
    public var headCenter_LPS_mm: [Double]?
    public var headRadius_mm: Double?
    public var neckShaftAngle_deg: Double?
    public var cutByFieldOfView: Bool
    /// Coverage below the lesser trochanter (mm), when the lesser trochanter was found.
    public var coverageBelowLesserTrochanter_mm: Double?
    public init(side: BodySide, label: Int, volume_cm3: Double, headCenter_LPS_mm: [Double]?, headRadius_mm: Double?,
                neckShaftAngle_deg: Double?, cutByFieldOfView: Bool, coverageBelowLesserTrochanter_mm: Double?) {
        self.side = side; self.label = label; self.volume_cm3 = volume_cm3; self.headCenter_LPS_mm = headCenter_LPS_mm
        self.headRadius_mm = headRadius_mm; self.neckShaftAngle_deg = neckShaftAngle_deg; self.cutByFieldOfView = cutByFieldOfView
        self.coverageBelowLesserTrochanter_mm = coverageBelowLesserTrochanter_mm
    }
}

/// One vertebra.
public struct VertebraRecord: Codable, Sendable, Equatable {
    /// "L1", … or nil when levels are unnamed.
    public var level: String?
    public var ordinal: Int
    public var bodyLabel: Int
    public var bodyVolume_cm3: Double
    public var cutByFieldOfView: Bool
    public init(level: String?, ordinal: Int, bodyLabel: Int, bodyVolume_cm3: Double, cutByFieldOfView: Bool) {
        self.level = level; self.ordinal = ordinal; self.bodyLabel = bodyLabel; self.bodyVolume_cm3 = bodyVolume_cm3
        self.cutByFieldOfView = cutByFieldOfView
    }
}
