// Bone mineral density results: spine vBMD per vertebra and hip aBMD per region with T-scores.

/// WHO/ACR density classes (methods.md §5).
public enum BMDClass: String, Codable, Sendable, Equatable {
    case osteoporosis, lowBoneMass, normal
}

/// Densitometry of all sites.
public struct DensitometryRecord: Codable, Sendable, Equatable {
    public var spine: SpineBMDRecord?
    /// One entry per femur measured.
    public var hips: [HipBMDRecord]
    /// The lowest T-score over both hips' neck and total-hip regions (unrounded).
    public var lowestHipTScore: Double?
    public init(spine: SpineBMDRecord? = nil, hips: [HipBMDRecord] = [], lowestHipTScore: Double? = nil) {
        self.spine = spine; self.hips = hips; self.lowestHipTScore = lowestHipTScore
    }
}

/// Spine trabecular vBMD (mg/cm³ K2HPO4-equivalent).
public struct SpineBMDRecord: Codable, Sendable, Equatable {
    public var vertebrae: [VertebraBMD]
    /// The levels averaged for the site value ("L1", "L2").
    public var siteLevels: [String]
    /// Mean of the site levels (unrounded).
    public var siteVBMD_mgcm3: Double?
    /// Class on the unrounded site value (nil for paediatric patients).
    public var bmdClass: BMDClass?
    /// Opportunistic L1 trabecular HU (Pickhardt 2013, thresholds for another purpose: labelled).
    public var l1TrabecularHU: Double?
    public var method: String
    public var notes: [String]
    public init(vertebrae: [VertebraBMD], siteLevels: [String], siteVBMD_mgcm3: Double?, bmdClass: BMDClass?,
                l1TrabecularHU: Double?, method: String, notes: [String]) {
        self.vertebrae = vertebrae; self.siteLevels = siteLevels; self.siteVBMD_mgcm3 = siteVBMD_mgcm3
        self.bmdClass = bmdClass; self.l1TrabecularHU = l1TrabecularHU; self.method = method; self.notes = notes
    }
}

/// vBMD of one vertebra.
public struct VertebraBMD: Codable, Sendable, Equatable {
    public var level: String
    public var vBMD_mgcm3: Double
    public var meanHU: Double?
    /// Trabecular region volume (cm³).
    public var regionVolume_cm3: Double
    public var voxels: Int
    public var usable: Bool
    public var note: String?
    public init(level: String, vBMD_mgcm3: Double, meanHU: Double?, regionVolume_cm3: Double, voxels: Int, usable: Bool, note: String?) {
        self.level = level; self.vBMD_mgcm3 = vBMD_mgcm3; self.meanHU = meanHU; self.regionVolume_cm3 = regionVolume_cm3
        self.voxels = voxels; self.usable = usable; self.note = note
    }
}

/// DXA-equivalent hip aBMD of one femur.
public struct HipBMDRecord: Codable, Sendable, Equatable {
    public var side: BodySide
    public var regions: [HipRegionBMD]
    /// Lowest T-score of this femur's neck and total hip.
    public var lowestTScore: Double?
    public var bmdClass: BMDClass?
    /// "CT→DXA scale not cross-calibrated" and similar caveats shown next to every T-score.
    public var notes: [String]
    /// The DXA-like projection figure id, if written.
    public var projectionFigure: String?
    public init(side: BodySide, regions: [HipRegionBMD], lowestTScore: Double?, bmdClass: BMDClass?, notes: [String],
                projectionFigure: String?) {
        self.side = side; self.regions = regions; self.lowestTScore = lowestTScore; self.bmdClass = bmdClass
        self.notes = notes; self.projectionFigure = projectionFigure
    }
}

/// One DXA-like region of interest.
public struct HipRegionBMD: Codable, Sendable, Equatable {
    /// "femoralNeck", "trochanter", "intertrochanter", "totalHip".
    public var region: String
    public var aBMD_g_per_cm2: Double
    public var bmc_g: Double
    public var area_cm2: Double
    public var tScore: Double?
    /// Nil: no confirmed age/sex reference (methods.md §10) — say "unavailable".
    public var zScore: Double?
    public var valid: Bool
    public init(region: String, aBMD_g_per_cm2: Double, bmc_g: Double, area_cm2: Double, tScore: Double?, zScore: Double?, valid: Bool) {
        self.region = region; self.aBMD_g_per_cm2 = aBMD_g_per_cm2; self.bmc_g = bmc_g; self.area_cm2 = area_cm2
        self.tScore = tScore; self.zScore = zScore; self.valid = valid
    }
}
