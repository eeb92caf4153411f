// Calibration: HU → equivalent mineral density from in-scan phantoms or the patient's own tissues.
import Foundation
import OpenBCTCore

/// A HU → mineral-density calibration and everything needed to audit it.
///
/// The working form is the line `HU = line.intercept + line.slope·ρ`, with ρ in mg/cm³ of `equivalent`,
/// or, when `response` is set, that curve; `density(hu:)` and `apply(_:)` invert it and express the result
/// K2HPO4-equivalent (methods.md §10).
public struct Calibration: Codable, Sendable {
    /// How the line was obtained.
    public enum Method: String, Codable, Sendable {
        /// Least squares over phantom rods of known density.
        case phantom
        /// Phantom rods in the Mindways K2HPO4-in-water form (σ_CT = σ − 0.2174, β_CT = β + 999.6).
        case mindwaysK2HPO4InWater
        /// Phantom rods of several sizes with a quadratic response and a partial-volume scale per size (`QuadraticResponse`).
        case phantomQuadratic
        /// Internal: the effective energy at which the tissues' HU are most linear in their tabulated HU.
        case internalEffectiveEnergy
        /// Internal fallback: two tissues (air and fat or blood) at the nominal effective energy of the kVp.
        case internalTwoPoint
        /// A phantom calibration made on another scan of the same scanner and protocol (asynchronous).
        case asynchronousPhantom
    }

    public var method: Method
    /// The mineral the line's density axis is expressed in.
    public var equivalent: MineralEquivalent
    /// HU = intercept + slope·ρ (ρ in mg/cm³ `equivalent`). With a `response`, the straight line of its
    /// reference rod group, for comparison only.
    public var line: LinearFit
    /// A curved phantom response; when set, densities come from its inverse instead of `line`.
    public var response: QuadraticResponse?
    /// The regions measured, with their reference values and fit errors.
    public var regions: [CalibrationRegion]
    /// Internal methods: measured HU against the tissues' tabulated HU at `effectiveEnergyKeV`.
    public var tissueFit: LinearFit?
    public var effectiveEnergyKeV: Double?
    /// Internal methods: tissues measured and reported with their residual against the fitted line, but
    /// not fitted (visceral fat: docs/calibration.md says why). Nil when none was measured.
    public var checkRegions: [CalibrationRegion]?
    public var provenance: Provenance

    /// Where a calibration came from and what it assumed.
    public struct Provenance: Codable, Sendable {
        public var input: String?
        public var software: String
        /// Assumptions and caveats a reader must see (fallback methods, uncertified values).
        public var notes: [String]
        /// The scan the regions were measured on (recorded by the CLI; DICOM identifiers when known).
        public var measuredOn: ScanReference?
        /// Asynchronous calibration: the phantom scan the line was measured on.
        public var phantomScan: ScanReference?
        /// Asynchronous calibration: the scan the line was applied to.
        public var appliedTo: ScanReference?
        public init(input: String?, notes: [String]) {
            self.input = input; self.software = "openbct \(OpenBCT.version)"; self.notes = notes
        }
    }

    public init(method: Method, equivalent: MineralEquivalent, line: LinearFit, regions: [CalibrationRegion],
                tissueFit: LinearFit? = nil, effectiveEnergyKeV: Double? = nil, provenance: Provenance) {
        self.method = method; self.equivalent = equivalent; self.line = line; self.regions = regions
        self.tissueFit = tissueFit; self.effectiveEnergyKeV = effectiveEnergyKeV; self.provenance = provenance
    }

    /// Density in the calibration's own equivalent (mg/cm³) for a HU value.
    @inlinable public func nativeDensity(hu: Double) -> Double { response?.inverse(hu) ?? line.inverse(hu) }

    /// K2HPO4-equivalent density (mg/cm³) for a HU value.
    @inlinable public func density(hu: Double) -> Double {
        DensityConversion.k2hpo4(nativeDensity(hu: hu), from: equivalent)
    }

    /// The HU volume as K2HPO4-equivalent density (mg/cm³), same grid.
    public func apply(_ hu: Volume<Float>) -> Volume<Float> {
        guard !hu.voxels.isEmpty else { return hu }
        if response != nil { return applyCurve(hu) }
        // Both steps are affine, so the whole map is ρ_K = c0 + c1·HU.
        let c0 = density(hu: 0), c1 = density(hu: 1) - c0
        var out = [Float](repeating: 0, count: hu.voxels.count)
        hu.voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = SendableConstPointer(src.baseAddress!), d = SendablePointer(dst.baseAddress!)
                let a = Float(c0), b = Float(c1)
                parallelChunks(src.count, minimumChunk: 1 << 16) { r in
                    for i in r { d[i] = a + b * s[i] }
                }
            }
        }
        return Volume(grid: hu.grid, voxels: out)
    }

    /// `apply` for a curved response: the quadratic's inverse per voxel (then the affine change of equivalent).
    private func applyCurve(_ hu: Volume<Float>) -> Volume<Float> {
        var out = [Float](repeating: 0, count: hu.voxels.count)
        hu.voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = SendableConstPointer(src.baseAddress!), d = SendablePointer(dst.baseAddress!)
                parallelChunks(src.count, minimumChunk: 1 << 16) { r in
                    for i in r { d[i] = Float(density(hu: Double(s[i]))) }
                }
            }
        }
        return Volume(grid: hu.grid, voxels: out)
    }
}

/// One measured region of a calibration (a phantom rod or a tissue sample).
public struct CalibrationRegion: Codable, Sendable {
    /// What was sampled: "rod 200 mg/cm³", "air", "subcutaneous fat", "aortic blood", ….
    public var name: String
    /// Centre in LPS millimetres.
    public var centre: Vec3
    /// Axial slice index the region lies on (nil for a 3-D label region).
    public var slice: Int?
    /// Sampled area (mm²) on its slice, or the total cross-section for 3-D label regions.
    public var areaMM2: Double
    public var statistics: RegionStatistics
    /// Phantom rods: the known density (mg/cm³ of the calibration's equivalent).
    public var referenceDensity: Double?
    /// Internal methods: the tissue's tabulated HU at the effective energy.
    public var referenceHU: Double?
    /// Measured HU minus the fitted line at this region.
    public var residualHU: Double?
    /// Phantom rods: density from a fit that excludes this rod, and its error against the reference.
    public var leaveOneOutDensity: Double?
    public var leaveOneOutError: Double?
    /// Phantom rods: density from the fit over all rods, and its error (in-sample).
    public var fittedDensity: Double?
    /// Detected rods: median HU of the annulus around the rod (the partner of its partial-volume mixing).
    public var backgroundHU: Double?
    /// Detected rods: index of the rod's size group, 0 = the largest rods.
    public var sizeGroup: Int?

    public init(name: String, centre: Vec3, slice: Int?, areaMM2: Double, statistics: RegionStatistics) {
        self.name = name; self.centre = centre; self.slice = slice; self.areaMM2 = areaMM2; self.statistics = statistics
    }
}
