// Page 2 of the report: CT slices with the segmentation, DXA-like projections with their regions,
// failed-tissue maps, force–displacement curves and the trend against the prior analysis.
import Foundation
import ResultModel

struct ReportFigures {
    let document: ResultDocument
    let figures: FigureFiles

    /// One cell of the figure grid: an image file or a vector plot, with its caption.
    private enum Panel {
        case image(FigureReference)
        case plot(LinePlot, caption: String)
    }

    func draw(_ flow: PageFlow) throws {
        flow.section("Figures")
        var panels: [Panel] = figures.figures(.ctSliceOverlay).map(Panel.image)
        panels += figures.figures(.dxaProjection).map(Panel.image)
        panels += figures.figures(.failedTissueMap).map(Panel.image)
        panels += curvePlots()
        panels.append(trendPlot())

        let columns = 3.0, gap = 12.0
        let cellWidth = (flow.width - gap * (columns - 1)) / columns
        // All panels on this page: rows share the height left (a caption takes up to 4 lines, ≈ 34 pt,
        // plus 16 pt of gaps).
        let rows = (Double(panels.count) / columns).rounded(.up)
        let imageHeight = min(150, (flow.bottom - flow.y) / max(1, rows) - 52)
        var column = 0
        var rowHeight = 0.0
        for panel in panels {
            let caption: String
            switch panel {
            case .image(let f): caption = f.caption
            case .plot(_, let c): caption = c
            }
            let captionStyle = TextStyle(size: 6.3, colour: ReportPalette.muted)
            let height = imageHeight + 6 + flow.canvas.paragraphHeight(caption, width: cellWidth, captionStyle)
            if column == 0 { flow.ensure(height) }
            let x = flow.left + Double(column) * (cellWidth + gap), y = flow.y
            switch panel {
            case .image(let f):
                flow.canvas.fillRect(x: x, y: y, width: cellWidth, height: imageHeight, Colour(hex: 0x101418))
                let box = try flow.canvas.image(pngAt: figures.url(of: f), x: x, y: y, width: cellWidth, height: imageHeight)
                drawOverlays(f, in: box, canvas: flow.canvas)
            case .plot(let plot, _):
                flow.canvas.strokeRect(x: x, y: y, width: cellWidth, height: imageHeight, ReportPalette.rule)
                plot.draw(on: flow.canvas, x: x + 4, y: y + 2, width: cellWidth - 8, height: imageHeight - 4)
            }
            flow.canvas.paragraph(caption, x: x, y: y + imageHeight + 9, width: cellWidth, captionStyle)
            rowHeight = max(rowHeight, height)
            column += 1
            if column == Int(columns) { flow.y += rowHeight + 10; column = 0; rowHeight = 0 }
        }
        if column > 0 { flow.y += rowHeight + 10 }
    }

    /// Region outlines given as data (DXA regions), drawn as vector lines over the image.
    private func drawOverlays(_ f: FigureReference, in box: (x: Double, y: Double, width: Double, height: Double), canvas: PDFCanvas) {
        guard let w = f.width, let h = f.height, w > 0, h > 0 else { return }
        let sx = box.width / Double(w), sy = box.height / Double(h)
        for overlay in f.overlays where overlay.points.count >= 4 {
            var points: [(Double, Double)] = stride(from: 0, to: overlay.points.count - 1, by: 2).map {
                (box.x + overlay.points[$0] * sx, box.y + overlay.points[$0 + 1] * sy)
            }
            points.append(points[0])
            canvas.polyline(points, Colour(hex: 0xFFD54F), lineWidth: 0.8)
            canvas.text(overlay.name, x: points[0].0 + 2, y: points[0].1 - 2, TextStyle(size: 5.5, colour: Colour(hex: 0xFFD54F)))
        }
    }

    /// Force–displacement curves, one plot per site (both femurs together).
    private func curvePlots() -> [Panel] {
        var panels: [Panel] = []
        for site in [AnalysisSite.hip, .spine] {
            let records = document.strength.filter { $0.site == site && !$0.curve.isEmpty }
            guard !records.isEmpty else { continue }
            let colours = [ReportPalette.curve, Colour(hex: 0xC0392B), Colour(hex: 0x2E7D32)]
            let series = records.enumerated().map { i, r in
                PlotSeries(label: r.side.map { "\($0.rawValue) femur" } ?? r.level ?? "vertebra",
                           points: r.curve.map { (x: $0.displacement_mm, y: $0.force_N / 1000) }, colour: colours[i % colours.count])
            }
            let peaks = records.map { r in "\(r.side.map { "\($0.rawValue) femur" } ?? r.level ?? "vertebra") peak \(ReportText.newtons(r.strength_N)) at \(ReportText.number(r.displacementAtPeak_mm, digits: 2)) mm" }
            let plot = LinePlot(title: site == .hip ? "Femur, sideways fall" : "Vertebra, compression",
                                xLabel: "displacement (mm)", yLabel: "force (kN)", series: series)
            panels.append(.plot(plot, caption: "Force–displacement curve of the nonlinear FE solve (\(records[0].protocolName)); strength = peak force: \(peaks.joined(separator: "; "))."))
        }
        return panels
    }

    /// Strength (and BMD) against the prior analysis; with no prior, the current values alone.
    private func trendPlot() -> Panel {
        let changes = document.assessment?.changes.filter { $0.unit == "N" } ?? []
        let currentDate = ReportPDF.date(document.study.studyDate) ?? String(document.createdAt.prefix(10))
        guard !changes.isEmpty else {
            let current = document.assessment?.sites.compactMap { s in s.strength_N.map { (s.site, $0) } } ?? []
            let series = current.enumerated().map { i, c in
                PlotSeries(label: c.0 == .hip ? "femoral strength" : "vertebral strength", points: [(x: 0, y: c.1 / 1000)],
                           colour: i == 0 ? ReportPalette.curve : Colour(hex: 0xC0392B), markers: true)
            }
            let plot = LinePlot(title: "Strength over time", xLabel: "examination", yLabel: "strength (kN)", series: series,
                                xTickLabels: [0: currentDate])
            return .plot(plot, caption: "Trend against prior analyses: no prior result was supplied, so only this examination is shown.")
        }
        let series = changes.enumerated().map { i, c in
            PlotSeries(label: ReportText.quantityName(c.quantity), points: [(x: 0, y: c.prior / 1000), (x: 1, y: c.current / 1000)],
                       colour: i == 0 ? ReportPalette.curve : Colour(hex: 0xC0392B), markers: true)
        }
        let plot = LinePlot(title: "Strength over time", xLabel: "examination", yLabel: "strength (kN)", series: series,
                            xTickLabels: [0: changes[0].priorDate ?? "prior", 1: currentDate])
        let words = changes.map { c in
            "\(ReportText.quantityName(c.quantity)) \(ReportText.percent(c.percentChange))" + (c.lscPercent.map { " (LSC \(ReportText.number($0, digits: 1)) %)" } ?? "")
        }
        return .plot(plot, caption: "Trend against the prior analysis: \(words.joined(separator: "; ")).")
    }
}
