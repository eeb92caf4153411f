// Vector line plots (force–displacement, trend against prior) drawn straight into the PDF.
import Foundation

/// One curve of a plot.
struct PlotSeries: Sendable {
    var label: String
    var points: [(x: Double, y: Double)]
    var colour: Colour
    var dashed = false
    /// Draw a dot at every point (for a handful of visits) rather than a bare line.
    var markers = false
}

/// A horizontal reference line (a class threshold, Φ = 1).
struct PlotReferenceLine: Sendable {
    var y: Double
    var label: String
    var colour: Colour
}

/// A line plot with axes, ticks, labels, a legend and optional horizontal reference lines.
struct LinePlot: Sendable {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [PlotSeries]
    var references: [PlotReferenceLine] = []
    /// Tick labels for the x axis instead of numbers (e.g. visit dates at x = 0, 1, 2…).
    var xTickLabels: [Double: String]? = nil

    /// Draws the plot into the box; the title sits above the axes.
    func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) {
        let small = TextStyle(size: 6.5, colour: Colour(hex: 0x444444))
        canvas.text(title, x: x, y: y + 8, TextStyle(size: 8, bold: true))
        let left = x + 36, right = x + width - 6, top = y + 16, bottom = y + height - 24
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.y)
        guard let xMin = xs.min(), let xMax = xs.max(), let yMinData = ys.min(), let yMaxData = ys.max() else {
            canvas.text("no data", x: (left + right) / 2, y: (top + bottom) / 2, small, align: .centre)
            return
        }
        let xAxis = AxisScale(lower: xMin, upper: xMax == xMin ? xMin + 1 : xMax, includeZero: false)
        let yAxis = AxisScale(lower: min(0, yMinData), upper: yMaxData == yMinData ? yMaxData + 1 : yMaxData, includeZero: true)
        func px(_ v: Double) -> Double { left + (v - xAxis.lower) / (xAxis.upper - xAxis.lower) * (right - left) }
        func py(_ v: Double) -> Double { bottom - (v - yAxis.lower) / (yAxis.upper - yAxis.lower) * (bottom - top) }

        let grid = Colour(hex: 0xDDDDDD)
        for t in yAxis.ticks {
            canvas.line(from: (left, py(t)), to: (right, py(t)), grid, lineWidth: 0.4)
            canvas.text(AxisScale.label(t, step: yAxis.step), x: left - 3, y: py(t) + 2.2, small, align: .right)
        }
        if let labels = xTickLabels {
            for (t, label) in labels.sorted(by: { $0.key < $1.key }) {
                canvas.text(label, x: px(t), y: bottom + 8, small, align: .centre)
            }
        } else {
            for t in xAxis.ticks {
                canvas.line(from: (px(t), bottom), to: (px(t), bottom + 2), Colour(hex: 0x444444), lineWidth: 0.5)
                canvas.text(AxisScale.label(t, step: xAxis.step), x: px(t), y: bottom + 8, small, align: .centre)
            }
        }
        canvas.line(from: (left, bottom), to: (right, bottom), Colour(hex: 0x444444), lineWidth: 0.6)
        canvas.line(from: (left, top), to: (left, bottom), Colour(hex: 0x444444), lineWidth: 0.6)
        canvas.text(xLabel, x: (left + right) / 2, y: bottom + 17, small, align: .centre)
        canvas.text(yLabel, x: x, y: top - 3, small)

        for r in references {
            canvas.line(from: (left, py(r.y)), to: (right, py(r.y)), r.colour, lineWidth: 0.7, dash: [3, 2])
            canvas.text(r.label, x: right - 2, y: py(r.y) - 2, small.with(colour: r.colour), align: .right)
        }
        for s in series {
            canvas.polyline(s.points.map { (px($0.x), py($0.y)) }, s.colour, lineWidth: 1.2, dash: s.dashed ? [4, 2] : [])
            if s.markers { for p in s.points { canvas.circle(centre: (px(p.x), py(p.y)), radius: 2, fill: s.colour) } }
        }
        // Legend, top left inside the axes, only when there is more than one curve.
        if series.count > 1 {
            var ly = top + 7
            for s in series {
                canvas.line(from: (left + 6, ly - 2), to: (left + 18, ly - 2), s.colour, lineWidth: 1.2, dash: s.dashed ? [4, 2] : [])
                canvas.text(s.label, x: left + 21, y: ly, small)
                ly += 8
            }
        }
    }
}

/// A "nice" axis range: bounds and ticks at 1, 2 or 5 × 10ⁿ.
struct AxisScale: Sendable {
    var lower: Double
    var upper: Double
    var step: Double

    init(lower rawLower: Double, upper rawUpper: Double, includeZero: Bool, targetTicks: Double = 5) {
        let lo = includeZero ? min(0, rawLower) : rawLower
        let span = max(rawUpper - lo, 1e-12)
        let magnitude = pow(10, floor(log10(span / targetTicks)))
        let fraction = span / targetTicks / magnitude
        step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
        lower = floor(lo / step) * step
        upper = ceil(rawUpper / step) * step
        if upper <= lower { upper = lower + step }
    }

    var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { lower + Double($0) * step }
    }

    /// A tick label with as many decimals as the step needs.
    static func label(_ v: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : Int(ceil(-log10(step)))
        return String(format: "%.\(decimals)f", abs(v) < step * 1e-6 ? 0 : v)
    }
}
