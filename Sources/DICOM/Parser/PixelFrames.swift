// Access to a file's frames: encoded bytes, stored values (Int32) and rescaled values (Float).
import OpenBCTCore
import PixelCodecs

extension DicomFile {
    /// Frames in the pixel data: NumberOfFrames (at least 1) when Pixel Data is present, else 0.
    public var numberOfFrames: Int {
        guard dataSet.contains(.pixelData) else { return 0 }
        return max(1, dataSet.int(.numberOfFrames) ?? 1)
    }

    /// The pixel layout of this file (validated Image Pixel module).
    public func pixelDescription() throws -> PixelDescription { try PixelDescription(dataSet, path: path) }

    private var pixelLocation: String { Tag.pixelData.label }

    private func checkFrameIndex(_ i: Int) throws {
        guard dataSet.contains(.pixelData) else {
            throw InputError(path: path, location: pixelLocation, "missing: the file has no pixel data")
        }
        if let text = dataSet.string(.numberOfFrames), Int(text) == nil {
            throw InputError(path: path, location: Tag.numberOfFrames.label, "'\(text)' is not an integer")
        }
        guard i >= 0 && i < numberOfFrames else {
            throw InputError(path: path, location: pixelLocation, "frame \(i) requested; the file has \(numberOfFrames) frame(s)")
        }
    }

    /// Byte range of native frame `i` inside the pixel data value, and the bit offset of its first
    /// sample within the first byte (non-zero only for BitsAllocated 1).
    private func nativeFrameRange(_ i: Int, _ d: PixelDescription, valueCount: Int) throws -> (Range<Int>, bitOffset: Int) {
        let bits = d.nativeFrameBits
        let (firstBit, overflow) = i.multipliedReportingOverflow(by: bits)
        let endBit = overflow ? Int.max - 7 : firstBit + bits
        let range = (overflow ? endBit : firstBit) / 8 ..< (endBit + 7) / 8
        guard !overflow, range.upperBound <= valueCount else {
            throw InputError(path: path, location: pixelLocation,
                             "pixel data has \(valueCount) bytes; frame \(i) of \(d.rows)×\(d.columns)×\(d.samplesPerPixel) at \(d.bitsAllocated) bits needs bytes \(range.lowerBound)..<\(range.upperBound) (truncated pixel data)")
        }
        return (range, firstBit % 8)
    }

    /// Frame `i` as encoded: for native syntaxes its bytes (in the file's byte order; for
    /// BitsAllocated 1 the whole bytes covering the frame), for encapsulated syntaxes the frame's
    /// fragments concatenated (split by the rule in `EncapsulatedFrames.swift`).
    public func encodedFrame(_ i: Int) throws -> [UInt8] {
        try checkFrameIndex(i)
        switch dataSet[.pixelData]!.value {
        case .bytes(let bytes):
            let (range, _) = try nativeFrameRange(i, try pixelDescription(), valueCount: bytes.count)
            return Array(bytes[range])
        case .encapsulated(let pixels):
            guard pixels.isComplete else {
                throw InputError(path: path, location: pixelLocation,
                                 "encapsulated pixel data ends without its sequence delimiter (FFFE,E0DD): the file is truncated")
            }
            let frames = try pixels.frameFragments(frameCount: numberOfFrames,
                                                   extendedOffsets: extendedOffsets(), path: path)
            var out: [UInt8] = []
            for f in frames[i] { out.append(contentsOf: pixels.fragments[f]) }
            if let lengths = extendedOffsetLengths(), lengths.count == frames.count, lengths[i] < out.count {
                out.removeSubrange(Int(lengths[i])...)   // the table's length excludes fragment padding
            }
            return out
        case .sequence:
            throw InputError(path: path, location: pixelLocation, "encoded as a sequence, expected pixel bytes")
        }
    }

    private func extendedOffsets() -> [UInt64]? {
        guard let e = dataSet[.extendedOffsetTable], case .bytes(let b) = e.value, !b.isEmpty else { return nil }
        return BinaryValues(bytes: b, vr: .OV, bigEndian: false).ints.map { UInt64($0) }
    }

    private func extendedOffsetLengths() -> [UInt64]? {
        guard let e = dataSet[.extendedOffsetTableLengths], case .bytes(let b) = e.value, !b.isEmpty else { return nil }
        return BinaryValues(bytes: b, vr: .OV, bigEndian: false).ints.map { UInt64($0) }
    }

    /// Calls `body` with frame `i` in native little-endian layout — `bitsAllocated/8` bytes per
    /// sample, samples as the file stores them (interleaved for codecs; planar/422 untouched for
    /// native data) — plus the bit offset of the first sample for 1-bit data.
    func withNativeFrame<T>(_ i: Int, _ d: PixelDescription,
                            _ body: (UnsafeRawBufferPointer, _ bitOffset: Int) throws -> T) throws -> T {
        try checkFrameIndex(i)
        switch dataSet[.pixelData]!.value {
        case .bytes(let bytes):
            let (range, bitOffset) = try nativeFrameRange(i, d, valueCount: bytes.count)
            if !transferSyntax.isBigEndian || d.bitsAllocated == 1 {
                return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range]), bitOffset) }
            }
            // Big endian: OW words are swapped in 16-bit units even for 8-bit samples (PS3.5 §8.1.1);
            // 16/32-bit samples are swapped in their own width.
            let vr = dataSet[.pixelData]!.vr
            let unit = d.bitsAllocated == 8 ? (vr == .OW ? 2 : 1) : d.bitsAllocated / 8
            // Swap within words of the whole value (an odd-length frame takes its last byte from the padding).
            var swapped = [UInt8](repeating: 0, count: range.count)
            bytes.withUnsafeBytes { src in
                swapped.withUnsafeMutableBytes { dst in
                    if unit == 2, range.lowerBound % 2 == 0, range.count % 2 == 0 {
                        for w in 0 ..< range.count / 2 {
                            let v = src.loadUnaligned(fromByteOffset: range.lowerBound + 2 * w, as: UInt16.self)
                            dst.storeBytes(of: v.byteSwapped, toByteOffset: 2 * w, as: UInt16.self)
                        }
                    } else {
                        for k in range {
                            let source = k - k % unit + (unit - 1 - k % unit)
                            dst[k - range.lowerBound] = source < src.count ? src[source] : 0
                        }
                    }
                }
            }
            return try swapped.withUnsafeBytes { try body($0, 0) }
        case .encapsulated:
            guard let codec = PixelCodec(transferSyntaxUID: transferSyntax.uid) else {
                throw InputError(path: path, location: pixelLocation,
                                 "transfer syntax \(transferSyntax.uid) (\(transferSyntax.name)) is not supported for pixel decoding")
            }
            guard d.bitsAllocated != 1 else {
                throw InputError(path: path, location: Tag.bitsAllocated.label, "1-bit encapsulated pixel data is not supported")
            }
            let encoded = try encodedFrame(i)
            let decoded: [UInt8]
            do { decoded = try codec.decode(encoded, descriptor: d.codecDescriptor) } catch let e as InputError {
                var located = e.at(path: path ?? "")
                if located.path == "" { located.path = nil }
                located.location = "\(pixelLocation) frame \(i)" + (e.location.map { ", \($0)" } ?? "")
                throw located
            }
            return try decoded.withUnsafeBytes { try body($0, 0) }
        case .sequence:
            throw InputError(path: path, location: pixelLocation, "encoded as a sequence, expected pixel bytes")
        }
    }

    /// The stored values of frame `i` (before rescale), one Int32 per sample, samples of a pixel
    /// adjacent (planar data is interleaved; native YBR_FULL_422 is expanded to three samples per
    /// pixel). Encapsulated data is decoded with PixelCodecs; big-endian data is swapped; values
    /// are masked to BitsStored and sign-extended when PixelRepresentation is 1. Unsigned 32-bit
    /// values above Int32.max are refused.
    public func storedValues(frame i: Int) throws -> [Int32] {
        let d = try pixelDescription()
        try checkNativeFramePresent(i, d)   // before allocating the output
        let count = d.samplesPerFrame
        var out = [Int32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { dst in
            try withNativeFrame(i, d) { src, bitOffset in
                try SampleConverter(d, isNative: isNative, path: path).convert(src, bitOffset: bitOffset, into: dst.baseAddress!) { $0 }
            }
        }
        return out
    }

    /// Decodes frame `i` straight into `out` as `stored × slope + intercept` (Float), without an
    /// intermediate Int32 array. `out.count` must be rows × columns × samples per pixel.
    public func decodeFrame(_ i: Int, rescaledInto out: UnsafeMutableBufferPointer<Float>,
                            slope: Float, intercept: Float) throws {
        let d = try pixelDescription()
        guard out.count == d.samplesPerFrame, let base = out.baseAddress else {
            throw InputError(path: path, location: pixelLocation,
                             "output buffer holds \(out.count) values; the frame has \(d.samplesPerFrame)")
        }
        try withNativeFrame(i, d) { src, bitOffset in
            try SampleConverter(d, isNative: isNative, path: path).convert(src, bitOffset: bitOffset, into: base) {
                Float($0) * slope + intercept
            }
        }
    }

    /// Throws when native frame `i` lies (partly) outside the pixel data value.
    private func checkNativeFramePresent(_ i: Int, _ d: PixelDescription) throws {
        try checkFrameIndex(i)
        if case .bytes(let bytes) = dataSet[.pixelData]?.value { _ = try nativeFrameRange(i, d, valueCount: bytes.count) }
    }

    private var isNative: Bool {
        if case .bytes = dataSet[.pixelData]?.value { return true }
        return false
    }
}
