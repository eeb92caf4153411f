// A thin Swift layer over Cairo's PDF surface: pages, text, wrapped paragraphs, shapes and PNG images.
import CCairo
import Foundation
import OpenBCTCore

/// An RGB colour with components in 0…1.
struct Colour: Sendable {
    var red: Double, green: Double, blue: Double
    init(_ red: Double, _ green: Double, _ blue: Double) { self.red = red; self.green = green; self.blue = blue }
    /// From a 0xRRGGBB literal.
    init(hex: UInt32) {
        self.init(Double(hex >> 16 & 0xFF) / 255, Double(hex >> 8 & 0xFF) / 255, Double(hex & 0xFF) / 255)
    }
}

/// Font, size and colour of a run of text.
struct TextStyle: Sendable {
    var size: Double
    var bold = false
    var italic = false
    var colour = Colour(hex: 0x1A1A1A)
    /// DejaVu Sans ships with Debian's fontconfig (fonts-dejavu-core) and covers ≥, ±, Φ, ³ and Greek.
    var family = "DejaVu Sans"

    func with(size: Double? = nil, bold: Bool? = nil, italic: Bool? = nil, colour: Colour? = nil) -> TextStyle {
        var s = self
        if let size { s.size = size }
        if let bold { s.bold = bold }
        if let italic { s.italic = italic }
        if let colour { s.colour = colour }
        return s
    }
}

enum TextAlignment: Sendable { case left, centre, right }

/// Collects the PDF bytes Cairo streams out.
private final class ByteSink { var data = Data() }

/// Draws PDF pages with Cairo. Coordinates are PostScript points (1/72 in), origin top left, y down.
/// Use one canvas per document, on one thread; `finish()` returns the file's bytes.
final class PDFCanvas {
    let pageWidth: Double
    let pageHeight: Double
    private let surface: OpaquePointer
    let cr: OpaquePointer
    private let sink = ByteSink()
    private var finished = false

    /// A4 portrait by default.
    init(pageWidth: Double = 595.28, pageHeight: Double = 841.89, title: String, author: String) throws {
        self.pageWidth = pageWidth; self.pageHeight = pageHeight
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        guard let s = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), pageWidth, pageHeight),
              cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            throw InputError("Cairo could not create a PDF surface")
        }
        surface = s
        cr = cairo_create(s)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "\(OpenBCT.name) \(OpenBCT.version)")
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Ends the current page and starts a new one.
    func nextPage() { cairo_show_page(cr) }

    /// Ends the last page and returns the PDF.
    func finish() throws -> Data {
        precondition(!finished, "finish() called twice")
        finished = true
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw InputError("Cairo failed to write the PDF: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }

    // MARK: Text

    private func select(_ style: TextStyle) {
        cairo_select_font_face(cr, style.family, style.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, style.size)
        setColour(style.colour)
    }

    /// The advance width of `text` in `style`.
    func width(of text: String, _ style: TextStyle) -> Double {
        select(style)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Draws one line of text with its baseline at `y`; `x` is the left edge, centre or right edge.
    func text(_ text: String, x: Double, y: Double, _ style: TextStyle, align: TextAlignment = .left) {
        let w = align == .left ? 0 : width(of: text, style)
        select(style)
        cairo_move_to(cr, align == .left ? x : align == .centre ? x - w / 2 : x - w, y)
        cairo_show_text(cr, text)
    }

    /// `text`, cut with an ellipsis to fit `width`.
    func truncated(_ text: String, width: Double, _ style: TextStyle) -> String {
        if self.width(of: text, style) <= width { return text }
        var t = text
        while !t.isEmpty && self.width(of: t + "…", style) > width { t.removeLast() }
        return t + "…"
    }

    /// Splits `text` into lines no wider than `width` (at spaces; a word longer than a line stays whole).
    func wrap(_ text: String, width: Double, _ style: TextStyle) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if !line.isEmpty && self.width(of: candidate, style) > width {
                    lines.append(line); line = String(word)
                } else {
                    line = candidate
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Draws `text` wrapped to `width` starting with the first baseline at `y`; returns the y below
    /// the last line.
    @discardableResult
    func paragraph(_ text: String, x: Double, y: Double, width: Double, _ style: TextStyle,
                   leading: Double = 1.3) -> Double {
        var baseline = y
        for line in wrap(text, width: width, style) {
            self.text(line, x: x, y: baseline, style)
            baseline += style.size * leading
        }
        return baseline - style.size * leading + style.size * 0.45
    }

    /// The height `paragraph` would use.
    func paragraphHeight(_ text: String, width: Double, _ style: TextStyle, leading: Double = 1.3) -> Double {
        Double(wrap(text, width: width, style).count) * style.size * leading
    }

    // MARK: Shapes

    func setColour(_ c: Colour, alpha: Double = 1) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, alpha) }

    func fillRect(x: Double, y: Double, width: Double, height: Double, _ colour: Colour, alpha: Double = 1) {
        setColour(colour, alpha: alpha)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func strokeRect(x: Double, y: Double, width: Double, height: Double, _ colour: Colour, lineWidth: Double = 0.5) {
        setColour(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
    }

    func line(from a: (Double, Double), to b: (Double, Double), _ colour: Colour, lineWidth: Double = 0.5,
              dash: [Double] = []) {
        setColour(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_stroke(cr)
        cairo_set_dash(cr, [], 0, 0)
    }

    /// A polyline through `points` (already in page coordinates).
    func polyline(_ points: [(Double, Double)], _ colour: Colour, lineWidth: Double = 1, dash: [Double] = []) {
        guard let first = points.first else { return }
        setColour(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_stroke(cr)
        cairo_set_dash(cr, [], 0, 0)
    }

    func circle(centre: (Double, Double), radius: Double, fill: Colour, stroke: Colour? = nil) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, centre.0, centre.1, radius, 0, 2 * .pi)
        setColour(fill)
        if let stroke {
            cairo_fill_preserve(cr)
            setColour(stroke)
            cairo_set_line_width(cr, 0.6)
            cairo_stroke(cr)
        } else {
            cairo_fill(cr)
        }
    }

    // MARK: Images

    /// Draws the PNG file at `url` scaled to fit the box (aspect ratio kept, centred); returns the
    /// rectangle it occupies. Throws an `InputError` naming the file when it is not a readable PNG.
    @discardableResult
    func image(pngAt url: URL, x: Double, y: Double, width: Double, height: Double) throws
        -> (x: Double, y: Double, width: Double, height: Double) {
        guard let img = cairo_image_surface_create_from_png(url.path) else {
            throw InputError(path: url.path, "Cairo could not open the figure")
        }
        defer { cairo_surface_destroy(img) }
        let status = cairo_surface_status(img)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw InputError(path: url.path, "not a readable PNG figure (\(String(cString: cairo_status_to_string(status))))")
        }
        let iw = Double(cairo_image_surface_get_width(img)), ih = Double(cairo_image_surface_get_height(img))
        guard iw > 0, ih > 0 else { throw InputError(path: url.path, "the PNG figure has no pixels") }
        let scale = min(width / iw, height / ih)
        let w = iw * scale, h = ih * scale
        let ox = x + (width - w) / 2, oy = y + (height - h) / 2
        cairo_save(cr)
        cairo_translate(cr, ox, oy)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, img, 0, 0)
        // Upscaled CT pixels stay crisp squares rather than a blur.
        cairo_pattern_set_filter(cairo_get_source(cr), scale > 1.5 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
        return (ox, oy, w, h)
    }
}
