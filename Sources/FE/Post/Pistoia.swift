// Pistoia's failure-load estimate from a linear solve (Pistoia et al. 2002; Numerics88 n88tools).

/// Pistoia criterion: the load at which 2 % of the bone tissue exceeds an effective strain of 0.7 %.
public enum Pistoia {
    public struct Result: Sendable, Equatable {
        /// The (100 − percentAboveCritical) percentile of the effective strain over bone elements.
        public var criticalEffectiveStrain: Double
        /// criticalStrain / criticalEffectiveStrain: the linear scaling from the applied to the failure load.
        public var factor: Double
        /// |applied reaction| · factor (N).
        public var failureLoad: Double
        /// Elements that entered the percentile.
        public var elementCount: Int
    }

    /// - Parameters:
    ///   - reactionForce: the reaction force of the linear solve (N); its magnitude is scaled.
    ///   - criticalStrain: effective tissue strain at failure (0.7 %).
    ///   - percentAboveCritical: share of bone tissue allowed above it (2 %).
    ///   - includedMaterials: elements that count (bone; PMMA excluded, methods.md §10).
    /// - Throws: `FEError.invalidModel` when no element qualifies.
    public static func failureLoad(model: FEModel, fields: ElementFields, reactionForce: Double,
                                   criticalStrain: Double = 0.007, percentAboveCritical: Double = 2,
                                   includedMaterials: Set<UInt8> = [FEModel.boneMaterial]) throws -> Result {
        var ees: [Double] = []
        ees.reserveCapacity(model.elements.count)
        for e in model.elements.indices where includedMaterials.contains(model.materialID[e]) {
            // EES_e = sqrt(2·SED_e / E_e): the strain of a uniaxial state storing the same energy.
            ees.append((2 * fields.strainEnergyDensity[e] / Double(model.youngsModulus[e])).squareRoot())
        }
        guard !ees.isEmpty else { throw FEError.invalidModel("Pistoia: no element of materials \(includedMaterials.sorted())") }
        let critical = percentile(ees, 100 - percentAboveCritical)
        guard critical > 0 else { throw FEError.invalidModel("Pistoia: the effective-strain percentile is 0 (unloaded model)") }
        let factor = criticalStrain / critical
        return Result(criticalEffectiveStrain: critical, factor: factor, failureLoad: abs(reactionForce) * factor,
                      elementCount: ees.count)
    }

    /// The q-th percentile with linear interpolation between order statistics (numpy's default).
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        let v = values.sorted()
        let rank = q / 100 * Double(v.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(v.count - 1, lo + 1)
        return v[lo] + (rank - Double(lo)) * (v[hi] - v[lo])
    }
}
