// T- and Z-score arithmetic against values computed by hand.
import Testing
@testable import Densitometry
import Anatomy

@Suite("Hip reference scores")
struct HipReferenceScoreTests {
    let scoring = HipReferenceScoring()

    @Test("T-scores against NHANES III white women 20–29: hand-computed values, display to 0.1, WHO class")
    func tScores() throws {
        // Femoral neck 0.500 g/cm²: (0.500 − 0.858)/0.120 = −2.98333…
        let fn = scoring.tScore(aBMD: 0.500, region: .femoralNeck)
        #expect(abs(try #require(fn.value) - (-2.983333333)) < 1e-8)
        #expect(fn.display == "−3.0")
        #expect(BoneDensityClass(tScore: fn.value!) == .osteoporosis)
        // Total hip 0.700 g/cm²: (0.700 − 0.942)/0.122 = −1.98361…
        let th = scoring.tScore(aBMD: 0.700, region: .totalHip)
        #expect(abs(try #require(th.value) - (-1.983606557)) < 1e-8)
        #expect(th.display == "−2.0")
        #expect(BoneDensityClass(tScore: th.value!) == .lowBoneMass)
        // Total hip 1.000 g/cm²: (1.000 − 0.942)/0.122 = +0.47541…
        let high = scoring.tScore(aBMD: 1.000, region: .totalHip)
        #expect(high.display == "0.5" && BoneDensityClass(tScore: high.value!) == .normal)
        // Rounding never prints −0.0.
        #expect(scoring.tScore(aBMD: 0.853, region: .femoralNeck).display == "0.0")
        #expect(fn.reference?.evidence == .secondary)
    }

    @Test("WHO boundaries: −2.5 is osteoporosis, −1.0 is normal; classified on the unrounded value")
    func boundaries() {
        #expect(BoneDensityClass(tScore: -2.5) == .osteoporosis)
        #expect(BoneDensityClass(tScore: -2.49) == .lowBoneMass)
        #expect(BoneDensityClass(tScore: -1.0) == .normal)
        #expect(BoneDensityClass(tScore: -1.04) == .lowBoneMass)   // displays −1.0 but is below it
    }

    @Test("regions without a cited reference and missing Z tables are reported unavailable, with the reason")
    func unavailable() {
        let troch = scoring.tScore(aBMD: 0.7, region: .trochanter)
        #expect(troch.value == nil && troch.unavailableReason?.contains("trochanter") == true)
        let z = scoring.zScore(aBMD: 0.7, region: .femoralNeck, subject: ReferenceSubject(ageYears: 65, sex: .female))
        #expect(z.value == nil && z.display == "unavailable" && z.unavailableReason?.contains("§10") == true)
    }

    @Test("Z-score arithmetic with a supplied age/sex table")
    func zScores() throws {
        let row = ReferenceValue(meanGPerCM2: 0.700, sdGPerCM2: 0.110, population: "test row", source: "hand-made", evidence: .unconfirmed)
        let table = ZScoreReferenceTable(rows: [.init(sex: .female, region: .femoralNeck, ageFrom: 60, ageTo: 70, value: row)])
        let s = HipReferenceScoring(zReference: table)
        // (0.590 − 0.700)/0.110 = −1.0
        let z = s.zScore(aBMD: 0.590, region: .femoralNeck, subject: ReferenceSubject(ageYears: 65, sex: .female))
        #expect(abs(try #require(z.value) + 1.0) < 1e-12 && z.display == "−1.0")
        #expect(s.zScore(aBMD: 0.59, region: .femoralNeck, subject: ReferenceSubject(ageYears: 70, sex: .female)).value == nil)
        #expect(s.zScore(aBMD: 0.59, region: .femoralNeck, subject: ReferenceSubject(ageYears: 65, sex: .male)).value == nil)
        #expect(s.zScore(aBMD: 0.59, region: .femoralNeck, subject: ReferenceSubject(ageYears: nil, sex: .female)).value == nil)
    }

    @Test("the lowest hip T-score is taken over valid neck and total-hip results of both sides")
    func lowest() {
        func region(_ r: HipRegion, _ aBMD: Double, valid: Bool = true) -> HipRegionResult {
            HipDensitometry.scoredRegion(r, areaCM2: 1, bmcG: aBMD, invalidReason: valid ? nil : "cut by the field of view",
                                         scoring: scoring, subject: ReferenceSubject(ageYears: 70, sex: .female))
        }
        let left = FemurHipResult(side: .left, pose: nil, geometry: nil,
                                  regions: [region(.femoralNeck, 0.62), region(.totalHip, 0.80), region(.trochanter, 0.40)],
                                  cutByFieldOfView: false, femurBMCG: 0, findings: [])
        let right = FemurHipResult(side: .right, pose: nil, geometry: nil,
                                   regions: [region(.femoralNeck, 0.64), region(.totalHip, 0.50, valid: false)],
                                   cutByFieldOfView: true, femurBMCG: 0, findings: [])
        let result = HipDensitometry.summarise([left, right], subject: ReferenceSubject(ageYears: 70, sex: .female), options: HipOptions())
        // Left neck (0.62 − 0.858)/0.12 = −1.983; the right total hip is lower but invalid; trochanter has no T.
        #expect(result.lowestTScore?.side == .left && result.lowestTScore?.region == .femoralNeck)
        #expect(result.lowestTScore?.tScore.display == "−2.0" && result.lowestTScore?.densityClass == .lowBoneMass)
        #expect(result.notes.contains { $0.contains("not cross-calibrated") })
    }
}
