// From the result document to coded findings: which code each number gets (methods.md §9).
import DICOM
import ResultModel

extension CodedFindings {
    /// The coded findings of `document`: one group per femur (strength, stiffness, total-hip aBMD and
    /// T-score, load-to-strength ratio), one per femoral neck (aBMD, T-score), one per vertebra with FE
    /// strength or vBMD, one for the lumbar spine site value, one for changes against the prior; the
    /// overall risk category; the interpretation sentences. Classes use unrounded values (they come
    /// from the document); numbers are carried unrounded.
    init(document doc: ResultDocument) {
        var groups: [FindingGroup] = []
        let assessment = doc.assessment
        let ctNote = "CT-derived (DXA-like projection); CT→DXA scale not cross-calibrated"

        // Hips: one group per femur, one per femoral neck.
        let sides = Set(doc.strength.filter { $0.site == .hip }.compactMap(\.side)).union(doc.densitometry.hips.map(\.side))
        for side in BodySide.allCases where sides.contains(side) {
            let laterality = side == .left ? SNOMED.left : SNOMED.right
            var femur = FindingGroup(trackingID: "\(side.rawValue) femur", trackingUID: UID.generate(), findingSite: SNOMED.femur,
                                     laterality: laterality, measurements: [], evaluations: [])
            if let fe = doc.strength.first(where: { $0.site == .hip && $0.side == side }) {
                femur.measurements += strengthMeasurements(fe, concept: PrivateCodes.femoralStrength)
                if fe.drivesClass, let cls = assessment?.sites.first(where: { $0.site == .hip })?.strengthClass {
                    femur.evaluations.append(CodedEvaluation(concept: PrivateCodes.strengthClass, value: cls.code,
                                                             note: assessment?.thresholdsLabel))
                }
                if fe.drivesClass, let phi = assessment?.loadToStrength {
                    femur.measurements.append(CodedMeasurement(concept: PrivateCodes.loadToStrengthRatio, value: phi.ratio, unit: UCUM.ratio,
                                                               note: "\(phi.interpretation); fall force \(Int(phi.fallForce_N.rounded())) N (\(phi.model))"))
                }
            }
            if let hip = doc.densitometry.hips.first(where: { $0.side == side }) {
                if let total = hip.regions.first(where: { $0.region == "totalHip" && $0.valid }) {
                    femur.measurements.append(CodedMeasurement(concept: side == .left ? LOINC.leftHipBMD : LOINC.rightHipBMD,
                                                               value: total.aBMD_g_per_cm2, unit: UCUM.gramPerSquareCentimetre, note: ctNote))
                    if let t = total.tScore {
                        femur.measurements.append(CodedMeasurement(concept: side == .left ? LOINC.leftHipTScore : LOINC.rightHipTScore,
                                                                   value: t, unit: UCUM.standardDeviation, note: ctNote))
                    }
                }
                if let cls = hip.bmdClass {
                    femur.evaluations.append(CodedEvaluation(concept: PrivateCodes.vbmdClass, value: cls.code, note: ctNote))
                }
            }
            var neckGroup: FindingGroup?
            if let neck = doc.densitometry.hips.first(where: { $0.side == side })?.regions.first(where: { $0.region == "femoralNeck" && $0.valid }) {
                var g = FindingGroup(trackingID: "\(side.rawValue) femoral neck", trackingUID: UID.generate(),
                                     findingSite: SNOMED.femoralNeck, laterality: laterality, measurements: [], evaluations: [])
                g.measurements.append(CodedMeasurement(concept: side == .left ? LOINC.leftFemurBMD : LOINC.rightFemurBMD,
                                                       value: neck.aBMD_g_per_cm2, unit: UCUM.gramPerSquareCentimetre, note: ctNote))
                if let t = neck.tScore {
                    g.measurements.append(CodedMeasurement(concept: side == .left ? LOINC.leftFemurTScore : LOINC.rightFemurTScore,
                                                           value: t, unit: UCUM.standardDeviation, note: ctNote))
                }
                neckGroup = g
            }
            if !(femur.measurements.isEmpty && femur.evaluations.isEmpty) { groups.append(femur) }
            if let neckGroup { groups.append(neckGroup) }
        }

        // Spine: one group per vertebra with a number, then the site value.
        let spineFE = doc.strength.filter { $0.site == .spine }
        var levels: [String] = spineFE.compactMap(\.level)
        for v in doc.densitometry.spine?.vertebrae ?? [] where v.usable && !levels.contains(v.level) { levels.append(v.level) }
        for level in levels {
            var g = FindingGroup(trackingID: "\(level) vertebra", trackingUID: UID.generate(),
                                 findingSite: SNOMED.vertebrae[level] ?? SNOMED.lumbarVertebra, laterality: nil,
                                 measurements: [], evaluations: [])
            if let fe = spineFE.first(where: { $0.level == level }) {
                g.measurements += strengthMeasurements(fe, concept: PrivateCodes.vertebralStrength)
                if fe.drivesClass, let cls = assessment?.sites.first(where: { $0.site == .spine })?.strengthClass {
                    g.evaluations.append(CodedEvaluation(concept: PrivateCodes.strengthClass, value: cls.code, note: assessment?.thresholdsLabel))
                }
            }
            if let v = doc.densitometry.spine?.vertebrae.first(where: { $0.level == level && $0.usable }) {
                g.measurements.append(CodedMeasurement(concept: PrivateCodes.volumetricBMD, value: v.vBMD_mgcm3,
                                                       unit: UCUM.milligramPerCubicCentimetre, note: "K2HPO4-equivalent"))
            }
            groups.append(g)
        }
        if let spine = doc.densitometry.spine, let site = spine.siteVBMD_mgcm3 {
            var g = FindingGroup(trackingID: "lumbar spine (\(spine.siteLevels.joined(separator: ", ")))", trackingUID: UID.generate(),
                                 findingSite: SNOMED.lumbarVertebra, laterality: nil, measurements: [], evaluations: [])
            g.measurements.append(CodedMeasurement(concept: PrivateCodes.volumetricBMD, value: site, unit: UCUM.milligramPerCubicCentimetre,
                                                   note: "mean of \(spine.siteLevels.joined(separator: " and ")), K2HPO4-equivalent"))
            if let cls = spine.bmdClass { g.evaluations.append(CodedEvaluation(concept: PrivateCodes.vbmdClass, value: cls.code, note: nil)) }
            groups.append(g)
        }

        // Change against the prior analysis.
        for change in assessment?.changes ?? [] {
            let note = "\(ReportText.quantityName(change.quantity)): \(ReportText.number(change.prior)) → \(ReportText.number(change.current)) \(change.unit)"
            var measurements = [CodedMeasurement(concept: PrivateCodes.percentChange, value: change.percentChange, unit: UCUM.percent, note: note)]
            if let lsc = change.lscPercent {
                measurements.append(CodedMeasurement(concept: PrivateCodes.leastSignificantChange, value: lsc, unit: UCUM.percent,
                                                     note: change.significant == true ? "change exceeds the least significant change" : "change within the least significant change"))
            }
            groups.append(FindingGroup(trackingID: "change in \(ReportText.quantityName(change.quantity))", trackingUID: UID.generate(),
                                       findingSite: change.quantity.hasPrefix("hip") ? SNOMED.femur : SNOMED.lumbarVertebra,
                                       laterality: nil, measurements: measurements, evaluations: []))
        }

        self.groups = groups
        overall = assessment?.overallRisk.map {
            [CodedEvaluation(concept: PrivateCodes.fractureRiskCategory, value: $0.code, note: assessment?.thresholdsLabel)]
        } ?? []
        interpretation = ReportText.interpretation(doc)
    }

}

/// Strength, its interval and the linear stiffness of one FE record.
func strengthMeasurements(_ fe: StrengthRecord, concept: CodedConcept) -> [CodedMeasurement] {
    var m = [CodedMeasurement(concept: concept, value: fe.strength_N, unit: UCUM.newton,
                              note: "\(fe.protocolName), \(fe.materialLaw)\(fe.converged ? "" : "; nonlinear solve did not converge at every step")")]
    if let interval = fe.interval {
        m.append(CodedMeasurement(concept: PrivateCodes.strengthLowerBound, value: interval.low_N, unit: UCUM.newton, note: interval.coverage))
        m.append(CodedMeasurement(concept: PrivateCodes.strengthUpperBound, value: interval.high_N, unit: UCUM.newton, note: interval.coverage))
    }
    m.append(CodedMeasurement(concept: PrivateCodes.stiffness, value: fe.linearStiffness_N_per_mm, unit: UCUM.newtonPerMillimetre, note: nil))
    return m
}

extension StrengthClass {
    var code: CodedConcept {
        switch self {
        case .fragile: return PrivateCodes.fragile
        case .low: return PrivateCodes.lowStrength
        case .normal: return PrivateCodes.normalStrength
        }
    }
}

extension BMDClass {
    var code: CodedConcept {
        switch self {
        case .osteoporosis: return SNOMED.osteoporosis
        case .lowBoneMass: return SNOMED.osteopenia
        case .normal: return PrivateCodes.normalBMD
        }
    }
}

extension RiskCategory {
    var code: CodedConcept {
        switch self {
        case .high: return PrivateCodes.highRisk
        case .increased: return PrivateCodes.increasedRisk
        case .notIncreased: return PrivateCodes.notIncreasedRisk
        }
    }
}
