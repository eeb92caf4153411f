// Density → modulus and yield laws of methods.md §6 and §10, as data: a law is a density measure
// plus piecewise power laws, so presets and user-defined laws share one evaluator.
import OpenBCTCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which density a law takes (g/cm³), derived from the canonical K2HPO4-equivalent density ρ_K (mg/cm³).
public enum DensityMeasure: String, Sendable, Codable, CaseIterable {
    /// QCT density ρ = ρ_K / 1000 (Kopperdahl 2002).
    case qct
    /// Ash density ρ_ash = (1.06·ρ_K + 38.9) / 1000 (Keyak/Ogo).
    case ash
    /// Apparent (wet) density ρ_app = ρ_ash / 0.6 (Morgan 2003).
    case apparent

    /// The law's density (g/cm³) for a K2HPO4-equivalent density in mg/cm³.
    @inlinable public func density(fromK2HPO4 rhoK: Double) -> Double {
        switch self {
        case .qct: return rhoK / 1000
        case .ash: return (1.06 * rhoK + 38.9) / 1000
        case .apparent: return (1.06 * rhoK + 38.9) / 1000 / 0.6
        }
    }
}

/// `value = coefficient · ρ^exponent` for ρ up to `upperDensity` (inclusive); the last piece of a
/// `PiecewisePowerLaw` should have `upperDensity = .infinity`.
public struct PowerLawPiece: Sendable, Codable, Hashable {
    public var coefficient: Double
    public var exponent: Double
    public var upperDensity: Double
    public init(_ coefficient: Double, _ exponent: Double, upTo upperDensity: Double = .infinity) {
        self.coefficient = coefficient; self.exponent = exponent; self.upperDensity = upperDensity
    }
}

/// A power law in pieces over increasing density ranges (Morgan's fits are published as two pieces
/// that do not meet: they are kept as published). Non-positive densities give 0.
public struct PiecewisePowerLaw: Sendable, Codable, Hashable {
    public var pieces: [PowerLawPiece]
    public init(_ pieces: [PowerLawPiece]) { self.pieces = pieces }
    /// A single power law `coefficient · ρ^exponent`.
    public init(coefficient: Double, exponent: Double) { self.pieces = [PowerLawPiece(coefficient, exponent)] }

    @inlinable public func callAsFunction(_ rho: Double) -> Double {
        guard rho > 0, !pieces.isEmpty else { return 0 }
        let p = pieces.first { rho <= $0.upperDensity } ?? pieces[pieces.count - 1]
        return p.coefficient * pow(rho, p.exponent)
    }
}

/// How a law defines yield (for the nonlinear solver).
public enum YieldDefinition: Sendable, Codable, Hashable {
    /// Yield stresses (MPa) from density; yield strain ε = σ_y / E.
    case stresses(compression: PiecewisePowerLaw, tension: PiecewisePowerLaw)
    /// Compressive yield stress from density; tension = compression × `tensionRatio`.
    case compressiveStress(PiecewisePowerLaw, tensionRatio: Double)
    /// Fixed yield strains (dimensionless, positive).
    case strains(compression: Double, tension: Double)
}

/// A bone material law: modulus (MPa) and optionally yield, from K2HPO4-equivalent density.
public struct BoneMaterialLaw: Sendable, Codable, Hashable {
    public var name: String
    public var measure: DensityMeasure
    public var modulus: PiecewisePowerLaw
    public var yield: YieldDefinition?

    public init(name: String, measure: DensityMeasure, modulus: PiecewisePowerLaw, yield: YieldDefinition? = nil) {
        self.name = name; self.measure = measure; self.modulus = modulus; self.yield = yield
    }

    /// Young's modulus (MPa) before any floor; 0 for non-positive law density.
    @inlinable public func youngsModulus(k2hpo4 rhoK: Double) -> Double { modulus(measure.density(fromK2HPO4: rhoK)) }

    /// Yield strains (tension, compression), both positive, given the element's modulus `E` (MPa);
    /// nil when the law defines no yield or the stresses vanish (void).
    public func yieldStrains(k2hpo4 rhoK: Double, modulus E: Double) -> SIMD2<Float>? {
        guard let yield, E > 0 else { return nil }
        let rho = measure.density(fromK2HPO4: rhoK)
        switch yield {
        case let .strains(c, t): return SIMD2(Float(t), Float(c))
        case let .stresses(c, t):
            let sc = c(rho), st = t(rho)
            guard sc > 0, st > 0 else { return nil }
            return SIMD2(Float(st / E), Float(sc / E))
        case let .compressiveStress(c, ratio):
            let sc = c(rho)
            guard sc > 0 else { return nil }
            return SIMD2(Float(sc * ratio / E), Float(sc / E))
        }
    }

    // MARK: Presets (methods.md §6, §10)

    /// Femur, Keyak/Ogo: E = 10500·ρ_ash^2.29 (linear only).
    public static let femurKeyak = BoneMaterialLaw(
        name: "femur-keyak", measure: .ash, modulus: PiecewisePowerLaw(coefficient: 10500, exponent: 2.29))

    /// Femur, Morgan 2003 piecewise on ρ_app, with piecewise compressive and tensile yield stresses.
    public static let femurMorgan = BoneMaterialLaw(
        name: "femur-morgan", measure: .apparent,
        modulus: PiecewisePowerLaw([PowerLawPiece(15010, 2.18, upTo: 0.28), PowerLawPiece(6850, 1.49)]),
        yield: .stresses(
            compression: PiecewisePowerLaw([PowerLawPiece(85.5, 2.26, upTo: 0.355), PowerLawPiece(38.5, 1.48)]),
            tension: PiecewisePowerLaw([PowerLawPiece(50.1, 2.04, upTo: 0.355), PowerLawPiece(22.6, 1.26)])))

    /// Vertebra, Kopperdahl 2002 on QCT density: E = 2980·ρ^1.05, σ_yc = 37.4·ρ^1.39, σ_yt = σ_yc·0.78/0.84.
    public static let vertebraKopperdahl = BoneMaterialLaw(
        name: "vertebra-kopperdahl", measure: .qct, modulus: PiecewisePowerLaw(coefficient: 2980, exponent: 1.05),
        yield: .compressiveStress(PiecewisePowerLaw(coefficient: 37.4, exponent: 1.39), tensionRatio: 0.78 / 0.84))

    /// Vertebra, Morgan 2003: E = 4730·ρ_app^1.56, yield strains 0.84 % compression, 0.78 % tension.
    public static let vertebraMorgan = BoneMaterialLaw(
        name: "vertebra-morgan", measure: .apparent, modulus: PiecewisePowerLaw(coefficient: 4730, exponent: 1.56),
        yield: .strains(compression: 0.0084, tension: 0.0078))

    /// All presets by name.
    public static let presets: [String: BoneMaterialLaw] = Dictionary(uniqueKeysWithValues:
        [femurKeyak, femurMorgan, vertebraKopperdahl, vertebraMorgan].map { ($0.name, $0) })
}

/// PMMA of caps and endplate layers (Ogo): E = 2500 MPa, yield 70 MPa in tension and compression.
public struct PMMAMaterial: Sendable, Codable, Hashable {
    public var youngsModulus: Double = 2500
    public var yieldStress: Double = 70
    public init(youngsModulus: Double = 2500, yieldStress: Double = 70) {
        self.youngsModulus = youngsModulus; self.yieldStress = yieldStress
    }
    /// Yield strains (tension, compression) = σ_y / E.
    public var yieldStrains: SIMD2<Float> {
        let e = Float(yieldStress / youngsModulus)
        return SIMD2(e, e)
    }
}
