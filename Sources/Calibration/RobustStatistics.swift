// Median / MAD summaries of region samples: robust to the odd vessel, calcification or noise spike.

/// Robust and classical statistics of the HU samples in one region.
public struct RegionStatistics: Codable, Sendable, Equatable {
    public var count: Int
    public var median: Double
    /// Median absolute deviation scaled by 1.4826 (a σ estimate for Gaussian noise).
    public var mad: Double
    public var mean: Double
    public var standardDeviation: Double

    /// Summarises `samples`; nil when there are none.
    public init?(_ samples: [Float]) {
        guard !samples.isEmpty else { return nil }
        count = samples.count
        let sorted = samples.map(Double.init).sorted()
        let med = Self.median(ofSorted: sorted)
        median = med
        let deviations = sorted.map { abs($0 - med) }.sorted()
        mad = 1.4826 * Self.median(ofSorted: deviations)
        mean = sorted.reduce(0, +) / Double(count)
        let m = mean
        standardDeviation = count > 1 ? (sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot() : 0
    }

    static func median(ofSorted s: [Double]) -> Double {
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}
