// Huffman decoding of JPEG entropy-coded segments (T.81 Annex C/F.2.2): canonical tables with a
// 9-bit fast lookup, and a bit reader that removes byte stuffing and stops at markers.
import OpenBCTCore

/// Raw views of a Huffman table for the hot loop: plain pointers, so decoding a symbol involves no
/// reference counting.
struct HuffmanLookup {
    /// For each 9-bit prefix: code length << 8 | symbol, or 0 when the code is longer than 9 bits.
    let fast: UnsafePointer<UInt16>
    /// Largest code of each length (-1 when none), index 1…16, plus a sentinel at 17.
    let maxCode: UnsafePointer<Int32>
    /// Offset to add to a code of each length to index `values`.
    let valueOffset: UnsafePointer<Int32>
    let values: UnsafePointer<UInt8>
    let valueCount: Int
}

/// A canonical JPEG Huffman table built from a DHT segment; owns the memory `lookup` points into.
final class HuffmanTable: @unchecked Sendable {
    static let fastBits = 9
    let lookup: HuffmanLookup
    private let storage: UnsafeMutableRawPointer

    /// Builds the table, or nil when the code-length counts overflow their length (corrupt DHT).
    init?(counts: [Int], values: [UInt8]) {
        let fastCount = 1 << Self.fastBits
        // One allocation: fast[512] UInt16, maxCode[18] Int32, valueOffset[18] Int32, values[n] UInt8.
        let bytes = fastCount * 2 + 18 * 4 * 2 + max(values.count, 1)
        storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let fast = storage.bindMemory(to: UInt16.self, capacity: fastCount)
        let maxCode = (storage + fastCount * 2).bindMemory(to: Int32.self, capacity: 36)
        let valueOffset = maxCode + 18
        let valueBytes = (storage + fastCount * 2 + 18 * 4 * 2).bindMemory(to: UInt8.self, capacity: max(values.count, 1))
        for (i, v) in values.enumerated() { valueBytes[i] = v }
        lookup = HuffmanLookup(fast: fast, maxCode: maxCode, valueOffset: valueOffset, values: valueBytes, valueCount: values.count)
        for l in 0..<18 { maxCode[l] = -1 }
        var code: Int32 = 0, k = 0
        for length in 1...16 {
            let n = counts[length]
            if n > 0 {
                valueOffset[length] = Int32(k) - code
                for _ in 0..<n {
                    if length <= Self.fastBits {
                        let shift = Self.fastBits - length
                        let first = Int(code) << shift
                        for j in 0..<(1 << shift) { fast[first + j] = UInt16(length << 8) | UInt16(values[k]) }
                    }
                    code += 1; k += 1
                }
                guard code <= 1 << length else { return nil }
                maxCode[length] = code - 1
            }
            code <<= 1
        }
        maxCode[17] = Int32.max
    }

    deinit { storage.deallocate() }
}

/// Reads bits MSB-first from entropy-coded data. A 0xFF00 pair yields 0xFF; any other marker
/// stops the input, after which zero bits are supplied and counted so that a decoder which
/// consumes them can report the stream as truncated.
struct JPEGBitReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Next unread byte.
    var position: Int
    var accumulator: UInt64 = 0
    var bitCount = 0
    /// Zero bits supplied past a marker or the end of the data.
    var paddingBits = 0
    var atMarker = false

    init(_ data: UnsafeRawBufferPointer, from start: Int) {
        base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
        count = data.count
        position = start
    }

    /// Tops the accumulator up to at least 57 bits.
    @inline(__always) mutating func fill() {
        while bitCount <= 56 {
            var byte: UInt64 = 0
            if !atMarker, position < count {
                let b = base[position]
                if b != 0xFF {
                    byte = UInt64(b); position += 1
                } else if position + 1 < count, base[position + 1] == 0 {
                    byte = 0xFF; position += 2
                } else {
                    atMarker = true; paddingBits += 8
                }
            } else {
                paddingBits += 8
            }
            accumulator |= byte << UInt64(56 - bitCount)
            bitCount += 8
        }
    }

    /// Whether more bits were consumed than the data held (the stream is truncated or corrupt).
    var overran: Bool { paddingBits > bitCount }

    @inline(__always) mutating func consume(_ n: Int) {
        accumulator <<= UInt64(n); bitCount -= n
    }

    /// Next `n` (0…16) bits as an unsigned value.
    @inline(__always) mutating func bits(_ n: Int) -> Int {
        if bitCount < n { fill() }
        guard n > 0 else { return 0 }
        let v = Int(accumulator >> UInt64(64 - n))
        consume(n)
        return v
    }

    /// Next Huffman symbol of `table`, or -1 for a code that is not in the table.
    @inline(__always) mutating func decode(_ table: HuffmanLookup) -> Int {
        if bitCount < 16 { fill() }
        let entry = Int(table.fast[Int(accumulator >> UInt64(64 - HuffmanTable.fastBits))])
        if entry != 0 {
            consume(entry >> 8)
            return entry & 0xFF
        }
        var length = HuffmanTable.fastBits + 1
        var code = Int32(truncatingIfNeeded: accumulator >> UInt64(64 - length))
        while code > table.maxCode[length] {
            length += 1
            if length > 16 { return -1 }
            code = Int32(truncatingIfNeeded: accumulator >> UInt64(64 - length))
        }
        consume(length)
        let index = Int(code + table.valueOffset[length])
        return index < table.valueCount ? Int(table.values[index]) : -1
    }

    /// Sign-extends an `n`-bit magnitude category value (T.81 F.2.2.1 EXTEND).
    @inline(__always) static func extend(_ v: Int, _ n: Int) -> Int {
        n == 0 ? 0 : (v < 1 << (n - 1) ? v - (1 << n) + 1 : v)
    }

    /// Skips to just past the next RSTn marker, discarding buffered bits; returns false when the
    /// marker found is not a restart marker.
    mutating func restart() -> Bool {
        accumulator = 0; bitCount = 0; paddingBits = 0; atMarker = false
        // Skip to the marker (the remaining bits of the interval are padding).
        while position < count, base[position] != 0xFF { position += 1 }
        while position < count, base[position] == 0xFF { position += 1 }
        guard position < count, (0xD0...0xD7).contains(base[position]) else { return false }
        position += 1
        return true
    }

    /// Offset of the marker that ended the entropy-coded data (for the marker walk to resume).
    mutating func endOfData() -> Int {
        var p = position
        while p < count {
            if base[p] == 0xFF, p + 1 < count, base[p + 1] != 0, !(0xD0...0xD7).contains(base[p + 1]) { return p }
            p += 1
        }
        return count
    }
}
