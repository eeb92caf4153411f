// Per-element moduli and yield strains from element densities: clamp, optional binning, law, floor.

/// How densities become element materials.
public struct MaterialOptions: Sendable, Codable, Hashable {
    /// The bone law (a preset of `BoneMaterialLaw` or a user-defined one).
    public var law: BoneMaterialLaw
    /// Smallest modulus (MPa); void and near-void elements get this (the fixtures use 1e-4).
    public var modulusFloor: Double
    /// Number of equal-width density bins over the model's bone density range (each element takes its
    /// bin's centre before the law, as the reference fixtures did); nil = no binning.
    public var densityBins: Int?
    /// Densities below this (mg/cm³) are raised to it before binning (parosol-py clamps at −31).
    public var densityClampMinimum: Double?
    /// Poisson's ratio of every element.
    public var poissonRatio: Double
    /// Cap and endplate-layer material.
    public var pmma: PMMAMaterial

    public init(law: BoneMaterialLaw, modulusFloor: Double = 1e-4, densityBins: Int? = nil,
                densityClampMinimum: Double? = nil, poissonRatio: Double = 0.3, pmma: PMMAMaterial = PMMAMaterial()) {
        self.law = law; self.modulusFloor = modulusFloor; self.densityBins = densityBins
        self.densityClampMinimum = densityClampMinimum; self.poissonRatio = poissonRatio; self.pmma = pmma
    }

    /// The Ogo/parosol-py convention of the reference fixtures: 128 bins, clamp at −31 mg/cm³, floor 1e-4 MPa.
    public static func ogoCompatible(law: BoneMaterialLaw) -> MaterialOptions {
        MaterialOptions(law: law, modulusFloor: 1e-4, densityBins: 128, densityClampMinimum: -31)
    }
}

/// Bone element materials.
public struct BoneMaterials: Sendable {
    /// Young's modulus (MPa) per element.
    public var youngsModulus: [Float]
    /// Yield strains (tension, compression) per element, nil when the law defines no yield.
    /// Elements without a positive yield stress (void) get 1.0: they never yield within any deformation limit.
    public var yieldStrain: [SIMD2<Float>]?
    /// How many elements were raised to the modulus floor.
    public var flooredCount: Int
    /// The density range the bins span (mg/cm³), when binned.
    public var binnedRange: ClosedRange<Double>?
}

public enum MaterialAssignment {
    /// Maps element densities (mg/cm³ K2HPO4) to moduli and yield strains.
    public static func bone(densities: [Float], options: MaterialOptions) -> BoneMaterials {
        var rho = densities.map { Double($0) }
        if let lo = options.densityClampMinimum { for i in rho.indices where rho[i] < lo { rho[i] = lo } }
        var binnedRange: ClosedRange<Double>?
        if let bins = options.densityBins, bins > 0, let lo = rho.min(), let hi = rho.max(), hi > lo {
            let width = (hi - lo) / Double(bins)
            for i in rho.indices {
                let b = min(bins - 1, Int((rho[i] - lo) / width))
                rho[i] = lo + (Double(b) + 0.5) * width
            }
            binnedRange = lo...hi
        }
        var floored = 0
        var moduli = [Float](repeating: 0, count: rho.count)
        var yields: [SIMD2<Float>]? = options.law.yield == nil ? nil : [SIMD2<Float>](repeating: SIMD2(1, 1), count: rho.count)
        for i in rho.indices {
            var E = options.law.youngsModulus(k2hpo4: rho[i])
            if !(E >= options.modulusFloor) { E = options.modulusFloor; floored += 1 }
            moduli[i] = Float(E)
            if yields != nil, let y = options.law.yieldStrains(k2hpo4: rho[i], modulus: E) { yields![i] = y }
        }
        return BoneMaterials(youngsModulus: moduli, yieldStrain: yields, flooredCount: floored, binnedRange: binnedRange)
    }
}
