// Parameters of spine densitometry. Geometry defaults are [U] (reasoned, not published) and are
// recorded with every result; the class thresholds are Keaveny 2020 / ACR [C].
import Anatomy
import OpenBCTCore

/// How the trabecular VOI is placed and which levels make the site value.
public struct SpineBMDOptions: Codable, Sendable, Equatable {
    /// Levels averaged for the site value (methods.md §10: L1 and L2).
    public var siteLevels: [VertebralLevel] = [.L1, .L2]
    /// Levels a missing or ineligible site level may be replaced by, nearest first (methods.md §10: T12–L3).
    public var fallbackLevels: [VertebralLevel] = [.L1, .L2, .T12, .L3]
    /// VOI voxels lie at least this deep (mm) inside the vertebral body, clear of the cortical shell
    /// and the endplates [U]. On coarse grids the margin grows to 1.5 voxels (largest spacing) so
    /// that no VOI voxel shares the partial volume of the cortex's voxels.
    public var cortexMarginMM = 3.0

    /// The margin used on a grid of this spacing.
    public func effectiveCortexMargin(spacing: Vec3) -> Double { max(cortexMarginMM, 1.5 * max(spacing.x, spacing.y, spacing.z)) }
    /// The VOI's elliptic cross-section: these fractions of the body's lateral half-width and
    /// antero-posterior half-depth at mid-height [U] (a QCT-style central ellipse).
    public var lateralFraction = 0.7
    public var anteroposteriorFraction = 0.7
    /// The ellipse centre sits this fraction of the half-depth anterior of the body's mid-depth, away
    /// from the posterior wall where the basivertebral vein enters [U].
    public var anteriorShiftFraction = 0.1
    /// Voxels whose centres lie within this distance (mm) of the body's mid-height plane (|w| < 3 mm) are
    /// left out across the whole ellipse: the basivertebral vein runs in that plane from the posterior
    /// wall to the centre and forks forward past the ellipse centre [U].
    public var veinHalfThicknessMM = 3.0
    /// A VOI smaller than this (mm³) is not measured (too few voxels for a stable mean) [U].
    public var minimumVOIVolumeMM3 = 400.0
    /// The patient's age (years) when known: under 20 no class is given (methods.md §10).
    public var patientAgeYears: Double?

    public init() {}
}
