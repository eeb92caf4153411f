// When a force–displacement curve may end before the deformation limit: once it has clearly passed
// its peak. Loading on to the limit after that only traces the falling branch — on the phantom femurs
// and the L4 8–55 % of a solve — and cannot change the strength unless the curve rises again above
// its peak, which no curve measured so far did (docs/fe-methods.md, "Ending a curve after its peak").

/// The rule ending a curve after its peak: the force has stayed below the peak for `increments`
/// converged increments in a row and over at least `limitShare` of the deformation limit.
public struct DeclineStop: Sendable, Codable, Equatable {
    /// Converged increments in a row below the peak (at least 1).
    public var increments: Int
    /// Load travelled since the peak, as a share of the deformation limit (0 ≤ limitShare < 1): small
    /// increments alone (after a cut-back) do not end a curve.
    public var limitShare: Double

    public init(increments: Int, limitShare: Double = 0) {
        self.increments = increments; self.limitShare = limitShare
    }

    /// `openbct analyze`'s rule (docs/analysis.md, "Decisions"): 3 increments and 5 % of the limit.
    public static let analysis = DeclineStop(increments: 3, limitShare: 0.05)

    /// Whether a curve whose peak lies at load factor `peakFactor`, `sincePeak` increments back, may end at `factor`.
    func ends(sincePeak: Int, peakFactor: Double, factor: Double) -> Bool {
        sincePeak >= increments && factor - peakFactor >= limitShare - 1e-12
    }

    /// nil when valid, else what is wrong.
    var problem: String? {
        guard increments >= 1 else { return "stopAfterDecline needs at least 1 increment, got \(increments)" }
        guard limitShare >= 0, limitShare < 1 else { return "stopAfterDecline's limit share must lie in [0, 1), got \(limitShare)" }
        return nil
    }
}
