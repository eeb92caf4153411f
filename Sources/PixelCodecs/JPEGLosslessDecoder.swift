// JPEG lossless, process 14 (T.81 Annex H): Huffman-coded differences from one of seven
// predictors, 2–16-bit precision, point transform, restart intervals, interleaved or one
// component per scan. Debian's 8-bit libjpeg-turbo cannot decode it, so it is ours.
import OpenBCTCore

enum JPEGLosslessDecoder {
    /// Decodes a SOF3 stream into one Int32 per sample, interleaved in frame-component order.
    static func decode(_ data: UnsafeRawBufferPointer, codecName: String) throws -> (frame: JPEGFrame, samples: [Int32]) {
        var parser = JPEGStreamParser(data, codecName: codecName)
        var samples: [Int32] = []
        var decoded: Set<Int> = []
        try parser.walk { parser, scan in
            let frame = parser.frame!
            guard frame.isLossless else { throw parser.error(scan.dataStart, "expected a lossless SOF3 frame, found SOF\(Int(frame.marker) - 0xC0)") }
            if samples.isEmpty {
                guard frame.components.allSatisfy({ $0.h == 1 && $0.v == 1 }) else {
                    throw parser.error(scan.dataStart, "lossless frame with subsampled components is not supported")
                }
                guard (2...16).contains(frame.precision) else {
                    throw parser.error(scan.dataStart, "SOF3 precision \(frame.precision), expected 2–16")
                }
                samples = [Int32](repeating: 0, count: frame.rows * frame.columns * frame.components.count)
            }
            guard (1...7).contains(scan.ss), scan.al < frame.precision else {
                throw parser.error(scan.dataStart, "SOS predictor \(scan.ss) / point transform \(scan.al), expected 1–7 and < precision")
            }
            var tables: [HuffmanTable] = []
            for m in scan.members {
                guard m.dcTable < 4, let t = parser.dcTables[m.dcTable] else {
                    throw parser.error(scan.dataStart, "SOS uses Huffman table \(m.dcTable), which no DHT defined")
                }
                tables.append(t)
                decoded.insert(m.componentIndex)
            }
            return try samples.withUnsafeMutableBufferPointer { out in
                try decodeScan(parser: parser, frame: frame, scan: scan, tables: tables, into: out.baseAddress!)
            }
        }
        let frame = try parser.frame.orThrow(parser.error(0, "no frame header"))
        guard decoded.count == frame.components.count else {
            throw parser.error(data.count, "only \(decoded.count) of \(frame.components.count) components were coded in a scan")
        }
        return (frame, samples)
    }

    private static func decodeScan(parser: JPEGStreamParser, frame: JPEGFrame, scan: JPEGScan, tables: [HuffmanTable],
                                   into out: UnsafeMutablePointer<Int32>) throws -> Int {
        // One specialised copy of the loop per predictor keeps the predictor switch out of it.
        switch scan.ss {
        case 1: return try decodeScan(Predictor1.self, parser, frame, scan, tables, out)
        case 2: return try decodeScan(Predictor2.self, parser, frame, scan, tables, out)
        case 3: return try decodeScan(Predictor3.self, parser, frame, scan, tables, out)
        case 4: return try decodeScan(Predictor4.self, parser, frame, scan, tables, out)
        case 5: return try decodeScan(Predictor5.self, parser, frame, scan, tables, out)
        case 6: return try decodeScan(Predictor6.self, parser, frame, scan, tables, out)
        default: return try decodeScan(Predictor7.self, parser, frame, scan, tables, out)
        }
    }

    private static func decodeScan<P: LosslessPredictor>(_: P.Type, _ parser: JPEGStreamParser, _ frame: JPEGFrame, _ scan: JPEGScan,
                                                         _ tables: [HuffmanTable], _ out: UnsafeMutablePointer<Int32>) throws -> Int {
        var reader = JPEGBitReader(parser.data, from: scan.dataStart)
        let rows = frame.rows, columns = frame.columns, stride = frame.components.count
        let precision = frame.precision - scan.al
        let initial = Int32(1 << (precision - 1))
        let mask = Int32((1 << 16) - 1)  // differences are modulo 2^16 (H.1.2.1)
        let restartInterval = parser.restartInterval
        let offsets = scan.members.map { $0.componentIndex }
        let lookups = tables.map(\.lookup)
        let memberCount = offsets.count
        var mcusLeft = restartInterval
        // Where the current restart interval began: its first sample uses `initial`, the rest of
        // its first row the left neighbour.
        var intervalRow = 0, intervalColumn = 0

        try withExtendedLifetime(tables) {
            try offsets.withUnsafeBufferPointer { offsets in
                try lookups.withUnsafeBufferPointer { lookups in
                    for y in 0..<rows {
                        let row = out + y * columns * stride
                        let rowStride = columns * stride
                        for x in 0..<columns {
                            if restartInterval > 0 {
                                if mcusLeft == 0 {
                                    guard reader.restart() else {
                                        throw parser.error(reader.position, "expected an RSTn marker after \(restartInterval) samples (row \(y), column \(x))")
                                    }
                                    mcusLeft = restartInterval
                                    intervalRow = y; intervalColumn = x
                                }
                                mcusLeft -= 1
                            }
                            for k in 0..<memberCount {
                                let category = reader.decode(lookups[k])
                                guard category >= 0, category <= 16 else {
                                    throw parser.error(reader.position, "invalid Huffman code in the difference of row \(y), column \(x)")
                                }
                                let diff: Int32 = category == 16 ? 32768 : Int32(JPEGBitReader.extend(reader.bits(category), category))
                                let p = row + x * stride + offsets[k]
                                let prediction: Int32
                                if y == intervalRow {
                                    prediction = x == intervalColumn ? initial : p[-stride]
                                } else if x == 0 {
                                    prediction = p[-rowStride]
                                } else {
                                    prediction = P.predict(a: p[-stride], b: p[-rowStride], c: p[-rowStride - stride])
                                }
                                p.pointee = (prediction &+ diff) & mask
                            }
                        }
                        if reader.overran {
                            throw parser.error(reader.position, "entropy-coded data ends before row \(y) of \(rows) is complete")
                        }
                    }
                }
            }
        }
        if scan.al > 0 {
            // Point transform: the coded samples are the originals shifted right by Al (H.1.1).
            for i in 0..<rows * columns { for c in offsets { out[i * stride + c] <<= Int32(scan.al) } }
        }
        return reader.endOfData()
    }
}

/// The seven predictors of T.81 Table H.1 (a = left, b = above, c = above-left).
protocol LosslessPredictor { static func predict(a: Int32, b: Int32, c: Int32) -> Int32 }
enum Predictor1: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { a } }
enum Predictor2: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { b } }
enum Predictor3: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { c } }
enum Predictor4: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { a &+ b &- c } }
enum Predictor5: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { a &+ ((b &- c) >> 1) } }
enum Predictor6: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { b &+ ((a &- c) >> 1) } }
enum Predictor7: LosslessPredictor { @inline(__always) static func predict(a: Int32, b: Int32, c: Int32) -> Int32 { (a &+ b) >> 1 } }
