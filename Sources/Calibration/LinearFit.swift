// Least-squares straight line y = a + b·x with the diagnostics a calibration report needs.

/// An ordinary least-squares line `y = intercept + slope·x`.
public struct LinearFit: Codable, Sendable, Equatable {
    public var intercept: Double
    public var slope: Double
    /// Coefficient of determination (1 for two points or a perfect line; nil when y has no variance).
    public var rSquared: Double?
    /// y − ŷ per input point, in input order.
    public var residuals: [Double]

    /// Fits `points` (x, y). Needs at least two distinct x values.
    public init(_ points: [(x: Double, y: Double)]) throws {
        guard points.count >= 2 else { throw CalibrationError("a line needs at least 2 points, got \(points.count)") }
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.x } / n, my = points.reduce(0) { $0 + $1.y } / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for p in points { sxx += (p.x - mx) * (p.x - mx); sxy += (p.x - mx) * (p.y - my); syy += (p.y - my) * (p.y - my) }
        guard sxx > 0 else { throw CalibrationError("all calibration points share one density: the slope is undefined") }
        slope = sxy / sxx
        intercept = my - slope * mx
        let b = slope, a = intercept
        residuals = points.map { $0.y - (a + b * $0.x) }
        let ssr = residuals.reduce(0) { $0 + $1 * $1 }
        rSquared = syy > 0 ? 1 - ssr / syy : nil
    }

    /// ŷ at `x`.
    @inlinable public func value(at x: Double) -> Double { intercept + slope * x }

    /// x at which the line reaches `y` (the calibration inverse).
    @inlinable public func inverse(_ y: Double) -> Double { (y - intercept) / slope }
}

/// A calibration that cannot be computed from the data given.
public struct CalibrationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
