// Page furniture shared by every page of the PDF report: header band, footer, section titles, flow.
import Foundation
import OpenBCTCore

/// A PDF canvas with a cursor: content flows down the page and onto a new page (with its header and
/// footer) when the next block does not fit.
final class PageFlow {
    let canvas: PDFCanvas
    let margin = 40.0
    private(set) var page = 1
    var y: Double
    /// Footer text left of the page number (analysis id, software).
    let footer: String
    let runningTitle: String

    var left: Double { margin }
    var width: Double { canvas.pageWidth - 2 * margin }
    var bottom: Double { canvas.pageHeight - 52 }

    init(canvas: PDFCanvas, runningTitle: String, footer: String) {
        self.canvas = canvas; self.runningTitle = runningTitle; self.footer = footer
        y = 0
        decoratePage()
    }

    /// Header band (first page: the big title; later pages: the running title) and the footer with
    /// the research-use notice — on every page.
    private func decoratePage() {
        let c = canvas
        if page == 1 {
            c.fillRect(x: 0, y: 0, width: c.pageWidth, height: 78, ReportPalette.accent)
            c.text("Bone Strength and Fracture-Risk Report", x: margin, y: 40, TextStyle(size: 15, bold: true, colour: Colour(hex: 0xFFFFFF)))
            c.text("Biomechanical CT: finite-element bone strength, fracture risk and bone density",
                   x: margin, y: 56, TextStyle(size: 8, colour: Colour(hex: 0xDCE6F0)))
            // The research-use badge, top right.
            let badge = "FOR RESEARCH USE ONLY"
            let badgeStyle = TextStyle(size: 7.5, bold: true, colour: Colour(hex: 0xFFFFFF))
            let bw = c.width(of: badge, badgeStyle) + 14
            c.strokeRect(x: c.pageWidth - margin - bw, y: 27, width: bw, height: 17, Colour(hex: 0xFFFFFF), lineWidth: 0.8)
            c.text(badge, x: c.pageWidth - margin - 7, y: 38.5, badgeStyle, align: .right)
            c.text("not validated for clinical decisions", x: c.pageWidth - margin, y: 56, TextStyle(size: 6.5, colour: Colour(hex: 0xDCE6F0)), align: .right)
            y = 96
        } else {
            c.fillRect(x: 0, y: 0, width: c.pageWidth, height: 30, ReportPalette.accent)
            let notice = "FOR RESEARCH USE ONLY", noticeStyle = TextStyle(size: 8, bold: true, colour: Colour(hex: 0xFFFFFF))
            c.text(notice, x: c.pageWidth - margin, y: 19, noticeStyle, align: .right)
            let titleStyle = TextStyle(size: 8.5, bold: true, colour: Colour(hex: 0xFFFFFF))
            c.text(c.truncated(runningTitle, width: c.pageWidth - 2 * margin - c.width(of: notice, noticeStyle) - 16, titleStyle),
                   x: margin, y: 19, titleStyle)
            y = 48
        }
        let fy = c.pageHeight - 30
        c.line(from: (margin, fy - 10), to: (c.pageWidth - margin, fy - 10), ReportPalette.rule, lineWidth: 0.5)
        c.text(OpenBCT.researchUseNotice, x: margin, y: fy, TextStyle(size: 7, bold: true, colour: ReportPalette.fragile))
        c.text(footer, x: margin, y: fy + 9, TextStyle(size: 6.5, colour: ReportPalette.muted))
        c.text("Page \(page)", x: c.pageWidth - margin, y: fy, TextStyle(size: 7, colour: ReportPalette.muted), align: .right)
    }

    /// Starts a new page.
    func newPage() {
        canvas.nextPage()
        page += 1
        decoratePage()
    }

    /// Moves to a new page unless `height` points fit below the cursor.
    func ensure(_ height: Double) {
        if y + height > bottom { newPage() }
    }

    /// A section title with a rule under it.
    func section(_ title: String) {
        ensure(40)
        y += 6
        canvas.text(title.uppercased(), x: left, y: y + 9, TextStyle(size: 9, bold: true, colour: ReportPalette.accent))
        canvas.line(from: (left, y + 13), to: (left + width, y + 13), ReportPalette.accent, lineWidth: 0.8)
        y += 20
    }

    /// A wrapped paragraph at the cursor.
    func paragraph(_ text: String, _ style: TextStyle = TextStyle(size: 8), indent: Double = 0, after: Double = 4) {
        let h = canvas.paragraphHeight(text, width: width - indent, style)
        ensure(h)
        canvas.paragraph(text, x: left + indent, y: y + style.size, width: width - indent, style)
        y += h + after
    }

    /// A bulleted paragraph.
    func bullet(_ text: String, _ style: TextStyle = TextStyle(size: 8)) {
        let h = canvas.paragraphHeight(text, width: width - 12, style)
        ensure(h)
        canvas.text("•", x: left + 2, y: y + style.size, style.with(colour: ReportPalette.accent))
        canvas.paragraph(text, x: left + 12, y: y + style.size, width: width - 12, style)
        y += h + 1.5
    }
}
