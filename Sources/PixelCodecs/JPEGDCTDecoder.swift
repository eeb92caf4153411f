// DCT JPEG with Huffman coding at 8- or 12-bit precision (T.81 Annex F and G): sequential
// (baseline process 1, extended processes 2 & 4) and progressive (processes 10 & 12 — the
// retired 1.2.840.10008.1.2.4.53 / .55 syntaxes). Debian's libjpeg-turbo is an 8-bit build, so
// 12-bit streams are ours. All scans are decoded into a coefficient buffer, then dequantised and
// inverse-transformed with an exact separable IDCT.
import Foundation
import OpenBCTCore

enum JPEGDCTDecoder {
    /// T.81 Figure A.6: the zig-zag index → natural (row-major) index of an 8×8 block.
    static let zigzag: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
        // Sentinels so a corrupt run length past 63 lands harmlessly (as in libjpeg).
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ]

    /// Per-component coefficient storage, padded to whole MCUs.
    struct ComponentCoefficients {
        var blocksPerLine: Int
        var blocksPerColumn: Int
        /// Blocks actually covering the component (what a non-interleaved scan codes).
        var codedBlocksPerLine: Int
        var codedBlocksPerColumn: Int
        var coefficients: [Int32]
    }

    /// Decodes a SOF0/1/2 stream into one Int32 per sample, interleaved in frame-component order.
    static func decode(_ data: UnsafeRawBufferPointer, codecName: String) throws -> [Int32] {
        var parser = JPEGStreamParser(data, codecName: codecName)
        var components: [ComponentCoefficients] = []
        var frameSeen: JPEGFrame?
        try parser.walk { parser, scan in
            let frame = parser.frame!
            guard [0xC0, 0xC1, 0xC2].contains(frame.marker), frame.precision == 8 || frame.precision == 12 else {
                throw parser.error(scan.dataStart, "expected a Huffman DCT frame of 8 or 12 bits")
            }
            if components.isEmpty {
                components = layout(frame)
                frameSeen = frame
            }
            var scanDecoder = try ScanDecoder(parser: parser, frame: frame, scan: scan)
            try scanDecoder.decode(into: &components)
            return scanDecoder.reader.endOfData()
        }
        guard let frame = frameSeen else { throw parser.error(0, "no scan in the stream") }
        return try reconstruct(frame: frame, components: components, quantTables: parser.quantTables, parser: parser)
    }

    private static func layout(_ frame: JPEGFrame) -> [ComponentCoefficients] {
        let hMax = frame.components.map(\.h).max()!, vMax = frame.components.map(\.v).max()!
        let mcusX = (frame.columns + 8 * hMax - 1) / (8 * hMax), mcusY = (frame.rows + 8 * vMax - 1) / (8 * vMax)
        return frame.components.map { c in
            let width = (frame.columns * c.h + hMax - 1) / hMax, height = (frame.rows * c.v + vMax - 1) / vMax
            let perLine = mcusX * c.h, perColumn = mcusY * c.v
            return ComponentCoefficients(blocksPerLine: perLine, blocksPerColumn: perColumn,
                                         codedBlocksPerLine: (width + 7) / 8, codedBlocksPerColumn: (height + 7) / 8,
                                         coefficients: [Int32](repeating: 0, count: perLine * perColumn * 64))
        }
    }

    /// Decodes the entropy-coded data of one scan into the coefficient buffers.
    struct ScanDecoder {
        let parser: JPEGStreamParser
        let frame: JPEGFrame
        let scan: JPEGScan
        var reader: JPEGBitReader
        var dcTables: [HuffmanTable?]
        var acTables: [HuffmanTable?]
        var predictions: [Int32]
        var endOfBandRun = 0

        init(parser: JPEGStreamParser, frame: JPEGFrame, scan: JPEGScan) throws {
            self.parser = parser; self.frame = frame; self.scan = scan
            reader = JPEGBitReader(parser.data, from: scan.dataStart)
            predictions = [Int32](repeating: 0, count: scan.members.count)
            dcTables = scan.members.map { $0.dcTable < 4 ? parser.dcTables[$0.dcTable] : nil }
            acTables = scan.members.map { $0.acTable < 4 ? parser.acTables[$0.acTable] : nil }
            let progressive = frame.isProgressive
            // Sequential scans ignore Ss/Se/Ah/Al, as libjpeg does (some encoders write 0/0).
            guard !progressive || (scan.ss <= scan.se && scan.se <= 63 && (scan.ss == 0 || scan.members.count == 1) && scan.al <= 13) else {
                throw parser.error(scan.dataStart, "SOS spectral selection \(scan.ss)…\(scan.se), approximation \(scan.ah)/\(scan.al) invalid for this frame")
            }
            for (k, _) in scan.members.enumerated() {
                let needsDC = !progressive || scan.ss == 0 && scan.ah == 0, needsAC = !progressive || scan.se > 0
                if needsDC && dcTables[k] == nil || needsAC && acTables[k] == nil {
                    throw parser.error(scan.dataStart, "SOS uses a Huffman table that no DHT defined")
                }
            }
        }

        mutating func decode(into components: inout [ComponentCoefficients]) throws {
            let hMax = frame.components.map(\.h).max()!, vMax = frame.components.map(\.v).max()!
            let restartInterval = parser.restartInterval
            var mcusLeft = restartInterval
            // One component: blocks in raster order over the component; several: MCUs.
            let single = scan.members.count == 1
            let mcusX = single ? components[scan.members[0].componentIndex].codedBlocksPerLine
                               : (frame.columns + 8 * hMax - 1) / (8 * hMax)
            let mcusY = single ? components[scan.members[0].componentIndex].codedBlocksPerColumn
                               : (frame.rows + 8 * vMax - 1) / (8 * vMax)
            for my in 0..<mcusY {
                for mx in 0..<mcusX {
                    if restartInterval > 0 {
                        if mcusLeft == 0 {
                            guard reader.restart() else {
                                throw parser.error(reader.position, "expected an RSTn marker after \(restartInterval) MCUs")
                            }
                            mcusLeft = restartInterval
                            for k in predictions.indices { predictions[k] = 0 }
                            endOfBandRun = 0
                        }
                        mcusLeft -= 1
                    }
                    for (k, m) in scan.members.enumerated() {
                        let comp = frame.components[m.componentIndex]
                        let (bw, bh) = single ? (1, 1) : (comp.h, comp.v)
                        for by in 0..<bh {
                            for bx in 0..<bw {
                                let blockX = single ? mx : mx * comp.h + bx
                                let blockY = single ? my : my * comp.v + by
                                let offset = (blockY * components[m.componentIndex].blocksPerLine + blockX) * 64
                                try components[m.componentIndex].coefficients.withUnsafeMutableBufferPointer { c in
                                    try decodeBlock(c.baseAddress! + offset, member: k)
                                }
                            }
                        }
                    }
                }
                if reader.overran {
                    throw parser.error(reader.position, "entropy-coded data ends before MCU row \(my) of \(mcusY) is complete")
                }
            }
        }

        @inline(__always) mutating func huffman(_ table: HuffmanTable?) throws -> Int {
            let symbol = reader.decode(table!.lookup)
            guard symbol >= 0 else { throw parser.error(reader.position, "invalid Huffman code") }
            return symbol
        }

        mutating func decodeBlock(_ block: UnsafeMutablePointer<Int32>, member k: Int) throws {
            let zz = JPEGDCTDecoder.zigzag
            if !frame.isProgressive {
                let t = try huffman(dcTables[k])
                guard t <= 15 else { throw parser.error(reader.position, "DC magnitude category \(t) > 15") }
                predictions[k] &+= Int32(JPEGBitReader.extend(reader.bits(t), t))
                block[0] = predictions[k]
                var i = 1
                while i < 64 {
                    let rs = try huffman(acTables[k]), r = rs >> 4, s = rs & 15
                    if s == 0 {
                        if r != 15 { break }
                        i += 16
                        continue
                    }
                    i += r
                    guard i < 64 else { throw parser.error(reader.position, "AC run past coefficient 63") }
                    block[zz[i]] = Int32(JPEGBitReader.extend(reader.bits(s), s))
                    i += 1
                }
                return
            }
            if scan.ss == 0 {
                // Progressive DC: first pass codes the shifted value, refinements one bit.
                if scan.ah == 0 {
                    let t = try huffman(dcTables[k])
                    guard t <= 15 else { throw parser.error(reader.position, "DC magnitude category \(t) > 15") }
                    predictions[k] &+= Int32(JPEGBitReader.extend(reader.bits(t), t))
                    block[0] = predictions[k] << Int32(scan.al)
                } else if reader.bits(1) != 0 {
                    block[0] |= Int32(1) << Int32(scan.al)
                }
                return
            }
            if scan.ah == 0 { try decodeACFirst(block, member: k) } else { try decodeACRefine(block, member: k) }
        }

        private mutating func decodeACFirst(_ block: UnsafeMutablePointer<Int32>, member k: Int) throws {
            if endOfBandRun > 0 { endOfBandRun -= 1; return }
            let zz = JPEGDCTDecoder.zigzag
            var i = scan.ss
            while i <= scan.se {
                let rs = try huffman(acTables[k]), r = rs >> 4, s = rs & 15
                if s == 0 {
                    if r < 15 {
                        endOfBandRun = (1 << r) - 1 + (r > 0 ? reader.bits(r) : 0)
                        break
                    }
                    i += 16
                    continue
                }
                i += r
                guard i <= 63 else { throw parser.error(reader.position, "AC run past coefficient 63") }
                block[zz[i]] = Int32(JPEGBitReader.extend(reader.bits(s), s)) << Int32(scan.al)
                i += 1
            }
        }

        /// Successive-approximation refinement of AC coefficients (T.81 G.1.2.3), following libjpeg.
        private mutating func decodeACRefine(_ block: UnsafeMutablePointer<Int32>, member k: Int) throws {
            let zz = JPEGDCTDecoder.zigzag
            let plus = Int32(1) << Int32(scan.al), minus = Int32(-1) << Int32(scan.al)
            var i = scan.ss
            @inline(__always) func refine(_ reader: inout JPEGBitReader, _ p: UnsafeMutablePointer<Int32>) {
                if reader.bits(1) != 0, p.pointee & plus == 0 { p.pointee += p.pointee >= 0 ? plus : minus }
            }
            if endOfBandRun == 0 {
                while i <= scan.se {
                    let rs = try huffman(acTables[k])
                    var r = rs >> 4
                    var value: Int32 = 0
                    if rs & 15 != 0 {
                        value = reader.bits(1) != 0 ? plus : minus
                    } else if r != 15 {
                        endOfBandRun = (1 << r) + (r > 0 ? reader.bits(r) : 0)
                        break
                    }
                    // Skip r zero coefficients (refining non-zero ones on the way).
                    while i <= scan.se {
                        let p = block + zz[i]
                        if p.pointee != 0 {
                            refine(&reader, p)
                        } else {
                            if r == 0 { break }
                            r -= 1
                        }
                        i += 1
                    }
                    if value != 0 {
                        guard i <= 63 else { throw parser.error(reader.position, "AC refinement past coefficient 63") }
                        block[zz[i]] = value
                    }
                    i += 1
                }
            }
            if endOfBandRun > 0 {
                while i <= scan.se {
                    let p = block + zz[i]
                    if p.pointee != 0 { refine(&reader, p) }
                    i += 1
                }
                endOfBandRun -= 1
            }
        }
    }

    /// Dequantises, inverse-transforms and level-shifts every block, then upsamples each
    /// component to the full frame by replication.
    private static func reconstruct(frame: JPEGFrame, components: [ComponentCoefficients], quantTables: [[Int32]?],
                                    parser: JPEGStreamParser) throws -> [Int32] {
        let count = frame.components.count
        let hMax = frame.components.map(\.h).max()!, vMax = frame.components.map(\.v).max()!
        let maximum = Float((1 << frame.precision) - 1), shift = Float(1 << (frame.precision - 1))
        var samples = [Int32](repeating: 0, count: frame.rows * frame.columns * count)
        let basis = idctBasis
        for (ci, comp) in frame.components.enumerated() {
            guard let zigzagTable = quantTables[comp.quantTable] else {
                throw parser.error(0, "component \(ci) uses quantisation table \(comp.quantTable), which no DQT defined")
            }
            var natural = [Float](repeating: 0, count: 64)
            for k in 0..<64 { natural[zigzag[k]] = Float(zigzagTable[k]) }
            let quant = natural
            let coeffs = components[ci]
            let planeWidth = coeffs.blocksPerLine * 8, planeHeight = coeffs.blocksPerColumn * 8
            var plane = [Int32](repeating: 0, count: planeWidth * planeHeight)
            let blocks = coeffs.blocksPerLine * coeffs.blocksPerColumn
            coeffs.coefficients.withUnsafeBufferPointer { c in
                plane.withUnsafeMutableBufferPointer { out in
                    let src = SendableConstPointer(c.baseAddress!), dst = SendablePointer(out.baseAddress!)
                    parallelChunks(blocks, minimumChunk: 256) { range in
                        var f = [Float](repeating: 0, count: 64), t = [Float](repeating: 0, count: 64)
                        for b in range {
                            let block = src.base + b * 64
                            for k in 0..<64 { f[k] = Float(block[k]) * quant[k] }
                            // Rows then columns: t = f · Bᵀ, out = B · t, with B[x][u] = C(u)/2 cos((2x+1)uπ/16).
                            for y in 0..<8 {
                                for x in 0..<8 {
                                    var s: Float = 0
                                    for u in 0..<8 { s += f[y * 8 + u] * basis[x * 8 + u] }
                                    t[y * 8 + x] = s
                                }
                            }
                            let bx = (b % coeffs.blocksPerLine) * 8, by = (b / coeffs.blocksPerLine) * 8
                            for x in 0..<8 {
                                for y in 0..<8 {
                                    var s: Float = 0
                                    for v in 0..<8 { s += t[v * 8 + x] * basis[y * 8 + v] }
                                    let value = min(maximum, max(0, (s + shift).rounded()))
                                    dst[(by + y) * planeWidth + bx + x] = Int32(value)
                                }
                            }
                        }
                    }
                }
            }
            let hs = hMax / comp.h, vs = vMax / comp.v
            samples.withUnsafeMutableBufferPointer { out in
                for y in 0..<frame.rows {
                    let row = (y / vs) * planeWidth
                    for x in 0..<frame.columns { out[(y * frame.columns + x) * count + ci] = plane[row + x / hs] }
                }
            }
        }
        return samples
    }

    /// B[x][u] = C(u)/2 · cos((2x+1)uπ/16), C(0) = 1/√2.
    static let idctBasis: [Float] = (0..<64).map { i in
        let x = Double(i / 8), u = Double(i % 8)
        let scale: Double = u == 0 ? 0.5 / 2.0.squareRoot() : 0.5
        let angle: Double = (2 * x + 1) * u * Double.pi / 16
        return Float(scale * cos(angle))
    }
}
