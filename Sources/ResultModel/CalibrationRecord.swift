// The HU → density calibration as recorded in the document.

/// The calibration used: the line, its quality and the regions it was fitted to.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// "phantom", "mindwaysK2HPO4InWater", "internalEffectiveEnergy", "internalTwoPoint", "asynchronous".
    public var method: String
    /// The mineral of the fit's density axis ("K2HPO4", "HA").
    public var equivalent: String
    /// HU = intercept + slope·ρ (ρ in mg/cm³ of `equivalent`).
    public var intercept_HU: Double
    public var slope_HU_per_mgcm3: Double
    public var rSquared: Double?
    /// Standard errors of the fit (nil when the fit has no residual degrees of freedom).
    public var interceptStandardError_HU: Double?
    public var slopeStandardError: Double?
    /// The combined map to K2HPO4-equivalent density: ρ_K = a + b·HU.
    public var densityOffset_mgcm3: Double
    public var densityPerHU: Double
    public var effectiveEnergy_keV: Double?
    public var regions: [CalibrationRegionRecord]
    /// Internal methods: tissues measured and reported with their residual against the fitted line but not
    /// fitted (visceral fat; docs/calibration.md). Nil when none was measured (schema 1.1).
    public var checkRegions: [CalibrationRegionRecord]?
    public var notes: [String]
    public init(method: String, equivalent: String, intercept_HU: Double, slope_HU_per_mgcm3: Double, rSquared: Double?,
                interceptStandardError_HU: Double?, slopeStandardError: Double?, densityOffset_mgcm3: Double,
                densityPerHU: Double, effectiveEnergy_keV: Double?, regions: [CalibrationRegionRecord],
                checkRegions: [CalibrationRegionRecord]? = nil, notes: [String]) {
        self.method = method; self.equivalent = equivalent; self.intercept_HU = intercept_HU
        self.slope_HU_per_mgcm3 = slope_HU_per_mgcm3; self.rSquared = rSquared
        self.interceptStandardError_HU = interceptStandardError_HU; self.slopeStandardError = slopeStandardError
        self.densityOffset_mgcm3 = densityOffset_mgcm3; self.densityPerHU = densityPerHU
        self.effectiveEnergy_keV = effectiveEnergy_keV; self.regions = regions; self.checkRegions = checkRegions
        self.notes = notes
    }
}

/// One calibration region (a rod or a tissue sample).
public struct CalibrationRegionRecord: Codable, Sendable, Equatable {
    public var name: String
    public var medianHU: Double
    public var madHU: Double
    public var voxels: Int
    public var area_mm2: Double
    public var referenceDensity_mgcm3: Double?
    public var referenceHU: Double?
    public var residualHU: Double?
    public init(name: String, medianHU: Double, madHU: Double, voxels: Int, area_mm2: Double,
                referenceDensity_mgcm3: Double?, referenceHU: Double?, residualHU: Double?) {
        self.name = name; self.medianHU = medianHU; self.madHU = madHU; self.voxels = voxels; self.area_mm2 = area_mm2
        self.referenceDensity_mgcm3 = referenceDensity_mgcm3; self.referenceHU = referenceHU; self.residualHU = residualHU
    }
}
