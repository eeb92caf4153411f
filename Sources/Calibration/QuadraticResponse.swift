// A curved HU–density response measured on rods of several sizes: a shared quadratic, a partial-volume scale per size.
import OpenBCTCore

/// The response HU = f(ρ) = a + b·ρ + c·ρ² of the reference (largest) rod size, fitted together with a
/// partial-volume scale s_g for every other size group g.
///
/// A rod's central ROI in group g reads HU = bg + s_g·(f(ρ) − bg), where bg is the HU measured around that
/// rod: the scanner's blur mixes the rod with its surroundings linearly, by a fraction that depends on the
/// rod's size and not on its density, so rods of one size share s_g (the reference group has s = 1; its own
/// mixing is folded into f). bg is only the mixing partner, never a calibration point (its density is
/// unknown). The curvature c is shared by all sizes: it is the scanner's (beam-hardening-corrected) response
/// to the mineral, identified by every group, so a rod can be measured with a curve that other rods define.
/// Parameters: 3 + (groups − 1); the fit needs more points than parameters (docs/calibration.md).
public struct QuadraticResponse: Codable, Sendable, Equatable {
    /// One measured rod: nominal density, ROI mean HU, the HU of its surroundings, its size group (0 = reference).
    public struct Point: Codable, Sendable, Equatable {
        public var density: Double
        public var hu: Double
        public var backgroundHU: Double
        public var group: Int
        public init(density: Double, hu: Double, backgroundHU: Double, group: Int) {
            self.density = density; self.hu = hu; self.backgroundHU = backgroundHU; self.group = group
        }
    }

    /// f(ρ) = a + b·ρ + c·ρ² (HU; ρ in mg/cm³ of the calibration's equivalent).
    public var a: Double, b: Double, c: Double
    /// Partial-volume scale of each size group (index = group; the reference group 0 has 1).
    public var groupScales: [Double]
    /// Measured minus modelled HU per point, in input order.
    public var residuals: [Double]
    /// The density range of the rods the curve was fitted on; outside it the curve is an extrapolation.
    public var fittedDensityRange: ClosedRange<Double>

    /// f(ρ) in HU.
    @inlinable public func value(at density: Double) -> Double { a + (b + c * density) * density }

    /// The density where f turns (dHU/dρ = 0), nil for a straight line. The inverse is clamped there.
    public var turningDensity: Double? { c == 0 ? nil : -b / (2 * c) }

    /// ρ with f(ρ) = `hu` on the branch that increases through the fitted rods; HU that the curve never
    /// reaches (beyond its turning point) read the turning point's density.
    @inlinable public func inverse(_ hu: Double) -> Double {
        let d = hu - a
        guard c != 0 else { return d / b }
        let discriminant = b * b + 4 * c * d
        guard discriminant > 0 else { return -b / (2 * c) }
        let root = discriminant.squareRoot()
        // The increasing branch is the one with b + 2cρ = +√D; written without cancellation when b ≥ 0.
        return b >= 0 ? 2 * d / (b + root) : (root - b) / (2 * c)
    }

    /// Density of a rod of size group `group` reading `hu` with surroundings `backgroundHU`:
    /// undoes the group's partial-volume mixing, then inverts f.
    public func density(hu: Double, backgroundHU: Double, group: Int) -> Double {
        inverse(backgroundHU + (hu - backgroundHU) / groupScales[group])
    }

    /// Least squares over `points` (Levenberg–Marquardt on a, b, c and the non-reference scales).
    /// Throws when the points cannot determine the parameters or the fitted curve is not increasing over the
    /// rods' densities (a calibration must be invertible where it was measured).
    public init(fitting points: [Point]) throws {
        let groups = (points.map(\.group).max() ?? -1) + 1
        guard groups >= 1, Set(points.map(\.group)) == Set(0..<groups) else {
            throw CalibrationError("quadratic response: every size group 0..<\(groups) needs a rod, the reference group (0) included")
        }
        let parameterCount = 3 + groups - 1
        guard points.count >= parameterCount, Set(points.map(\.density)).count >= 3 else {
            throw CalibrationError("quadratic response: \(points.count) rods of \(Set(points.map(\.density)).count) densities cannot determine \(parameterCount) parameters (a, b, c and \(groups - 1) partial-volume scales; a curvature needs 3 densities)")
        }
        // Densities scaled to O(1) so the normal equations stay well conditioned (ρ² reaches 10⁶).
        let largest = points.map { abs($0.density) }.max() ?? 1
        let solver = Solver(points: points, scale: largest > 0 ? largest : 1, groups: groups)
        guard let start = solver.start(), let fitted = solver.minimise(from: start) else {
            throw CalibrationError("quadratic response: the rods do not determine the curve (singular least squares)")
        }
        a = fitted[0]; b = fitted[1] / solver.scale; c = fitted[2] / (solver.scale * solver.scale)
        groupScales = [1] + fitted[3...]
        residuals = solver.residuals(fitted)
        let densities = points.map(\.density)
        fittedDensityRange = densities.min()! ... densities.max()!
        // f' = b + 2cρ is linear in ρ: positive at both ends means positive over the whole range.
        let slopes = [fittedDensityRange.lowerBound, fittedDensityRange.upperBound].map { b + 2 * c * $0 }
        guard slopes.allSatisfy({ $0 > 0 }) else {
            throw CalibrationError(String(format: "quadratic response is not increasing over the rods (dHU/dρ %.4f at %g, %.4f at %g mg/cm³): it cannot be inverted",
                                          slopes[0], fittedDensityRange.lowerBound, slopes[1], fittedDensityRange.upperBound))
        }
        guard groupScales.allSatisfy({ $0 > 0 }) else {
            throw CalibrationError("quadratic response: a partial-volume scale came out ≤ 0 (\(groupScales)); the size groups do not fit one curve")
        }
    }

    /// The least-squares problem in scaled density x = ρ/scale: θ = (a, b', c', s_1 … s_{G−1}).
    private struct Solver {
        let points: [Point]
        let scale: Double
        let groups: Int

        func groupScale(_ theta: [Double], _ g: Int) -> Double { g == 0 ? 1 : theta[2 + g] }

        func residuals(_ theta: [Double]) -> [Double] {
            points.map { p in
                let x = p.density / scale
                let f = theta[0] + theta[1] * x + theta[2] * x * x
                return p.hu - p.backgroundHU - groupScale(theta, p.group) * (f - p.backgroundHU)
            }
        }

        /// Scales from each group's straight-line slope against the reference group's, then (a, b', c') by
        /// linear least squares with those scales.
        func start() -> [Double]? {
            func slope(_ g: Int) -> Double? {
                let pts = points.filter { $0.group == g }.map { (x: $0.density, y: $0.hu) }
                return (try? LinearFit(pts))?.slope
            }
            let reference = slope(0)
            var theta = [0.0, 0, 0] + (1..<groups).map { g -> Double in
                guard let r = reference, let s = slope(g), r > 0, s > 0 else { return 1 }
                return s / r
            }
            var ata = [[Double]](repeating: [0, 0, 0], count: 3), atb = [0.0, 0, 0]
            for p in points {
                let s = groupScale(theta, p.group), x = p.density / scale
                let row = [s, s * x, s * x * x], y = p.hu - p.backgroundHU * (1 - s)
                for r in 0..<3 { atb[r] += row[r] * y; for k in 0..<3 { ata[r][k] += row[r] * row[k] } }
            }
            guard let abc = LinearSolve.solve(ata, atb) else { return nil }
            theta.replaceSubrange(0..<3, with: abc)
            return theta
        }

        /// JᵀJ and Jᵀr of the residuals at θ.
        func normalEquations(_ theta: [Double], _ r: [Double]) -> (jtj: [[Double]], jtr: [Double]) {
            let n = theta.count
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            var jtr = [Double](repeating: 0, count: n)
            for (i, p) in points.enumerated() {
                let x = p.density / scale, s = groupScale(theta, p.group)
                var row = [Double](repeating: 0, count: n)
                row[0] = -s; row[1] = -s * x; row[2] = -s * x * x
                if p.group > 0 { row[2 + p.group] = -(theta[0] + theta[1] * x + theta[2] * x * x - p.backgroundHU) }
                for u in 0..<n { jtr[u] += row[u] * r[i]; for v in 0..<n { jtj[u][v] += row[u] * row[v] } }
            }
            return (jtj, jtr)
        }

        /// Levenberg–Marquardt (Marquardt's diagonal damping) until a step no longer changes θ; nil when
        /// the parameters are not determined (JᵀJ, scaled to a unit diagonal, is singular at the minimum).
        func minimise(from start: [Double]) -> [Double]? {
            var theta = start
            var r = residuals(theta)
            var cost = r.reduce(0) { $0 + $1 * $1 }
            var lambda = 1e-6
            iterations: for _ in 0..<500 {
                let (jtj, jtr) = normalEquations(theta, r)
                while lambda < 1e12 {
                    var damped = jtj
                    for u in damped.indices { damped[u][u] += lambda * max(jtj[u][u], 1e-12) }
                    guard let step = LinearSolve.solve(damped, jtr.map { -$0 }) else { return nil }
                    let trial = zip(theta, step).map { $0 + $1 }
                    let trialResiduals = residuals(trial)
                    let trialCost = trialResiduals.reduce(0) { $0 + $1 * $1 }
                    if trialCost <= cost {
                        let moved = zip(step, trial).map { abs($0) / max(abs($1), 1e-12) }.max() ?? 0
                        theta = trial; r = trialResiduals; cost = trialCost
                        lambda = max(lambda / 10, 1e-15)
                        if moved < 1e-13 { break iterations }
                        continue iterations
                    }
                    lambda *= 10
                }
                break  // no downhill step left: at the minimum
            }
            let jtj = normalEquations(theta, r).jtj
            let d = jtj.indices.map { 1 / max(jtj[$0][$0], 1e-300).squareRoot() }
            let unit = jtj.indices.map { u in jtj.indices.map { v in jtj[u][v] * d[u] * d[v] } }
            return LinearSolve.solve(unit, [Double](repeating: 0, count: theta.count)) == nil ? nil : theta
        }
    }
}
