// The result of spine densitometry: per-vertebra trabecular vBMD, the site value and its class.
import OpenBCTCore

/// The trabecular VOI of one vertebra, in its vertebral frame (LPS mm).
public struct TrabecularVOI: Codable, Sendable, Equatable {
    /// Frame origin (the body centroid), body axis (inferior → superior) and anterior direction (⊥ axis).
    public var origin: Vec3
    public var axis: Vec3
    public var anterior: Vec3
    /// Ellipse centre in the frame (lateral = axis × anterior, anterior; mm from the origin) and its
    /// lateral and antero-posterior semi-axes (mm).
    public var ellipseCentreMM: [Double]
    public var lateralSemiAxisMM: Double
    public var anteroposteriorSemiAxisMM: Double
    /// The depth margin used (mm; `SpineBMDOptions.effectiveCortexMargin`).
    public var cortexMarginMM: Double
    /// The voxels kept: inside the ellipse, ≥ `cortexMarginMM` deep in the body, outside the vein slab.
    public var voxelCount: Int
    public var volumeMM3: Double
    /// Extent of the kept voxels along the axis (mm, relative to the origin).
    public var axialRangeMM: [Double]
}

/// vBMD of one vertebra.
public struct VertebraBMD: Codable, Sendable {
    /// Level name ("L1") or nil for an unnamed vertebra.
    public var level: String?
    public var ordinal: Int
    /// Mean K2HPO4-equivalent density over the VOI (mg/cm³): the vBMD.
    public var vBMD: Double?
    public var medianDensity: Double?
    public var standardDeviation: Double?
    /// Mean HU over the VOI (when the HU volume was given).
    public var meanHU: Double?
    public var voi: TrabecularVOI?
    /// Whether this vertebra may enter the site value (whole, VOI large enough).
    public var usable: Bool
    /// Why not, or caveats.
    public var notes: [String]
}

/// The site value: the mean of the levels used.
public struct SpineSiteValue: Codable, Sendable {
    public var levels: [String]
    /// Mean of the levels' vBMD (mg/cm³ K2HPO4).
    public var vBMD: Double
    /// nil when no class may be given (age < 20).
    public var classification: SpineBMDClass?
    /// Displayed to 1 mg/cm³ (methods.md §7); classes use the unrounded value.
    public var displayed: String
    public var notes: [String]
}

/// Everything spine densitometry measured.
public struct SpineBMDResult: Codable, Sendable {
    public var vertebrae: [VertebraBMD]
    /// nil when no usable vertebra was found (see `notes`).
    public var site: SpineSiteValue?
    /// L1 trabecular HU screening, when L1 was measured on the HU volume.
    public var opportunisticL1: OpportunisticL1HU?
    public var classSource = SpineBMDClass.source
    public var densityUnit = "mg/cm³ K2HPO4-equivalent"
    public var options: SpineBMDOptions
    public var notes: [String]
    public var notice = OpenBCT.researchUseNotice
}
