// Young-adult and age/sex reference values for areal BMD scores (methods.md §5 and §10).

/// How firmly a reference value was read (methods.md tags).
public enum EvidenceTag: String, Sendable, Codable {
    /// Read in the cited source.
    case cited = "C"
    /// Read only in a secondary source or in open code that attributes it.
    case secondary = "C2"
    /// Not confirmed: a reasonable default, configurable.
    case unconfirmed = "U"
}

/// The mean and standard deviation of areal BMD (g/cm²) in a reference population, with its source.
public struct ReferenceValue: Sendable, Codable, Equatable {
    public var meanGPerCM2: Double
    public var sdGPerCM2: Double
    /// The population and the source, as a reader should see it next to a score.
    public var population: String
    public var source: String
    public var evidence: EvidenceTag

    public init(meanGPerCM2: Double, sdGPerCM2: Double, population: String, source: String, evidence: EvidenceTag) {
        self.meanGPerCM2 = meanGPerCM2; self.sdGPerCM2 = sdGPerCM2
        self.population = population; self.source = source; self.evidence = evidence
    }

    /// (aBMD − mean)/SD: the number of reference standard deviations from the mean.
    public func score(_ aBMD: Double) -> Double { (aBMD - meanGPerCM2) / sdGPerCM2 }
}

/// The young-adult reference a T-score is computed against, per hip region.
public struct TScoreReference: Sendable, Codable, Equatable {
    public var femoralNeck: ReferenceValue
    public var totalHip: ReferenceValue

    public init(femoralNeck: ReferenceValue, totalHip: ReferenceValue) {
        self.femoralNeck = femoralNeck; self.totalHip = totalHip
    }

    /// NHANES III non-Hispanic white women aged 20–29 (Looker et al., Osteoporos Int 1998), used for
    /// men too (ISCD 2013 official positions): femoral neck 0.858 ± 0.120, total hip 0.942 ± 0.122 g/cm²
    /// (methods.md §5, [C2]). These are Hologic-scale DXA values; a CT projection is not
    /// cross-calibrated to that scale.
    public static let nhanes3WhiteWomen20to29 = TScoreReference(
        femoralNeck: ReferenceValue(meanGPerCM2: 0.858, sdGPerCM2: 0.120,
                                    population: "NHANES III white women aged 20–29 (used for both sexes, ISCD 2013)",
                                    source: "Looker et al. 1998 via methods.md §5", evidence: .secondary),
        totalHip: ReferenceValue(meanGPerCM2: 0.942, sdGPerCM2: 0.122,
                                 population: "NHANES III white women aged 20–29 (used for both sexes, ISCD 2013)",
                                 source: "Looker et al. 1998 via methods.md §5", evidence: .secondary))

    /// The reference of a region, or nil where none is given (trochanter, intertrochanter).
    public func value(for region: HipRegion) -> ReferenceValue? {
        switch region {
        case .femoralNeck: femoralNeck
        case .totalHip: totalHip
        case .trochanter, .intertrochanter: nil
        }
    }
}

/// Age- and sex-matched reference values for Z-scores: one row per sex, region and age band.
///
/// None is built in: methods.md §10 confirms no age/sex table, so Z-scores are reported unavailable
/// unless the caller supplies a table with its citation.
public struct ZScoreReferenceTable: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var sex: ReferenceSubject.Sex
        public var region: HipRegion
        /// Age band in years, lower bound inclusive, upper bound exclusive.
        public var ageFrom: Double
        public var ageTo: Double
        public var value: ReferenceValue
        public init(sex: ReferenceSubject.Sex, region: HipRegion, ageFrom: Double, ageTo: Double, value: ReferenceValue) {
            self.sex = sex; self.region = region; self.ageFrom = ageFrom; self.ageTo = ageTo; self.value = value
        }
    }
    public var rows: [Row]
    public init(rows: [Row]) { self.rows = rows }

    /// The row matching a subject and region, or nil.
    public func value(sex: ReferenceSubject.Sex, ageYears: Double, region: HipRegion) -> ReferenceValue? {
        rows.first { $0.sex == sex && $0.region == region && ageYears >= $0.ageFrom && ageYears < $0.ageTo }?.value
    }
}
