// The ground truth written next to every phantom (truth.json).
import Foundation
import OpenBCTCore

/// Everything known exactly about a generated phantom.
public struct PhantomTruth: Sendable, Codable {
    public struct Plane: Sendable, Codable, Equatable {
        /// A point on the plane and its unit normal (outward from the vertebral body), LPS mm.
        public var point: Vec3
        public var normal: Vec3
    }

    public struct FemurLandmarks: Sendable, Codable {
        public var side: PhantomOptions.Side
        public var headCentre: Vec3
        public var headRadius: Double
        /// Unit vector from the neck–shaft intersection toward the head.
        public var neckAxis: Vec3
        /// Unit vector along the shaft, pointing proximally.
        public var shaftAxis: Vec3
        public var neckShaftIntersection: Vec3
        /// Angle between the neck axis and the distal shaft direction (degrees), from the axes.
        public var neckShaftAngle: Double
        /// Anteversion (degrees): the neck axis projected onto the plane perpendicular to the shaft,
        /// angle anterior to the coronal plane (the phantom has no condyles to refer to).
        public var anteversion: Double
        public var greaterTrochanter: Vec3
        public var lesserTrochanter: Vec3
        /// True when an implant replaced head and neck (the head landmarks are then the implant's).
        public var replacedByImplant: Bool
    }

    public struct VertebraLandmarks: Sendable, Codable {
        public var level: String
        /// Centre of the vertebral-body model (mid-height, on the body axis).
        public var bodyCentre: Vec3
        /// Centroid of the voxels labelled as this vertebral body (cortex, core and vein).
        public var bodyCentroid: Vec3?
        /// Unit body axis (inferior → superior).
        public var bodyAxis: Vec3
        public var superiorEndplate: Plane
        public var inferiorEndplate: Plane
        /// Body semi-axes lateral and antero-posterior at the endplates, and body height (mm).
        public var semiAxes: [Double]
        public var height: Double
        /// Mean of the truth density over voxels labelled as this body's trabecular core (mg/cm³).
        public var meanTrabecularDensity: Double?
    }

    public struct Rod: Sendable, Codable {
        public var label: UInt8
        public var material: String
        /// Nominal density of the rod material (mg/cm³ of K2HPO4 or hydroxyapatite).
        public var density: Double
        /// The same as K2HPO4-equivalent (mg/cm³), as in the truth density map.
        public var k2hpo4Equivalent: Double
        /// Noise-free HU of the rod centre.
        public var expectedHU: Double
        /// Rod axis position (LPS x, y; the rod runs along z) and radius (mm).
        public var centre: [Double]
        public var radius: Double
    }

    /// HU = intercept + slope·ρ for a solute in water (the calibration the phantom used).
    public struct CalibrationLine: Sendable, Codable {
        public var material: String
        public var slope: Double
        public var intercept: Double
        public var densityUnit: String
    }

    public var generator: String
    public var notice: String
    public var options: PhantomOptions
    public var grid: ImageGrid
    /// The density→HU model (effective energy, slopes, HU of each pure material).
    public var hounsfieldModel: HounsfieldModel
    public var calibration: [CalibrationLine]
    public var trabecularScale: Double
    public var rods: [Rod]
    public var femurs: [FemurLandmarks]
    public var vertebrae: [VertebraLandmarks]
    /// Label code (as a decimal string) → name.
    public var labels: [String: String]
    /// Mineral mass (mg) per bony structure, integrated at sub-voxel resolution.
    public var mineralMass: [String: Double]
    /// Mineral mass (mg) per label code present.
    public var mineralMassByLabel: [String: Double]
    /// Fraction of voxels supersampled for partial volume.
    public var supersampledFraction: Double
    /// In-plane PSF FWHM and z slice-profile broadening actually applied (mm).
    public var psfFWHM: Double
    public var sliceProfileSigma: Double
}
