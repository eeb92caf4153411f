// The acquisition requirements of methods.md §2 (VirtuOst's published requirements), overridable.

/// The numeric limits the rules apply; the defaults are VirtuOst's published requirements [C].
public struct EligibilityCriteria: Codable, Sendable, Equatable {
    /// Allowed tube voltage (kV), both sites.
    public var kvpRange: ClosedRange<Double> = 100...140
    /// Largest reconstructed slice thickness (mm).
    public var maxSliceThicknessHip = 5.0
    public var maxSliceThicknessSpine = 3.0
    /// HU at or above which a voxel is metal (titanium and steel implants exceed it; cortical bone does not).
    public var metalHU: Float = 2500
    /// Axial sections of a site's bone holding at least this many metal voxels refuse the site
    /// (a single voxel can be a calcification's partial-volume peak).
    public var minMetalVoxelsPerSection = 3
    /// Where the defaults come from.
    public var source = "VirtuOst published requirements (methods.md §2) [C]"

    public init() {}

    /// The defaults of methods.md §2.
    public static let virtuOst = EligibilityCriteria()
}
