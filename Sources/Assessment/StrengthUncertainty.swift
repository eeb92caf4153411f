// The uncertainty interval on a strength: independent relative components added in quadrature.
import Foundation
import ResultModel

/// Builds the interval on an FE strength from (docs/analysis.md):
/// 1. calibration — the fit's slope and intercept standard errors give a density uncertainty at the
///    bone's mean density, carried through the yield-stress law's exponent (strength of an
///    elastic–perfectly plastic bone scales with the yield stresses, σ_y ∝ ρ^p);
/// 2. fall direction (hip) — the relative standard deviation of the linear stiffness over the fall
///    directions solved (strength tracks stiffness across directions);
/// 3. segmentation — half the change of the linear stiffness between the bone mask eroded and dilated
///    by one voxel, relative to the nominal stiffness (a ±1-voxel surface error read as ±1 standard
///    uncertainty; strength tracks stiffness);
/// 4. repeat-analysis precision — positioning and noise (and segmentation again: the measured CV cannot
///    be split, so the two overlap and the interval errs wide), as the precision CV.
/// The interval is strength·(1 ± 1.96·u), u = sqrt(Σ uᵢ²): a nominal 95 % interval.
public enum StrengthUncertainty {
    public static let coverageFactor = 1.96

    /// Calibration component: relative density uncertainty at `meanDensity` (mg/cm³ of the fit's axis) times p.
    public static func calibration(_ c: CalibrationRecord, meanDensity: Double, yieldExponent: Double) -> UncertaintyComponent? {
        guard let sb = c.slopeStandardError, let sa = c.interceptStandardError_HU, meanDensity > 0 else { return nil }
        // ρ = (HU − a)/b at HU = a + b·ρ̄: ∂ρ/∂a = −1/b, ∂ρ/∂b = −ρ̄/b (covariance neglected: a bound-like estimate).
        let b = c.slope_HU_per_mgcm3
        let sRho = ((sa / b) * (sa / b) + (meanDensity * sb / b) * (meanDensity * sb / b)).squareRoot()
        return UncertaintyComponent(source: "calibration", relative: yieldExponent * sRho / meanDensity,
                                    method: String(format: "fit SE (slope %.4g, intercept %.3g HU) at mean density %.0f mg/cm³ × yield exponent %.2f",
                                                   sb, sa, meanDensity, yieldExponent))
    }

    /// Fall-direction component: relative SD of the directions' linear stiffness.
    public static func fallDirection(_ d: [FallDirectionStiffness]) -> UncertaintyComponent? {
        guard d.count >= 2 else { return nil }
        let k = d.map(\.stiffness_N_per_mm), mean = k.reduce(0, +) / Double(k.count)
        let sd = (k.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(k.count - 1)).squareRoot()
        return UncertaintyComponent(source: "fallDirection", relative: sd / mean,
                                    method: "relative SD of the linear stiffness over \(d.count) fall directions")
    }

    /// Segmentation component from the linear stiffness of the eroded and dilated masks (N/mm).
    public static func segmentation(eroded: Double, dilated: Double, nominal: Double, radius_mm: Double) -> UncertaintyComponent? {
        guard nominal > 0, eroded > 0, dilated > 0 else { return nil }
        return UncertaintyComponent(source: "segmentation", relative: abs(dilated - eroded) / (2 * nominal),
                                    method: String(format: "linear stiffness with the bone mask eroded / dilated by %.2f mm (one voxel): %.0f / %.0f N/mm vs %.0f N/mm; half the range relative to nominal",
                                                   radius_mm, eroded, dilated, nominal))
    }

    /// Precision component from a CV (%).
    public static func precision(cvPercent: Double, source: String) -> UncertaintyComponent {
        UncertaintyComponent(source: "repeatAnalysis", relative: cvPercent / 100, method: "precision CV \(cvPercent) %: \(source)")
    }

    /// The combined interval.
    public static func interval(strength: Double, components: [UncertaintyComponent]) -> StrengthInterval {
        let u = components.map { $0.relative * $0.relative }.reduce(0, +).squareRoot()
        return StrengthInterval(low_N: strength * max(0, 1 - coverageFactor * u), high_N: strength * (1 + coverageFactor * u),
                                coverage: "nominal 95 % (1.96 × combined relative standard uncertainty \(String(format: "%.3f", u)))",
                                components: components)
    }
}
