// Conversions between mineral-density equivalents (methods.md §3 and §10).

/// The reference material a density is expressed in.
public enum MineralEquivalent: String, Codable, Sendable {
    /// mg/cm³ K2HPO4 (the project's canonical density).
    case k2hpo4
    /// mg/cm³ hydroxyapatite.
    case hydroxyapatite
}

/// Density conversions, all in mg/cm³.
public enum DensityConversion {
    /// Ash density from K2HPO4-equivalent density: ρ_ash = 1.06·ρ_K + 38.9 (Keyak 1994).
    public static func ash(fromK2HPO4 rhoK: Double) -> Double { 1.06 * rhoK + 38.9 }

    /// Ash density from HA-equivalent density: ρ_ash = 0.839·ρ_HA + 69.8 (Kaneko 2004).
    public static func ash(fromHydroxyapatite rhoHA: Double) -> Double { 0.839 * rhoHA + 69.8 }

    /// K2HPO4-equivalent from HA-equivalent density through ash density (methods.md §10):
    /// ρ_K = (0.839·ρ_HA + 30.9)/1.06.
    public static func k2hpo4(fromHydroxyapatite rhoHA: Double) -> Double { (0.839 * rhoHA + 30.9) / 1.06 }

    /// Apparent (wet) density from ash density: ρ_app = ρ_ash/0.6.
    public static func apparent(fromAsh ash: Double) -> Double { ash / 0.6 }

    /// K2HPO4-equivalent density of a value expressed in `equivalent`.
    public static func k2hpo4(_ value: Double, from equivalent: MineralEquivalent) -> Double {
        switch equivalent {
        case .k2hpo4: value
        case .hydroxyapatite: k2hpo4(fromHydroxyapatite: value)
        }
    }
}
