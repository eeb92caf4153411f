// The last page: methods (from the document's parameters), eligibility, quality findings,
// limitations, evidence and billing.
import ResultModel

struct ReportMethods {
    let document: ResultDocument

    func draw(_ flow: PageFlow) {
        let doc = document, p = doc.parameters
        let body = TextStyle(size: 7)
        flow.section("Methods")
        if let c = doc.calibration {
            var text = "Calibration (\(c.method)): HU = \(ReportText.number(c.intercept_HU, digits: 1)) + \(ReportText.number(c.slope_HU_per_mgcm3, digits: 3))·ρ (ρ in mg/cm³ \(c.equivalent))"
            if let r2 = c.rSquared { text += ", R² \(ReportText.number(r2, digits: 4))" }
            if let e = c.effectiveEnergy_keV { text += ", effective energy \(ReportText.number(e, digits: 1)) keV" }
            text += "; \(c.regions.count) calibration regions (\(c.regions.map(\.name).joined(separator: ", "))). Densities are K2HPO4-equivalent mg/cm³."
            flow.bullet(text, body)
        }
        if let a = doc.anatomy {
            var text = "Segmentation (\(a.source)): \(a.femurs.count) femur(s), \(a.vertebrae.count) vertebra(e)"
            if let anchor = a.levelAnchor { text += "; levels anchored on \(anchor)\(a.levelConfidence.map { " (\($0) confidence)" } ?? "")" }
            flow.bullet(text + ".", body)
        }
        if let spine = doc.densitometry.spine { flow.bullet("Spine densitometry: \(spine.method).", body) }
        // The densitometry stage's own caveats and references, once each.
        var seen = Set<String>()
        for note in doc.densitometry.hips.flatMap(\.notes) + (doc.densitometry.spine?.notes ?? []) where seen.insert(note).inserted {
            flow.bullet(note, body.with(size: 6.5, colour: ReportPalette.muted))
        }
        if !doc.densitometry.hips.isEmpty {
            flow.bullet("Hip densitometry: femur voxels projected in a DXA-like pose; regions femoral neck (15 mm box at the narrowest section), trochanter, intertrochanter and total hip; aBMD converted to T-scores with a DXA reference (not cross-calibrated to CT).", body)
        }
        for fe in doc.strength {
            var text = "FE \(fe.side.map { "\($0.rawValue) femur" } ?? fe.level ?? "vertebra"): \(fe.protocolName), \(fe.materialLaw), \(ReportText.number(fe.voxelSize_mm, digits: 2)) mm voxels, \(ReportText.grouped(fe.elements)) elements, nonlinear (\(fe.converged ? "converged" : "not fully converged")), \(ReportText.number(fe.seconds, digits: 1)) s"
            if let i = fe.interval {
                text += "; interval \(i.coverage) from " + i.components.map { "\($0.source) \(ReportText.number($0.relative * 100, digits: 1)) %" }.joined(separator: ", ")
            }
            flow.bullet(text + ".", body)
        }
        flow.bullet("Sideways fall: shaft at α = \(ReportText.number(p.hip.alpha_deg))° to the ground, internal rotation β = \(ReportText.number(p.hip.beta_deg))°; strength = peak force within \(ReportText.number(p.hip.deformationLimit * 100, digits: 1)) % of the reference length. Spine: compression, peak within \(ReportText.number(p.spine.deformationLimit * 100, digits: 1)) % of the loaded height; vBMD levels \(p.spine.vbmdLevels.joined(separator: ", ")), strength level order \(p.spine.strengthLevelOrder.joined(separator: ", "))\(curveEnd(p)).", body)
        flow.bullet("Fall force: \(p.fallForce.model) (hip height \(ReportText.number(p.fallForce.hipHeightFraction * 100))% of stature, effective mass \(ReportText.number(p.fallForce.effectiveMassFraction * 100))% of body mass, stiffness \(ReportText.grouped(Int(p.fallForce.stiffness_N_per_m.rounded()))) N/m; \(p.fallForce.source)).", body)
        let cvs = p.change.precisionCVPercent.sorted { $0.key < $1.key }.map { "\(ReportText.quantityName($0.key)) \(ReportText.number($0.value, digits: 1)) %" }
        flow.bullet("Change: least significant change = \(ReportText.number(p.change.z, digits: 2))·√2·CV with precision CV \(cvs.joined(separator: ", ")).", body)

        flow.section("Eligibility and quality")
        for e in doc.eligibility {
            let problems = e.checks.filter { $0.outcome != .pass }.map { "\($0.rule): \($0.message)" }
            flow.bullet("\(e.site.rawValue.capitalizedFirst): \(e.verdict.rawValue)" + (problems.isEmpty ? " (all checks passed)." : " — " + problems.joined(separator: "; ") + "."), body)
        }
        let ordered = doc.qualityFindings.sorted { rank($0.severity) < rank($1.severity) }
        for q in ordered where q.severity != .info {
            flow.bullet("[\(q.severity.rawValue)] \(q.stage): \(q.message)", body.with(colour: q.severity == .blocking ? ReportPalette.fragile : body.colour))
        }
        let infos = ordered.filter { $0.severity == .info }.count
        if infos > 0 { flow.bullet("\(infos) informational quality note(s) are in the result document.", body.with(colour: ReportPalette.muted)) }
        for o in doc.omissions { flow.bullet("Not analysed — \(o.part): \(o.reason).", body.with(colour: ReportPalette.low)) }

        flow.section("Limitations")
        for text in limitations { flow.bullet(text, body) }

        flow.bullet("Evidence: femoral strength from CT finite-element analysis predicted hip fracture with a hazard ratio of 2.8 per SD (FOCUS, 1,959 fractures); vertebral strength gave an AUC of 0.83 against 0.76 for DXA (MrOS). ISCD 2015: FE strength may be used for fracture prediction and for monitoring in postmenopausal women and older men. These results were obtained with another implementation (VirtuOst), not with OpenBCT.", body)

        if let billing = doc.billing {
            flow.section("Billing summary")
            for line in billing.lines {
                flow.bullet("CPT \(line.cpt)\(line.modifiers.isEmpty ? "" : "-" + line.modifiers.joined(separator: "-")) — \(line.descriptor) (\(line.performer))" + (line.modifierReasons.isEmpty ? "" : "; " + line.modifierReasons.joined(separator: "; ")), body)
            }
            for i in billing.indications { flow.bullet("ICD-10-CM \(i.code): \(i.verdict.rawValue) — \(i.message)", body) }
        }
    }

    /// The curve-end rule, as a clause after the deformation limits ("" when every curve ran to its limit).
    private func curveEnd(_ p: AnalysisParameters) -> String {
        guard let stop = p.stopAfterDecline else { return "" }
        return "; a curve ends once its force has stayed below the peak for \(stop.increments) increments spanning at least \(ReportText.number(stop.limitShare * 100, digits: 1)) % of the limit"
    }

    private var limitations: [String] {
        var out = [
            "Strength classes and the risk category use thresholds derived for another system (VirtuOst, Keaveny 2020); OpenBCT has not re-derived its own thresholds in an independent cohort.",
            "T-scores come from a DXA-like projection of the CT; the CT-to-DXA scale is not cross-calibrated. Z-scores are not reported (no confirmed age/sex reference).",
            "The fall-force model's constants are documented defaults, not confirmed values; the load-to-strength ratio is indicative.",
            "Accuracy is claimed only against data made elsewhere (reference FE results, real CTs); agreement on the digital phantom is a consistency check.",
            document.notice,
        ]
        if document.assessment?.paediatric == true { out.insert("Paediatric patient: values are reported without classes.", at: 0) }
        if !document.study.sourceIsDICOM { out.append("The source volume was not DICOM: acquisition facts could not all be verified.") }
        return out
    }

    private func rank(_ s: QualityFinding.Severity) -> Int { s == .blocking ? 0 : s == .warning ? 1 : 2 }
}
