// Parameters of hip densitometry. Every default is recorded in the result; [U] marks an unconfirmed one.
import Calibration

/// The parameters of the DXA-equivalent hip measurement (docs/densitometry-hip.md).
public struct HipOptions: Sendable, Codable, Equatable {
    /// Pixel size of the projection image, mm [U]. Finer than a DXA pixel (≈ 1 mm) so the bone area
    /// is not dominated by edge pixels.
    public var pixelSizeMM = 0.5
    /// Width of the femoral-neck box along the neck axis, mm (methods.md §10).
    public var neckBoxWidthMM = 15.0
    /// Room left between the bone and the region lines, mm [U] (Hologic draws its lines 5 pixels
    /// outside the bone edge).
    public var regionMarginMM = 5.0
    /// Chords of the neck longer than this multiple of the narrowest one (where the trochanter joins
    /// the projection) do not widen the neck box [U].
    public var neckChordCapFactor = 1.5
    /// Distal edge of the total-hip region below the lesser trochanter's distal edge, mm [U]
    /// (Hologic places it 10 pixels below).
    public var distalEdgeBelowLesserTrochanterMM = 10.0
    /// The mineral the projection is expressed in. DXA is calibrated in hydroxyapatite-like mineral,
    /// so the default converts each voxel's K2HPO4-equivalent density to HA (methods.md §10).
    public var mineral: MineralEquivalent = .hydroxyapatite
    /// Young-adult reference for T-scores.
    public var tReference: TScoreReference = .nhanes3WhiteWomen20to29
    /// Age/sex reference for Z-scores; nil (the default) means none is confirmed and Z is unavailable.
    public var zReference: ZScoreReferenceTable?

    public init() {}
}
