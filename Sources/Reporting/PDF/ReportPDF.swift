// The PDF report: page 1 patient, exam, risk category, findings and interpretation; then figures;
// then methods, limitations, quality findings and the signature block.
import Foundation
import OpenBCTCore
import ResultModel

/// Renders the report of one result document (and the figure files it references) as PDF.
struct ReportPDF {
    let document: ResultDocument
    let figures: FigureFiles
    let findings: CodedFindings
    let signature: ReportSignature?

    func render() throws -> Data {
        let doc = document
        let canvas = try PDFCanvas(title: "Bone strength and fracture-risk report — \(doc.patient.name.map(ReportPDF.displayName) ?? "anonymous")",
                                   author: signature?.name ?? "\(OpenBCT.name) \(OpenBCT.version) (unsigned)")
        let flow = PageFlow(canvas: canvas, runningTitle: runningTitle,
                            footer: "\(doc.software.name) \(doc.software.version) · analysis \(doc.analysisID) · \(doc.createdAt)")
        patientBlock(flow)
        riskBox(flow)
        flow.section("Findings")
        let table = FindingsTable(document: doc).table
        flow.ensure(Double(table.rows.count + 1) * 14)
        flow.y = table.draw(on: canvas, x: flow.left, y: flow.y, width: flow.width) + 4
        for note in FindingsTable(document: doc).footnotes {
            flow.paragraph(note, TextStyle(size: 6.5, italic: true, colour: ReportPalette.muted), after: 1)
        }
        flow.section("Interpretation")
        // The thresholds label is already in the risk box and under the table.
        for sentence in findings.interpretation where sentence != doc.assessment?.thresholdsLabel { flow.bullet(sentence) }
        physicianText(flow)
        signatureLine(flow)

        flow.newPage()
        try ReportFigures(document: doc, figures: figures).draw(flow)

        flow.newPage()
        ReportMethods(document: doc).draw(flow)
        signatureBlock(flow)
        return try canvas.finish()
    }

    var runningTitle: String {
        let p = document.patient
        return "Bone strength report · \(p.name.map(ReportPDF.displayName) ?? "anonymous") · ID \(p.id ?? "—") · study \(ReportPDF.date(document.study.studyDate) ?? "—")"
    }

    /// "Family^Given" → "Given Family".
    static func displayName(_ pn: String) -> String {
        pn.split(separator: "^").map(String.init).filter { !$0.isEmpty }.reversed().joined(separator: " ")
    }

    /// YYYYMMDD → YYYY-MM-DD.
    static func date(_ dicom: String?) -> String? {
        guard let d = dicom, d.count == 8 else { return dicom }
        let c = Array(d)
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))"
    }

    // MARK: Page 1 blocks

    private func patientBlock(_ flow: PageFlow) {
        let doc = document, p = doc.patient, s = doc.study, a = doc.acquisition
        var body = [String]()
        if let h = p.heightCM { body.append("\(Int(h.rounded())) cm") }
        if let w = p.weightKG { body.append("\(Int(w.rounded())) kg") }
        let age = p.ageYears.map { "\(Int($0)) y" }
        let left: [(String, String)] = [
            ("Patient", p.name.map(ReportPDF.displayName) ?? "—"),
            ("Patient ID", p.id ?? "—"),
            ("Sex", ReportText.sexName(p.sex) + (p.sources["sex"] == .override ? " (as ordered)" : "")),
            ("Born / age", [ReportPDF.date(p.birthDate), age].compactMap { $0 }.joined(separator: " · ").nonEmpty ?? "—"),
            ("Height / weight", body.joined(separator: " / ").nonEmpty ?? "not given"),
            ("Referring", s.referringPhysician.map(ReportPDF.displayName)?.nonEmpty ?? "—"),
        ]
        var scanner = [a.manufacturer, a.manufacturerModelName].compactMap { $0 }.joined(separator: " ")
        if let kv = a.kvp { scanner += (scanner.isEmpty ? "" : ", ") + "\(Int(kv.rounded())) kV" }
        if let k = a.convolutionKernel { scanner += ", kernel \(k)" }
        if let t = a.sliceThickness_mm { scanner += ", \(ReportText.number(t, digits: 2)) mm slices" }
        let right: [(String, String)] = [
            ("Study date", ReportPDF.date(s.studyDate) ?? "—"),
            ("Accession", s.accessionNumber ?? "—"),
            ("Exam", [s.studyDescription, s.seriesDescription].compactMap { $0 }.joined(separator: " / ").nonEmpty
                ?? (s.sourceIsDICOM ? "CT" : "CT volume (source not DICOM)")),
            ("Scanner", scanner.nonEmpty ?? "not recorded"),
            ("Sites analysed", doc.parameters.requestedSites.map(\.rawValue).joined(separator: ", ")),
            ("Analysed", "\(doc.createdAt) (\(doc.status.rawValue))"),
        ]
        let label = TextStyle(size: 6.5, colour: ReportPalette.muted)
        let value = TextStyle(size: 8.5)
        let columnWidth = flow.width / 2
        var bottom = flow.y
        for (column, rows) in [left, right].enumerated() {
            var y = flow.y + 8
            let x = flow.left + Double(column) * columnWidth
            for (name, text) in rows {
                flow.canvas.text(name.uppercased(), x: x, y: y, label)
                for line in flow.canvas.wrap(text, width: columnWidth - 86, value) {
                    flow.canvas.text(line, x: x + 74, y: y, value)
                    y += 11
                }
                y += 2
            }
            bottom = max(bottom, y)
        }
        flow.y = bottom
    }

    private func riskBox(_ flow: PageFlow) {
        let a = document.assessment
        let risk = a?.overallRisk
        let colour = risk.map(ReportPDF.colour) ?? ReportPalette.muted
        let reason = a?.overallRiskReason ?? (a?.paediatric == true ? "Paediatric patient: values are reported without classes."
                                                                      : "No category: see the omissions and quality findings.")
        let textWidth = flow.width - 190
        let reasonStyle = TextStyle(size: 8)
        let label = a?.thresholdsLabel ?? ""
        let labelStyle = TextStyle(size: 6.5, italic: true, colour: ReportPalette.muted)
        let height = max(50, flow.canvas.paragraphHeight(reason, width: textWidth, reasonStyle)
                              + flow.canvas.paragraphHeight(label, width: textWidth, labelStyle) + 18)
        let top = flow.y + 4
        flow.canvas.fillRect(x: flow.left, y: top, width: flow.width, height: height, colour, alpha: 0.08)
        flow.canvas.fillRect(x: flow.left, y: top, width: 5, height: height, colour)
        flow.canvas.text("OVERALL FRACTURE-RISK CATEGORY", x: flow.left + 14, y: top + 15, TextStyle(size: 6.5, bold: true, colour: ReportPalette.muted))
        flow.canvas.text(risk.map(ReportText.riskName) ?? "NOT CLASSIFIED", x: flow.left + 14, y: top + 36, TextStyle(size: 17, bold: true, colour: colour))
        var y = flow.canvas.paragraph(reason, x: flow.left + 180, y: top + 15, width: textWidth, reasonStyle)
        y = flow.canvas.paragraph(label, x: flow.left + 180, y: y + 9, width: textWidth, labelStyle)
        flow.y = top + height + 4
    }

    /// The interpreting physician's signed text and the addenda, each with its signer and time.
    private func physicianText(_ flow: PageFlow) {
        guard let s = signature else { return }
        if let text = s.interpretation?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            flow.section("Physician's interpretation")
            flow.paragraph(text, TextStyle(size: 8.5))
        }
        for a in s.addenda {
            flow.section("Addendum — \(a.name), \(ResultDocument.timestamp(a.time))")
            flow.paragraph(a.text, TextStyle(size: 8.5))
        }
    }

    /// One line under the interpretation saying whether a physician has signed.
    private func signatureLine(_ flow: PageFlow) {
        flow.y += 4
        let text = signature.map { "Electronically signed by \($0.name) on \(ResultDocument.timestamp($0.time))." }
            ?? "PRELIMINARY — not yet reviewed or signed by an interpreting physician."
        flow.paragraph(text, TextStyle(size: 8, bold: true, colour: signature == nil ? ReportPalette.low : ReportPalette.normal))
    }

    private func signatureBlock(_ flow: PageFlow) {
        flow.section("Interpreting physician")
        flow.ensure(60)
        let top = flow.y
        flow.canvas.strokeRect(x: flow.left, y: top, width: flow.width, height: 52, ReportPalette.rule, lineWidth: 0.8)
        if let s = signature {
            flow.canvas.text("Electronically signed by", x: flow.left + 10, y: top + 16, TextStyle(size: 7, colour: ReportPalette.muted))
            flow.canvas.text(s.name, x: flow.left + 10, y: top + 32, TextStyle(size: 12, bold: true))
            flow.canvas.text("on \(ResultDocument.timestamp(s.time))", x: flow.left + 10, y: top + 45, TextStyle(size: 8))
        } else {
            flow.canvas.text("UNSIGNED — PRELIMINARY REPORT", x: flow.left + 10, y: top + 18, TextStyle(size: 10, bold: true, colour: ReportPalette.low))
            flow.canvas.text("Awaiting review and signature by the interpreting physician (CPT 0557T component).",
                             x: flow.left + 10, y: top + 33, TextStyle(size: 8))
            flow.canvas.line(from: (flow.left + flow.width - 200, top + 42), to: (flow.left + flow.width - 10, top + 42), ReportPalette.muted)
            flow.canvas.text("signature, date", x: flow.left + flow.width - 10, y: top + 49, TextStyle(size: 6, colour: ReportPalette.muted), align: .right)
        }
        flow.y = top + 60
    }

    static func colour(_ r: RiskCategory) -> Colour {
        switch r { case .high: ReportPalette.fragile; case .increased: ReportPalette.low; case .notIncreased: ReportPalette.normal }
    }
}

extension String {
    /// Nil for an empty string (for `??` fallbacks).
    var nonEmpty: String? { isEmpty ? nil : self }
}
