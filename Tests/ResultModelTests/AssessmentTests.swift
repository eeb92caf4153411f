import Foundation
import Testing
@testable import Assessment
@testable import ResultModel

@Suite("assessment: classes, risk, Φ, change, billing")
struct AssessmentTests {
    @Test("strength classes follow Keaveny 2020 Table 1 at and around every bound")
    func strengthClasses() {
        #expect(ClassThresholds.strengthClass(3000, site: .hip, sex: "F") == .fragile)
        #expect(ClassThresholds.strengthClass(3000.1, site: .hip, sex: "F") == .low)
        #expect(ClassThresholds.strengthClass(4000, site: .hip, sex: "F") == .normal)
        #expect(ClassThresholds.strengthClass(3500, site: .hip, sex: "M") == .fragile)
        #expect(ClassThresholds.strengthClass(4999, site: .hip, sex: "M") == .low)
        #expect(ClassThresholds.strengthClass(4500, site: .spine, sex: "F") == .fragile)
        #expect(ClassThresholds.strengthClass(6000, site: .spine, sex: "F") == .normal)
        #expect(ClassThresholds.strengthClass(8499, site: .spine, sex: "M") == .low)
        #expect(ClassThresholds.strengthClass(9000, site: .spine, sex: nil) == nil)
    }

    @Test("BMD classes: ACR vBMD 80/120, WHO T −2.5/−1.0")
    func bmdClasses() {
        #expect(ClassThresholds.spineClass(vBMD: 80) == .osteoporosis)
        #expect(ClassThresholds.spineClass(vBMD: 80.01) == .lowBoneMass)
        #expect(ClassThresholds.spineClass(vBMD: 120) == .normal)
        #expect(ClassThresholds.hipClass(tScore: -2.5) == .osteoporosis)
        #expect(ClassThresholds.hipClass(tScore: -1.01) == .lowBoneMass)
        #expect(ClassThresholds.hipClass(tScore: -1.0) == .normal)
    }

    @Test("overall risk: fragile anywhere → high; all normal → not increased; a missing class blocks 'not increased'")
    func overallRisk() {
        func site(_ s: AnalysisSite, _ sc: StrengthClass?, _ bc: BMDClass?) -> SiteAssessment {
            SiteAssessment(site: s, strength_N: nil, strengthSource: nil, strengthClass: sc, bmdValue: nil, bmdQuantity: nil, bmdClass: bc)
        }
        #expect(RiskCategory.overall([site(.hip, .normal, .normal), site(.spine, .fragile, .normal)]).0 == .high)
        #expect(RiskCategory.overall([site(.hip, .normal, .osteoporosis)]).0 == .high)
        #expect(RiskCategory.overall([site(.hip, .normal, .normal), site(.spine, .low, .normal)]).0 == .increased)
        #expect(RiskCategory.overall([site(.hip, .normal, .normal), site(.spine, .normal, .normal)]).0 == .notIncreased)
        #expect(RiskCategory.overall([site(.hip, nil, .normal)]).0 == nil)
    }

    @Test("fall force: the mass–spring closed form, and Φ zones")
    func fallForce() {
        let m = FallForceModel()
        let (v, meff, f) = m.impact(heightCM: 165, weightKG: 60)
        #expect(abs(v - (2 * 9.81 * 0.825).squareRoot()) < 1e-12)
        #expect(abs(meff - 21) < 1e-12)
        #expect(abs(f - (2 * 9.81 * 0.825).squareRoot() * (71_000 * 21.0).squareRoot()) < 1e-9)
        #expect(f > 4000 - 1700 && f < 4000 + 1700 * 1.5)   // within the measured 4.0 ± 1.7 kN spread (×1.5 SD)
        #expect(m.loadToStrength(strength: f / 1.5, heightCM: 165, weightKG: 60).interpretation.hasPrefix("fracture expected"))
        #expect(m.loadToStrength(strength: f, heightCM: 165, weightKG: 60).interpretation.hasPrefix("transition"))
        #expect(m.loadToStrength(strength: f * 2, heightCM: 165, weightKG: 60).ratio == 0.5)
    }

    @Test("LSC = 1.96·√2·CV and significance of a change against a prior")
    func change() throws {
        let c = ChangeAnalysis()
        #expect(abs(c.lsc("hipStrength")! - 1.96 * 2.0.squareRoot() * 2.0) < 1e-12)
        var prior = DocumentCodingTests.minimal(), now = prior
        func strength(_ f: Double) -> StrengthRecord {
            StrengthRecord(site: .hip, side: .left, level: nil, protocolName: "p", materialLaw: "m", voxelSize_mm: 1, elements: 1,
                           linearStiffness_N_per_mm: 1, strength_N: f, displacementAtPeak_mm: 1, converged: true, interval: nil, curve: [],
                           fallDirections: [], drivesClass: true, failedTissueFigure: nil, seconds: 0, notes: [])
        }
        prior.strength = [strength(4000)]; now.strength = [strength(3600)]
        let changes = c.changes(current: ChangeAnalysis.trackedQuantities(now), prior: prior)
        #expect(changes.count == 1)
        #expect(abs(changes[0].percentChange + 10) < 1e-12)
        #expect(changes[0].significant == true)
        now.strength = [strength(3950)]
        #expect(c.changes(current: ChangeAnalysis.trackedQuantities(now), prior: prior)[0].significant == false)
    }

    @Test("assessor: paediatric patients get values without classes; unknown sex gets no strength class")
    func paediatric() {
        var d = DocumentCodingTests.minimal()
        d.strength = [StrengthRecord(site: .hip, side: .left, level: nil, protocolName: "p", materialLaw: "m", voxelSize_mm: 1, elements: 1,
                                     linearStiffness_N_per_mm: 1, strength_N: 2000, displacementAtPeak_mm: 1, converged: true, interval: nil,
                                     curve: [], fallDirections: [], drivesClass: true, failedTissueFigure: nil, seconds: 0, notes: [])]
        d.densitometry.lowestHipTScore = -3
        d.patient = PatientInfo(sex: "F", ageYears: 15)
        var a = Assessor().assess(d)
        #expect(a.paediatric && a.sites[0].strengthClass == nil && a.sites[0].bmdClass == nil && a.overallRisk == nil)
        #expect(a.sites[0].strength_N == 2000)
        d.patient = PatientInfo(sex: "F", ageYears: 70, heightCM: 160, weightKG: 55)
        a = Assessor().assess(d)
        #expect(a.sites[0].strengthClass == .fragile && a.overallRisk == .high && a.loadToStrength != nil)
        d.patient = PatientInfo(sex: nil, ageYears: 70)
        a = Assessor().assess(d)
        #expect(a.sites[0].strengthClass == nil && a.sites[0].bmdClass == .osteoporosis && a.overallRisk == .high)
    }

    @Test("uncertainty: components add in quadrature; interval = strength·(1 ± 1.96·u)")
    func uncertainty() {
        let comps = [UncertaintyComponent(source: "a", relative: 0.03, method: ""), UncertaintyComponent(source: "b", relative: 0.04, method: "")]
        let i = StrengthUncertainty.interval(strength: 1000, components: comps)
        #expect(abs(i.low_N - 1000 * (1 - 1.96 * 0.05)) < 1e-9 && abs(i.high_N - 1000 * (1 + 1.96 * 0.05)) < 1e-9)
        let d = StrengthUncertainty.fallDirection([FallDirectionStiffness(alpha_deg: 0, beta_deg: 0, stiffness_N_per_mm: 90),
                                                   FallDirectionStiffness(alpha_deg: 10, beta_deg: 0, stiffness_N_per_mm: 110)])!
        #expect(abs(d.relative - (200.0).squareRoot() / 100) < 1e-12)
    }

    @Test("billing: global vs split codes, modifiers 52/53, ICD-10 corrections")
    func billing() {
        var b = BillingCoder.summarize(status: .completed, requestedSites: [.hip, .spine], analysedSites: [.hip, .spine], indications: ["M81.0"])
        #expect(b.lines.map(\.cpt) == ["0554T"] && b.lines[0].modifiers.isEmpty)
        b = BillingCoder.summarize(status: .partial, requestedSites: [.hip, .spine], analysedSites: [.hip], indications: [],
                                   performers: ServicePerformers(retrieval: "Imaging Co", analysis: "Lab", interpretation: "Dr X"))
        #expect(b.lines.map(\.cpt) == ["0555T", "0556T", "0557T"])
        #expect(b.lines[0].modifiers.isEmpty && b.lines[1].modifiers == ["52"] && b.lines[2].modifiers == ["52"])
        #expect(b.notes.contains { $0.contains("medical necessity") })
        b = BillingCoder.summarize(status: .discontinued, requestedSites: [.hip], analysedSites: [], indications: [])
        #expect(b.lines[0].modifiers == ["53"])
        #expect(BillingCoder.check("m80.00xa").verdict == .supported)
        #expect(BillingCoder.check("M80.00").verdict == .incomplete)
        #expect(BillingCoder.check("M48.50").verdict == .incomplete)
        #expect(BillingCoder.check("M84.4X0").verdict == .unsupported)
        #expect(BillingCoder.check("M84.4X0").message.contains("M84.40XA"))
        #expect(BillingCoder.check("M84.40XA").verdict == .supported)
        #expect(BillingCoder.check("Z79899").verdict == .supported)
        #expect(BillingCoder.check("E11.9").verdict == .unsupported)
    }
}
