// The materials voxels are made of, and the documented density→HU model that turns them into CT
// numbers at the effective energy of the chosen tube voltage.
import Foundation
import OpenBCTCore

/// What a point of the phantom is made of (indexes the HU model's tables).
enum TissueMaterial: UInt8, CaseIterable, Sendable {
    case air, water, adipose, muscle, softTissue, disc, yellowMarrow, blood, arterialBlood, venousBlood
    /// Water-equivalent base plus K2HPO4-equivalent mineral (bone, K2HPO4 rods): the sample's
    /// solute is the mineral density (mg/cm³).
    case mineralizedWater
    /// Water plus hydroxyapatite (HA rods): the solute is the HA density (mg/cm³).
    case hydroxyapatiteInWater
    case tableShell, tableFoam, titanium, polyethylene
}

/// The phantom's density→HU model: HU = base(material) + slope(material)·solute, with µ from
/// `XRayAttenuation` at the effective energy `10 + kVp/2` keV. Bone is water-equivalent marrow plus
/// K2HPO4-equivalent mineral (so HU = HU_water + σ_K·ρ_K exactly, before blur and noise).
public struct HounsfieldModel: Sendable, Codable, Equatable {
    public var kVp: Double
    public var effectiveEnergyKeV: Double
    /// HU per mg/cm³ of K2HPO4 (σ_K) and of hydroxyapatite (σ_HA) in water.
    public var k2hpo4Slope: Double
    public var hydroxyapatiteSlope: Double
    /// HU per mg/cm³ of iodine in blood.
    public var iodineSlope: Double
    /// Iodine in arterial blood (mg/cm³; 0 without contrast); venous blood gets a third.
    public var arterialIodine: Double
    /// Noise-free HU of each pure material (name → HU).
    public var materialHU: [String: Double]

    /// Base HU and solute slope per `TissueMaterial` (fast lookup tables).
    let base: [Float]
    let slope: [Float]

    public init(kVp: Double, arterialIodine: Double) {
        let e = XRayAttenuation.effectiveEnergy(kVp: kVp)
        self.kVp = kVp; self.arterialIodine = arterialIodine; effectiveEnergyKeV = e
        k2hpo4Slope = XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.k2hpo4, keV: e)
        hydroxyapatiteSlope = XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.hydroxyapatite, keV: e)
        iodineSlope = XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.iodine, keV: e)
        var hu: [String: Double] = [:], base = [Float](), slope = [Float]()
        for m in TissueMaterial.allCases {
            let (material, extraHU, soluteSlope) = Self.definition(m, iodineSlope: iodineSlope,
                                                                   k: k2hpo4Slope, ha: hydroxyapatiteSlope,
                                                                   arterialIodine: arterialIodine)
            let h = XRayAttenuation.hounsfield(material, keV: e) + extraHU
            hu["\(m)"] = h
            base.append(Float(h)); slope.append(Float(soluteSlope))
        }
        materialHU = hu; self.base = base; self.slope = slope
    }

    enum CodingKeys: String, CodingKey { case kVp, effectiveEnergyKeV, k2hpo4Slope, hydroxyapatiteSlope, iodineSlope, arterialIodine, materialHU }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // The tables are derived facts: rebuild them from the two inputs.
        self.init(kVp: try c.decode(Double.self, forKey: .kVp),
                  arterialIodine: try c.decode(Double.self, forKey: .arterialIodine))
    }

    /// Noise-free HU of a sample.
    @inline(__always) func hounsfield(_ m: TissueMaterial, solute: Float) -> Float {
        base[Int(m.rawValue)] + slope[Int(m.rawValue)] * solute
    }

    /// K2HPO4-equivalent mineral density (mg/cm³) a sample contributes to the truth density map.
    /// HA rods use methods.md §10's ash-density conversion ρ_K = (0.839·ρ_HA + 30.9)/1.06 [U].
    @inline(__always) static func k2hpo4Equivalent(_ m: TissueMaterial, solute: Float) -> Float {
        switch m {
        case .mineralizedWater: solute
        case .hydroxyapatiteInWater: (0.839 * solute + 30.9) / 1.06
        default: 0
        }
    }

    /// The physical material, extra HU (dissolved iodine) and solute slope of each phantom material.
    private static func definition(_ m: TissueMaterial, iodineSlope: Double, k: Double, ha: Double,
                                   arterialIodine: Double) -> (AttenuatingMaterial, Double, Double) {
        let x = XRayAttenuation.self
        switch m {
        case .air: return (x.air, 0, 0)
        case .water: return (x.water, 0, 0)
        case .adipose: return (x.adiposeTissue, 0, 0)
        case .muscle: return (x.skeletalMuscle, 0, 0)
        case .softTissue: return (x.softTissue, 0, 0)
        case .disc: return (withDensity(x.softTissue, 1.08, "intervertebral disc [U]"), 0, 0)
        case .yellowMarrow: return (yellowMarrow, 0, 0)
        case .blood: return (x.wholeBlood, 0, 0)
        case .arterialBlood: return (x.wholeBlood, iodineSlope * arterialIodine, 0)
        case .venousBlood: return (x.wholeBlood, iodineSlope * arterialIodine / 3, 0)
        case .mineralizedWater: return (x.water, 0, k)
        case .hydroxyapatiteInWater: return (x.water, 0, ha)
        case .tableShell: return (carbonComposite, 0, 0)
        case .tableFoam: return (withDensity(carbonComposite, 0.07, "table foam core [U]"), 0, 0)
        case .titanium: return (x.titaniumAlloy, 0, 0)
        case .polyethylene: return (x.polyethylene, 0, 0)
        }
    }

    private static func withDensity(_ m: AttenuatingMaterial, _ density: Double, _ name: String) -> AttenuatingMaterial {
        AttenuatingMaterial(name: name, density: density, massFractions: m.massFractions, source: m.source)
    }

    /// Yellow marrow: 80 % adipose tissue, 20 % water by mass, 0.98 g/cm³ [U].
    static let yellowMarrow: AttenuatingMaterial = {
        var f: [Element: Double] = [:]
        for (e, w) in XRayAttenuation.adiposeTissue.massFractions { f[e, default: 0] += 0.8 * w }
        for (e, w) in XRayAttenuation.water.massFractions { f[e, default: 0] += 0.2 * w }
        return AttenuatingMaterial(name: "yellow marrow", density: 0.98, massFractions: f, source: "80 % adipose + 20 % water [U]")
    }()

    /// Carbon-fibre/epoxy table top (C 0.88, O 0.08, H 0.04 by mass, 1.55 g/cm³) [U].
    static let carbonComposite = AttenuatingMaterial(name: "carbon-fibre composite", density: 1.55,
        massFractions: [.C: 0.88, .O: 0.08, .H: 0.04], source: "nominal carbon/epoxy [U]")
}
