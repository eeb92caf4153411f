// JPEG marker-segment parsing (ITU-T T.81 Annex B) shared by the lossless and DCT decoders:
// frame header, Huffman and quantisation tables, restart interval and scan headers.
import OpenBCTCore

/// One component of a JPEG frame header (SOFn).
struct JPEGComponent {
    var id: Int
    var h: Int
    var v: Int
    var quantTable: Int
}

/// A JPEG frame header: the SOF marker that started it and the image it describes.
struct JPEGFrame {
    var marker: UInt8
    var precision: Int
    var rows: Int
    var columns: Int
    var components: [JPEGComponent]

    var isLossless: Bool { marker == 0xC3 }
    var isProgressive: Bool { marker == 0xC2 }
}

/// A scan header (SOS): which frame components it codes with which tables, and where its
/// entropy-coded data starts.
struct JPEGScan {
    struct Member { var componentIndex: Int; var dcTable: Int; var acTable: Int }
    var members: [Member]
    /// Lossless: predictor selection value; DCT: start of spectral selection.
    var ss: Int
    var se: Int
    var ah: Int
    /// Lossless: point transform; DCT progressive: successive-approximation low bit.
    var al: Int
    /// Byte offset of the first entropy-coded byte.
    var dataStart: Int
}

/// Walks the marker segments of one JPEG stream and hands each scan to `scanHandler`, which
/// decodes it and returns the offset just past its entropy-coded data.
struct JPEGStreamParser {
    let data: UnsafeRawBufferPointer
    let codecName: String
    var frame: JPEGFrame?
    var dcTables = [HuffmanTable?](repeating: nil, count: 4)
    var acTables = [HuffmanTable?](repeating: nil, count: 4)
    var quantTables = [[Int32]?](repeating: nil, count: 4)
    var restartInterval = 0
    /// APP14 "Adobe" transform flag (nil when absent): 0 = no colour transform, 1 = YCbCr.
    var adobeTransform: Int?
    /// Whether an APP0 JFIF marker was seen (implies YCbCr for 3 components).
    var sawJFIF = false

    init(_ data: UnsafeRawBufferPointer, codecName: String) {
        self.data = data; self.codecName = codecName
    }

    func error(_ at: Int, _ what: String) -> InputError {
        InputError(location: "\(codecName): byte \(at)", what)
    }

    func u16(_ at: Int) throws -> Int {
        guard at + 1 < data.count else { throw error(at, "stream ends inside a marker segment (\(data.count) bytes)") }
        return Int(data[at]) << 8 | Int(data[at + 1])
    }

    /// Parses up to the first frame header without decoding anything (to choose a decoder).
    static func header(_ data: UnsafeRawBufferPointer, codecName: String) throws -> (frame: JPEGFrame, parser: JPEGStreamParser) {
        var parser = JPEGStreamParser(data, codecName: codecName)
        try parser.walk(stopAtFrame: true) { _, _ in 0 }  // never scans: SOS before SOF throws
        return (try parser.frame.orThrow(parser.error(0, "no SOFn frame header in the stream")), parser)
    }

    /// Parses marker segments from SOI to EOI, calling `scanHandler` for every SOS.
    mutating func walk(stopAtFrame: Bool = false,
                       scanHandler: (inout JPEGStreamParser, JPEGScan) throws -> Int) throws {
        guard data.count >= 4, data[0] == 0xFF, data[1] == 0xD8 else {
            throw error(0, "expected the SOI marker FFD8 (stream of \(data.count) bytes)")
        }
        var pos = 2
        var scans = 0
        while true {
            // Markers may be preceded by any number of 0xFF fill bytes.
            guard pos < data.count, data[pos] == 0xFF else {
                if pos >= data.count {
                    if scans > 0 { return }  // missing EOI is tolerated, as by libjpeg
                    throw error(pos, "stream ends before the first scan")
                }
                throw error(pos, String(format: "expected a marker (FFxx), found 0x%02X", data[pos]))
            }
            while pos < data.count, data[pos] == 0xFF { pos += 1 }
            guard pos < data.count else { throw error(pos, "stream ends inside a marker") }
            let marker = data[pos]; pos += 1
            let at = pos - 2
            switch marker {
            case 0xD9: // EOI
                guard scans > 0 else { throw error(at, "EOI marker before any scan") }
                return
            case 0xD0...0xD7, 0x01: continue
            default: break
            }
            let length = try u16(pos)
            guard length >= 2, pos + length <= data.count else {
                throw error(pos, String(format: "marker FF%02X segment length %d runs past the end (%d bytes)", marker, length, data.count))
            }
            let body = pos + 2, end = pos + length
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard frame == nil else { throw error(at, "second frame header (hierarchical JPEG is not supported)") }
                frame = try parseFrame(marker: marker, body: body, end: end)
                if stopAtFrame { return }
            case 0xC4: try parseHuffman(body: body, end: end)
            case 0xDB: try parseQuant(body: body, end: end)
            case 0xDD:
                guard length == 4 else { throw error(at, "DRI length \(length), expected 4") }
                restartInterval = try u16(body)
            case 0xDA:
                guard frame != nil else { throw error(at, "SOS marker before any SOFn frame header") }
                let scan = try parseScan(body: body, end: end)
                pos = try scanHandler(&self, scan)
                scans += 1
                continue
            case 0xE0:
                if length >= 7, data[body] == 0x4A, data[body + 1] == 0x46, data[body + 2] == 0x49, data[body + 3] == 0x46 { sawJFIF = true }
            case 0xEE:
                if length >= 14, data[body] == 0x41, data[body + 1] == 0x64, data[body + 2] == 0x6F, data[body + 3] == 0x62 {
                    adobeTransform = Int(data[body + 11])
                }
            default: break // APPn, COM, DNL-free streams: skip
            }
            pos = end
        }
    }

    private func parseFrame(marker: UInt8, body: Int, end: Int) throws -> JPEGFrame {
        let name = String(format: "SOF%d marker", Int(marker) - 0xC0)
        guard end - body >= 6 else { throw error(body - 4, "\(name) segment too short") }
        let precision = Int(data[body]), rows = try u16(body + 1), columns = try u16(body + 3)
        let count = Int(data[body + 5])
        guard count >= 1, count <= 4, end - body == 6 + 3 * count else {
            throw error(body - 4, "\(name): \(count) components in a segment of \(end - body + 2) bytes")
        }
        guard rows > 0, columns > 0 else {
            throw error(body - 4, "\(name): image is \(rows) × \(columns) (DNL-defined heights are not supported)")
        }
        var components: [JPEGComponent] = []
        for i in 0..<count {
            let o = body + 6 + 3 * i
            let h = Int(data[o + 1] >> 4), v = Int(data[o + 1] & 15), tq = Int(data[o + 2])
            guard (1...4).contains(h), (1...4).contains(v), tq < 4 else {
                throw error(o, "\(name): component \(i) has sampling \(h)×\(v), table \(tq); expected 1–4 and table 0–3")
            }
            components.append(JPEGComponent(id: Int(data[o]), h: h, v: v, quantTable: tq))
        }
        return JPEGFrame(marker: marker, precision: precision, rows: rows, columns: columns, components: components)
    }

    private mutating func parseHuffman(body: Int, end: Int) throws {
        var p = body
        while p < end {
            let tc = Int(data[p] >> 4), th = Int(data[p] & 15)
            guard tc <= 1, th <= 3, p + 17 <= end else { throw error(p, "DHT: table class \(tc) / id \(th) or counts out of range") }
            var counts = [Int](repeating: 0, count: 17)
            var total = 0
            for l in 1...16 { counts[l] = Int(data[p + l]); total += counts[l] }
            guard total <= 256, p + 17 + total <= end else { throw error(p, "DHT: \(total) symbols do not fit the segment") }
            let values = (0..<total).map { data[p + 17 + $0] }
            let table = try HuffmanTable(counts: counts, values: values).orThrow(error(p, "DHT: code lengths overflow (not a valid Huffman table)"))
            if tc == 0 { dcTables[th] = table } else { acTables[th] = table }
            p += 17 + total
        }
    }

    private mutating func parseQuant(body: Int, end: Int) throws {
        var p = body
        while p < end {
            let pq = Int(data[p] >> 4), tq = Int(data[p] & 15)
            let size = pq == 0 ? 64 : 128
            guard pq <= 1, tq <= 3, p + 1 + size <= end else { throw error(p, "DQT: precision \(pq) / table \(tq) invalid or truncated") }
            var table = [Int32](repeating: 0, count: 64)
            for k in 0..<64 {
                table[k] = pq == 0 ? Int32(data[p + 1 + k]) : Int32(data[p + 1 + 2 * k]) << 8 | Int32(data[p + 2 + 2 * k])
            }
            quantTables[tq] = table
            p += 1 + size
        }
    }

    private func parseScan(body: Int, end: Int) throws -> JPEGScan {
        guard let frame, end - body >= 1 else { throw error(body - 4, "SOS segment too short") }
        let count = Int(data[body])
        guard count >= 1, count <= 4, end - body == 4 + 2 * count else {
            throw error(body - 4, "SOS: \(count) components in a segment of \(end - body + 2) bytes")
        }
        var members: [JPEGScan.Member] = []
        for i in 0..<count {
            let o = body + 1 + 2 * i
            guard let index = frame.components.firstIndex(where: { $0.id == Int(data[o]) }) else {
                throw error(o, "SOS names component id \(data[o]) that the frame header does not declare")
            }
            members.append(.init(componentIndex: index, dcTable: Int(data[o + 1] >> 4), acTable: Int(data[o + 1] & 15)))
        }
        let o = body + 1 + 2 * count
        return JPEGScan(members: members, ss: Int(data[o]), se: Int(data[o + 1]),
                        ah: Int(data[o + 2] >> 4), al: Int(data[o + 2] & 15), dataStart: end)
    }
}

extension Optional {
    func orThrow(_ e: @autoclosure () -> Error) throws -> Wrapped {
        guard let self else { throw e() }
        return self
    }
}
