// T- and Z-scores of a measured areal BMD, with the reference and the caveats a reader must see.

/// A T- or Z-score (or why it is unavailable).
public struct ReferenceScore: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case tScore, zScore }
    public var kind: Kind
    /// The unrounded score; nil when unavailable.
    public var value: Double?
    /// The value as displayed (0.1 steps, methods.md §7).
    public var display: String
    public var reference: ReferenceValue?
    /// Why the score is missing, when it is.
    public var unavailableReason: String?

    /// The score of `aBMD` against `reference`.
    public init(kind: Kind, aBMD: Double, reference: ReferenceValue) {
        self.kind = kind
        let v = reference.score(aBMD)
        value = v; display = ReferenceScore.format(v); self.reference = reference; unavailableReason = nil
    }

    /// An unavailable score and the reason.
    public init(kind: Kind, unavailable reason: String) {
        self.kind = kind; value = nil; display = "unavailable"; reference = nil; unavailableReason = reason
    }

    /// One decimal, with a true minus sign for negatives and no "−0.0".
    static func format(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let text = "\(abs(tenths) / 10).\(abs(tenths) % 10)"
        return tenths < 0 ? "−" + text : text
    }
}

/// Scores of hip regions for a subject.
public struct HipReferenceScoring: Sendable {
    public var tReference: TScoreReference
    public var zReference: ZScoreReferenceTable?

    public init(tReference: TScoreReference = .nhanes3WhiteWomen20to29, zReference: ZScoreReferenceTable? = nil) {
        self.tReference = tReference; self.zReference = zReference
    }

    /// The T-score of a region, or why there is none.
    public func tScore(aBMD: Double, region: HipRegion) -> ReferenceScore {
        guard let ref = tReference.value(for: region) else {
            return ReferenceScore(kind: .tScore, unavailable: "no cited young-adult reference for the \(region.displayName) region (methods.md §5 gives femoral neck and total hip only)")
        }
        return ReferenceScore(kind: .tScore, aBMD: aBMD, reference: ref)
    }

    /// The Z-score of a region, or why there is none (no table, or no age or sex for the subject).
    public func zScore(aBMD: Double, region: HipRegion, subject: ReferenceSubject) -> ReferenceScore {
        guard let table = zReference else {
            return ReferenceScore(kind: .zScore, unavailable: "no age/sex reference table is confirmed (methods.md §10); supply a cited table to get Z-scores")
        }
        guard let sex = subject.sex, let age = subject.ageYears else {
            return ReferenceScore(kind: .zScore, unavailable: "the subject's age and sex are needed for a Z-score")
        }
        guard let ref = table.value(sex: sex, ageYears: age, region: region) else {
            return ReferenceScore(kind: .zScore, unavailable: "the reference table has no row for a \(sex.rawValue) aged \(age) at the \(region.displayName)")
        }
        return ReferenceScore(kind: .zScore, aBMD: aBMD, reference: ref)
    }
}
