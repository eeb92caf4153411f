// Ruled tables (the findings table, the inputs table) drawn into the PDF.

/// A table with a header row, fixed column widths (as fractions of the table width) and
/// optional per-cell emphasis colours (a fragile class in red, say).
struct Table: Sendable {
    struct Cell: Sendable {
        var text: String
        var colour: Colour? = nil
        var bold = false
    }

    var header: [String]
    var rows: [[Cell]]
    /// Fractions of the width, one per column (normalised when drawn).
    var columnWeights: [Double]
    var fontSize = 7.5

    /// Draws the table with its top at `y`; returns the y below it. Cells wrap within their column.
    @discardableResult
    func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        let total = columnWeights.reduce(0, +)
        let widths = columnWeights.map { $0 / total * width }
        let padding = 3.0
        let body = TextStyle(size: fontSize)
        let head = TextStyle(size: fontSize, bold: true, colour: Colour(hex: 0xFFFFFF))
        var top = y

        func drawRow(_ cells: [Cell], style: TextStyle, background: Colour?) {
            let lines = cells.enumerated().map { i, c in
                canvas.wrap(c.text, width: widths[i] - 2 * padding, style.with(bold: c.bold || style.bold))
            }
            let height = Double(lines.map(\.count).max() ?? 1) * fontSize * 1.25 + 2 * padding
            if let background { canvas.fillRect(x: x, y: top, width: width, height: height, background) }
            var cx = x
            for (i, cellLines) in lines.enumerated() {
                let cellStyle = style.with(bold: cells[i].bold || style.bold, colour: cells[i].colour ?? style.colour)
                var baseline = top + padding + fontSize * 0.95
                for line in cellLines {
                    canvas.text(line, x: cx + padding, y: baseline, cellStyle)
                    baseline += fontSize * 1.25
                }
                cx += widths[i]
            }
            top += height
            canvas.line(from: (x, top), to: (x + width, top), Colour(hex: 0xC8CDD3), lineWidth: 0.4)
        }

        drawRow(header.map { Cell(text: $0) }, style: head, background: ReportPalette.accent)
        for (r, row) in rows.enumerated() {
            drawRow(row, style: body, background: r % 2 == 1 ? Colour(hex: 0xF3F5F7) : nil)
        }
        return top
    }
}

/// The report's colours, in one place.
enum ReportPalette {
    static let accent = Colour(hex: 0x1F4E79)
    static let muted = Colour(hex: 0x5A6470)
    static let rule = Colour(hex: 0xC8CDD3)
    static let fragile = Colour(hex: 0xB3261E)
    static let low = Colour(hex: 0xB26A00)
    static let normal = Colour(hex: 0x2E7D32)
    static let curve = Colour(hex: 0x1F4E79)
    static let prior = Colour(hex: 0x8A8F96)
}
