// The assessment of a result document: classes per site, overall risk, Φ, change vs prior.
import Foundation
import ResultModel

/// Fills `assessment` from the document's measurements (densitometry, strength, patient facts).
public struct Assessor: Sendable {
    public var fallForce: FallForceModel
    public var change: ChangeAnalysis

    public init(fallForce: FallForceModel = FallForceModel(), change: ChangeAnalysis = ChangeAnalysis()) {
        self.fallForce = fallForce; self.change = change
    }

    public func assess(_ d: ResultDocument, prior: ResultDocument? = nil) -> AssessmentRecord {
        let group = PatientGroup(patient: d.patient)
        var notes = group.notes
        var sites: [SiteAssessment] = []
        let measured = Set(d.strength.map(\.site)).union(d.densitometry.spine?.siteVBMD_mgcm3 != nil ? [.spine] : [])
            .union(d.densitometry.lowestHipTScore != nil ? [.hip] : [])
        for site in measured.sorted() {
            let driver = d.strength.first { $0.site == site && $0.drivesClass }
            var s = SiteAssessment(site: site, strength_N: driver?.strength_N, strengthSource: driver.map(Self.describe),
                                   strengthClass: nil, bmdValue: nil, bmdQuantity: nil, bmdClass: nil)
            switch site {
            case .hip:
                s.bmdValue = d.densitometry.lowestHipTScore; s.bmdQuantity = "lowest hip T-score"
                if !group.paediatric, let t = s.bmdValue { s.bmdClass = ClassThresholds.hipClass(tScore: t) }
            case .spine:
                s.bmdValue = d.densitometry.spine?.siteVBMD_mgcm3; s.bmdQuantity = "spine trabecular vBMD (mg/cm³)"
                if !group.paediatric, let v = s.bmdValue { s.bmdClass = ClassThresholds.spineClass(vBMD: v) }
            }
            if !group.paediatric, let f = s.strength_N { s.strengthClass = ClassThresholds.strengthClass(f, site: site, sex: group.sex) }
            sites.append(s)
        }
        let (risk, reason) = group.paediatric ? (nil, "Paediatric patient: no risk category.") : RiskCategory.overall(sites)
        var phi: LoadToStrengthRecord?
        if let hip = sites.first(where: { $0.site == .hip })?.strength_N {
            if let h = d.patient.heightCM, let w = d.patient.weightKG {
                phi = fallForce.loadToStrength(strength: hip, heightCM: h, weightKG: w)
            } else {
                notes.append("Load-to-strength ratio not computed: height and weight are needed (--height, --weight).")
            }
        }
        var changes: [ChangeRecord] = []
        if let prior {
            changes = change.changes(current: ChangeAnalysis.trackedQuantities(d), prior: prior)
            if changes.isEmpty { notes.append("Prior analysis \(prior.analysisID) has no quantity in common with this one.") }
        }
        return AssessmentRecord(paediatric: group.paediatric, sexForThresholds: group.sex, sites: sites, overallRisk: risk,
                                overallRiskReason: reason, thresholdsLabel: ClassThresholds.thresholdsLabel, loadToStrength: phi,
                                changes: changes, notes: notes)
    }

    static func describe(_ s: StrengthRecord) -> String {
        switch s.site {
        case .hip: return "\(s.side?.rawValue ?? "") femur, sideways fall".trimmingCharacters(in: .whitespaces)
        case .spine: return "\(s.level ?? "vertebra"), compression"
        }
    }
}
