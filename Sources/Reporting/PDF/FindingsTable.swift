// The findings table of page 1: strength and class per site, T-scores, vBMD, Φ and change vs prior.
import ResultModel

/// Rows of the findings table (values rounded for display as methods.md §7 says; classes come from
/// the document, decided on unrounded values).
struct FindingsTable {
    let document: ResultDocument

    var table: Table {
        Table(header: ["Site", "Measurement", "Value", "Detail", "Class"], rows: rows, columnWeights: [1.0, 1.85, 1.55, 2.6, 1.1])
    }

    private var rows: [[Table.Cell]] {
        let doc = document, a = doc.assessment
        var rows: [[Table.Cell]] = []
        let hipSites = a?.sites.first { $0.site == .hip }
        for side in BodySide.allCases {
            let fe = doc.strength.first { $0.site == .hip && $0.side == side }
            let bmd = doc.densitometry.hips.first { $0.side == side }
            guard fe != nil || bmd != nil else { continue }
            var site = "Hip — \(side.rawValue)"
            if let fe {
                rows.append([cell(site, bold: true), cell("Femoral strength (sideways fall)"), cell(ReportText.newtons(fe.strength_N), bold: true),
                             cell(interval(fe)), fe.drivesClass ? strengthClass(hipSites?.strengthClass) : cell("—")])
                site = ""
                if fe.drivesClass, let phi = a?.loadToStrength {
                    rows.append([cell(site), cell("Load-to-strength ratio Φ"), cell(ReportText.number(phi.ratio, digits: 2), bold: true),
                                 cell("fall force \(ReportText.newtons(phi.fallForce_N)) for \(Int(phi.heightCM.rounded())) cm, \(Int(phi.weightKG.rounded())) kg: \(phi.interpretation)"),
                                 cell(phi.ratio > 1 ? "Φ > 1" : "Φ ≤ 1", colour: phi.ratio > 1 ? ReportPalette.fragile : nil)])
                }
            }
            for region in ["femoralNeck", "totalHip"] {
                guard let r = bmd?.regions.first(where: { $0.region == region && $0.valid }) else { continue }
                let t = r.tScore.map { " · T " + ReportText.tScore($0) } ?? ""
                rows.append([cell(site, bold: !site.isEmpty), cell("\(ReportText.regionName(region).capitalizedFirst) aBMD / T-score"),
                             cell(String(format: "%.3f g/cm²", r.aBMD_g_per_cm2) + t),
                             cell("CT-derived*; Z-score \(r.zScore.map(ReportText.tScore) ?? "unavailable")"),
                             region == "totalHip" || bmd?.regions.contains(where: { $0.region == "totalHip" && $0.valid }) != true
                                 ? bmdClass(bmd?.bmdClass) : cell("")])
                site = ""
            }
        }
        let spineSite = a?.sites.first { $0.site == .spine }
        for fe in doc.strength where fe.site == .spine {
            rows.append([cell("Spine — \(fe.level ?? "vertebra")", bold: true), cell("Vertebral strength (compression)"),
                         cell(ReportText.newtons(fe.strength_N), bold: true), cell(interval(fe)),
                         fe.drivesClass ? strengthClass(spineSite?.strengthClass) : cell("—")])
        }
        if let spine = doc.densitometry.spine, let v = spine.siteVBMD_mgcm3 {
            let per = spine.vertebrae.filter(\.usable).map { "\($0.level) \(Int($0.vBMD_mgcm3.rounded()))" }.joined(separator: ", ")
            rows.append([cell("Spine — \(spine.siteLevels.joined(separator: "–"))", bold: true), cell("Trabecular vBMD (QCT)"),
                         cell(ReportText.vBMD(v), bold: true), cell("mean of \(spine.siteLevels.joined(separator: ", ")); per level (mg/cm³): \(per)"),
                         bmdClass(spine.bmdClass)])
        }
        if let changes = a?.changes, !changes.isEmpty {
            for (i, c) in changes.enumerated() {
                var detail = "\(ReportText.number(c.prior, digits: c.unit == "N" ? 0 : 1)) → \(ReportText.number(c.current, digits: c.unit == "N" ? 0 : 1)) \(c.unit)"
                if let lsc = c.lscPercent { detail += "; LSC \(ReportText.number(lsc, digits: 1)) %" }
                if let d = c.priorDate { detail += "; prior \(d)" }
                rows.append([cell(i == 0 ? "Change vs prior" : "", bold: true), cell(ReportText.quantityName(c.quantity).capitalizedFirst),
                             cell(ReportText.percent(c.percentChange), bold: true), cell(detail),
                             c.significant == true ? cell("significant", colour: ReportPalette.low) : cell(c.significant == false ? "within LSC" : "—")])
            }
        } else {
            rows.append([cell("Change vs prior", bold: true), cell("—"), cell("—"), cell("no prior analysis supplied"), cell("")])
        }
        return rows
    }

    /// Notes printed under the table (the densitometry stage's own notes go to the methods page).
    var footnotes: [String] {
        var notes = ["* T-scores come from a DXA-like projection of the CT; the CT→DXA scale is not cross-calibrated. Z-scores: no confirmed age/sex reference, reported as unavailable."]
        for fe in document.strength where fe.site == .spine {
            guard let sel = fe.levelSelection else { continue }
            notes.append("Vertebral strength level \(sel.summary). Order L1, L2, T12, L3: the first whole, unfractured level with a physiological model is used.")
        }
        if let label = document.assessment?.thresholdsLabel { notes.append("Classes: " + label) }
        return notes
    }

    private func interval(_ fe: StrengthRecord) -> String {
        var parts: [String] = []
        if let i = fe.interval { parts.append("\(ReportText.newtons(i.low_N))–\(ReportText.newtons(i.high_N)) (\(i.coverage))") }
        parts.append("stiffness \(ReportText.number(fe.linearStiffness_N_per_mm)) N/mm")
        if !fe.converged { parts.append("solve not fully converged") }
        return parts.joined(separator: "; ")
    }

    private func cell(_ text: String, bold: Bool = false, colour: Colour? = nil) -> Table.Cell {
        Table.Cell(text: text, colour: colour, bold: bold)
    }

    private func strengthClass(_ c: StrengthClass?) -> Table.Cell {
        guard let c else { return cell("no class") }
        let colour: Colour = c == .fragile ? ReportPalette.fragile : c == .low ? ReportPalette.low : ReportPalette.normal
        return cell(ReportText.strengthClassName(c), bold: true, colour: colour)
    }

    private func bmdClass(_ c: BMDClass?) -> Table.Cell {
        guard let c else { return cell("no class") }
        let colour: Colour = c == .osteoporosis ? ReportPalette.fragile : c == .lowBoneMass ? ReportPalette.low : ReportPalette.normal
        return cell(ReportText.bmdClassName(c), bold: true, colour: colour)
    }
}

extension String {
    /// The string with its first letter upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
