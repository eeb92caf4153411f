// RLE Lossless (DICOM PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
// segment per byte plane (most significant byte first) of each sample.
import OpenBCTCore

enum RLEDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor d: FrameDescriptor) throws -> [UInt8] {
        let codec = "RLE lossless"
        guard data.count >= 64 else {
            throw InputError(location: "\(codec): header at byte 0", "frame has \(data.count) bytes, expected a 64-byte segment table")
        }
        let segmentCount = Int(readLE32(data, 0))
        let bytesPerSample = d.bytesPerSample
        let expectedSegments = bytesPerSample * d.samplesPerPixel
        guard segmentCount == expectedSegments else {
            throw InputError(location: "\(codec): header at byte 0",
                             "\(segmentCount) segments, expected \(expectedSegments) (\(d.samplesPerPixel) samples × \(bytesPerSample) bytes)")
        }
        guard segmentCount <= 15 else {
            throw InputError(location: "\(codec): header at byte 0", "\(segmentCount) segments, at most 15 allowed")
        }
        var offsets = (0..<segmentCount).map { Int(readLE32(data, 4 + 4 * $0)) }
        offsets.append(data.count)
        for s in 0..<segmentCount {
            guard offsets[s] >= 64, offsets[s] <= data.count, s == 0 || offsets[s] >= offsets[s - 1] else {
                throw InputError(location: "\(codec): segment \(s) offset at byte \(4 + 4 * s)",
                                 "offset \(offsets[s]) is outside 64…\(data.count) or out of order")
            }
        }
        let pixels = d.rows * d.columns
        var output = [UInt8](repeating: 0, count: d.frameByteCount)
        var plane = [UInt8](repeating: 0, count: pixels)
        for s in 0..<segmentCount {
            let end = min(offsets[s + 1], data.count)
            try unpack(data, from: offsets[s], to: end, into: &plane, segment: s)
            // Segment s holds byte (bytesPerSample-1-b) of sample `sample`: MSB first.
            let sample = s / bytesPerSample, byteInSample = bytesPerSample - 1 - s % bytesPerSample
            let (start, stride): (Int, Int) = d.planarConfiguration == 0
                ? (sample * bytesPerSample + byteInSample, d.samplesPerPixel * bytesPerSample)
                : (sample * pixels * bytesPerSample + byteInSample, bytesPerSample)
            output.withUnsafeMutableBufferPointer { out in
                plane.withUnsafeBufferPointer { p in
                    var o = start
                    for i in 0..<pixels { out[o] = p[i]; o += stride }
                }
            }
        }
        return output
    }

    /// PackBits: n ≥ 0 copies n+1 literal bytes; -127…-1 repeats the next byte 1-n times; -128 is a no-op.
    /// Encoders may pad a segment to even length, so bytes after the plane is full are ignored.
    private static func unpack(_ data: UnsafeRawBufferPointer, from start: Int, to end: Int,
                               into plane: inout [UInt8], segment: Int) throws {
        let count = plane.count
        let filled: Int = plane.withUnsafeMutableBufferPointer { out in
            var i = start, o = 0
            while o < count, i < end {
                let n = Int(Int8(bitPattern: data[i])); i += 1
                if n >= 0 {
                    let run = min(n + 1, end - i, count - o)
                    for k in 0..<run { out[o + k] = data[i + k] }
                    o += run; i += n + 1
                } else if n != -128 {
                    guard i < end else { break }
                    let run = min(1 - n, count - o)
                    let v = data[i]; i += 1
                    for k in 0..<run { out[o + k] = v }
                    o += run
                }
            }
            return o
        }
        guard filled == count else {
            throw InputError(location: "RLE lossless: segment \(segment) at byte \(start)",
                             "segment ends after \(filled) of \(count) pixels")
        }
    }
}

@inline(__always) func readLE32(_ data: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
    UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
}
