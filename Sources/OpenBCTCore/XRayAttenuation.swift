// Tabulated X-ray mass attenuation of the materials CT calibration and the digital phantom need.
//
// Source and precision. Elemental µ/ρ (total attenuation with coherent scattering, cm²/g) at
// 20–150 keV are the photoabsorption (Scofield) + scattering (XCOM, Hubbell & Seltzer, NISTIR 5632)
// cross-sections as tabulated by Elam, Ravel & Sieber (Radiat. Phys. Chem. 63, 2002; read from
// xraydb 4.5.8), to 4 significant figures. They agree with the NIST XCOM / "X-Ray Mass Attenuation
// Coefficients" Table 3 values to ≲0.5 % in this range (H and C identical). Tissue compositions are
// the ICRU Report 44 / 46 mass fractions as listed in NIST Table 2; mixtures follow Bragg additivity.
// Tests check the mixture rule against NIST Table 4 (water, skeletal muscle, cortical bone) to 1.5 %.
import Foundation

/// Chemical elements with tabulated attenuation (those in the tissues, calibration materials,
/// implant alloys and iodinated contrast).
public enum Element: String, CaseIterable, Sendable, Codable {
    case H, C, N, O, Na, Mg, Al, P, S, Cl, K, Ca, Ti, V, Fe, I

    /// Standard atomic weight (g/mol).
    public var atomicMass: Double {
        switch self {
        case .H: 1.0078; case .C: 12.011; case .N: 14.007; case .O: 15.999; case .Na: 22.9898
        case .Mg: 24.305; case .Al: 26.9815; case .P: 30.9738; case .S: 32.06; case .Cl: 35.453
        case .K: 39.0983; case .Ca: 40.078; case .Ti: 47.867; case .V: 50.9415; case .Fe: 55.845
        case .I: 126.905
        }
    }

    /// µ/ρ (cm²/g) at `XRayAttenuation.tableEnergiesKeV`; iodine also has its K edge (see `kEdge`).
    fileprivate var tabulated: [Double] {
        switch self {
        case .H: [0.3695, 0.3570, 0.3458, 0.3355, 0.3260, 0.3091, 0.2944, 0.2651]
        case .C: [0.4420, 0.2562, 0.2076, 0.1871, 0.1753, 0.1610, 0.1514, 0.1347]
        case .N: [0.6179, 0.3067, 0.2288, 0.1980, 0.1817, 0.1639, 0.1529, 0.1353]
        case .O: [0.8653, 0.3779, 0.2585, 0.2133, 0.1907, 0.1679, 0.1551, 0.1361]
        case .Na: [2.057, 0.7199, 0.3969, 0.2804, 0.2268, 0.1796, 0.1585, 0.1335]
        case .Mg: [2.763, 0.9305, 0.4880, 0.3292, 0.2570, 0.1951, 0.1686, 0.1394]
        case .Al: [3.442, 1.128, 0.5684, 0.3682, 0.2778, 0.2018, 0.1704, 0.1378]
        case .P: [5.354, 1.700, 0.8095, 0.4918, 0.3494, 0.2324, 0.1865, 0.1432]
        case .S: [6.710, 2.113, 0.9873, 0.5850, 0.4053, 0.2586, 0.2020, 0.1506]
        case .Cl: [7.740, 2.426, 1.116, 0.6484, 0.4394, 0.2696, 0.2050, 0.1480]
        case .K: [10.93, 3.412, 1.541, 0.8678, 0.5678, 0.3252, 0.2345, 0.1582]
        case .Ca: [13.06, 4.080, 1.830, 1.019, 0.6579, 0.3655, 0.2571, 0.1674]
        case .Ti: [15.85, 4.972, 2.213, 1.213, 0.7660, 0.4053, 0.2721, 0.1649]
        case .V: [17.68, 5.565, 2.472, 1.348, 0.8438, 0.4371, 0.2877, 0.1682]
        case .Fe: [25.68, 8.177, 3.629, 1.957, 1.205, 0.5952, 0.3717, 0.1964]
        case .I: [25.43, 8.562, 22.10, 12.32, 7.577, 3.510, 1.942, 0.6978]
        }
    }

    /// The K absorption edge inside 20–150 keV, with µ/ρ just below and just above it.
    fileprivate var kEdge: (keV: Double, below: Double, above: Double)? {
        self == .I ? (33.169, 6.554, 35.83) : nil
    }

    /// Mass attenuation coefficient µ/ρ (cm²/g) at `keV` (20–150), log-log interpolated between
    /// tabulated energies and never across an absorption edge.
    public func massAttenuation(keV: Double) -> Double {
        var energies = XRayAttenuation.tableEnergiesKeV, values = tabulated
        if let edge = kEdge {
            // Keep only the branch of the table on the same side of the edge as `keV`.
            let above = keV >= edge.keV
            let keep = energies.indices.filter { (energies[$0] >= edge.keV) == above }
            energies = keep.map { energies[$0] }; values = keep.map { values[$0] }
            if above { energies.insert(edge.keV, at: 0); values.insert(edge.above, at: 0) }
            else { energies.append(edge.keV); values.append(edge.below) }
        }
        return XRayAttenuation.logLogInterpolate(keV, energies, values)
    }
}

/// A material for attenuation purposes: mass density and elemental mass fractions.
public struct AttenuatingMaterial: Sendable, Codable, Equatable {
    public var name: String
    /// Mass density (g/cm³) of the pure material.
    public var density: Double
    /// Mass fractions by element (sum 1).
    public var massFractions: [Element: Double]
    /// Where the composition and density come from.
    public var source: String

    /// A material from mass fractions (renormalised to sum 1).
    public init(name: String, density: Double, massFractions: [Element: Double], source: String) {
        let total = Element.allCases.reduce(0) { $0 + (massFractions[$1] ?? 0) }
        self.name = name; self.density = density; self.source = source
        self.massFractions = massFractions.mapValues { $0 / total }
    }

    /// A compound from its chemical formula (atoms per formula unit).
    public init(name: String, density: Double, formula: [Element: Double], source: String) {
        let masses = formula.map { ($0.key, $0.value * $0.key.atomicMass) }
        self.init(name: name, density: density, massFractions: Dictionary(uniqueKeysWithValues: masses), source: source)
    }

    /// µ/ρ (cm²/g) at `keV`, by Bragg additivity over the elements.
    /// Summed in `Element.allCases` order: a dictionary's iteration order follows its storage address, so a sum
    /// over it would round differently from run to run.
    public func massAttenuation(keV: Double) -> Double {
        Element.allCases.reduce(0) { sum, e in massFractions[e].map { sum + $0 * e.massAttenuation(keV: keV) } ?? sum }
    }

    /// Linear attenuation µ (1/cm) of the material at its own density.
    public func linearAttenuation(keV: Double) -> Double { density * massAttenuation(keV: keV) }
}

/// Tabulated attenuation facts and the effective-energy rule shared by calibration and the phantom.
public enum XRayAttenuation {
    /// Energies (keV) of the elemental table.
    public static let tableEnergiesKeV: [Double] = [20, 30, 40, 50, 60, 80, 100, 150]

    /// The effective (monoenergetic-equivalent) energy of a polychromatic CT beam, in keV:
    /// `10 + kVp/2` (80 kVp → 50 keV, 120 kVp → 70 keV, 140 kVp → 80 keV). A documented default [U]:
    /// real effective energies depend on filtration, patient size and beam-hardening correction.
    public static func effectiveEnergy(kVp: Double) -> Double { 10 + kVp / 2 }

    /// Hounsfield units of a material at `keV`: 1000·(µ − µ_water)/µ_water (water at 1.000 g/cm³).
    public static func hounsfield(_ material: AttenuatingMaterial, keV: Double) -> Double {
        1000 * (material.linearAttenuation(keV: keV) / water.linearAttenuation(keV: keV) - 1)
    }

    /// HU added per mg/cm³ of `solute` dissolved in a water-equivalent base without displacement:
    /// 1000·(µ/ρ)_solute / (1000·(µ/ρ)_water · 1 g/cm³). The phantom's bone model is exactly this
    /// (bone = water-equivalent marrow + K2HPO4-equivalent mineral), which is the definition of
    /// "K2HPO4-equivalent density".
    public static func hounsfieldPerMilligram(_ solute: AttenuatingMaterial, keV: Double) -> Double {
        solute.massAttenuation(keV: keV) / water.massAttenuation(keV: keV)
    }

    // MARK: Materials (compositions: NIST Table 2 / ICRU 44 unless stated)

    public static let water = AttenuatingMaterial(name: "water", density: 1.0,
        massFractions: [.H: 0.111894, .O: 0.888106], source: "H2O")
    /// Dry air; argon (1.3 % by mass) is folded into the renormalisation (its effect on HU < 0.01).
    public static let air = AttenuatingMaterial(name: "air", density: 0.001205,
        massFractions: [.C: 0.000124, .N: 0.755268, .O: 0.231781], source: "NIST Table 2, Air, Dry")
    public static let adiposeTissue = AttenuatingMaterial(name: "adipose tissue", density: 0.95,
        massFractions: [.H: 0.114, .C: 0.598, .N: 0.007, .O: 0.278, .Na: 0.001, .S: 0.001, .Cl: 0.001],
        source: "ICRU 44 Adipose Tissue")
    public static let skeletalMuscle = AttenuatingMaterial(name: "skeletal muscle", density: 1.05,
        massFractions: [.H: 0.102, .C: 0.143, .N: 0.034, .O: 0.710, .Na: 0.001, .P: 0.002, .S: 0.003,
                        .Cl: 0.001, .K: 0.004], source: "ICRU 44 Muscle, Skeletal")
    public static let wholeBlood = AttenuatingMaterial(name: "whole blood", density: 1.06,
        massFractions: [.H: 0.102, .C: 0.110, .N: 0.033, .O: 0.745, .Na: 0.001, .P: 0.001, .S: 0.002,
                        .Cl: 0.003, .K: 0.002, .Fe: 0.001], source: "ICRU 44 Blood, Whole")
    public static let softTissue = AttenuatingMaterial(name: "soft tissue", density: 1.06,
        massFractions: [.H: 0.102, .C: 0.143, .N: 0.034, .O: 0.708, .Na: 0.002, .P: 0.003, .S: 0.003,
                        .Cl: 0.002, .K: 0.003], source: "ICRU 44 Tissue, Soft")
    public static let corticalBone = AttenuatingMaterial(name: "cortical bone", density: 1.92,
        massFractions: [.H: 0.034, .C: 0.155, .N: 0.042, .O: 0.435, .Na: 0.001, .Mg: 0.002, .P: 0.103,
                        .S: 0.003, .Ca: 0.225], source: "ICRU 44 Bone, Cortical")
    /// Dipotassium hydrogen phosphate, the QCT calibration standard (density of the solid).
    public static let k2hpo4 = AttenuatingMaterial(name: "K2HPO4", density: 2.44,
        formula: [.K: 2, .H: 1, .P: 1, .O: 4], source: "stoichiometry")
    /// Hydroxyapatite Ca10(PO4)6(OH)2 (density of the crystal).
    public static let hydroxyapatite = AttenuatingMaterial(name: "hydroxyapatite", density: 3.16,
        formula: [.Ca: 10, .P: 6, .O: 26, .H: 2], source: "stoichiometry")
    /// Triglyceride (triolein, C57H104O6), the fat component of two-material calibration models.
    public static let triglyceride = AttenuatingMaterial(name: "triglyceride", density: 0.91,
        formula: [.C: 57, .H: 104, .O: 6], source: "triolein stoichiometry")
    /// Ti-6Al-4V implant alloy (mass fractions 90/6/4).
    public static let titaniumAlloy = AttenuatingMaterial(name: "Ti-6Al-4V", density: 4.43,
        massFractions: [.Ti: 0.90, .Al: 0.06, .V: 0.04], source: "ASTM F136 nominal")
    /// Ultra-high-molecular-weight polyethylene (acetabular liners).
    public static let polyethylene = AttenuatingMaterial(name: "polyethylene", density: 0.94,
        formula: [.C: 1, .H: 2], source: "(CH2)n stoichiometry")
    /// Elemental iodine (contrast agent; used as a dissolved solute).
    public static let iodine = AttenuatingMaterial(name: "iodine", density: 4.93,
        massFractions: [.I: 1], source: "element")

    /// Log-log interpolation in a table sorted by energy (clamped log-log extrapolation outside).
    static func logLogInterpolate(_ x: Double, _ xs: [Double], _ ys: [Double]) -> Double {
        precondition(xs.count >= 2 && xs.count == ys.count)
        var i = 0
        while i < xs.count - 2 && x > xs[i + 1] { i += 1 }
        let t = (log(x) - log(xs[i])) / (log(xs[i + 1]) - log(xs[i]))
        return exp(log(ys[i]) + t * (log(ys[i + 1]) - log(ys[i])))
    }
}
