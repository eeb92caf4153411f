// The hot loop of pixel reading: native little-endian samples → masked, sign-extended values.
import OpenBCTCore

/// Converts one frame of native little-endian samples (as laid out by `withNativeFrame`) into
/// output values in pixel-interleaved order.
struct SampleConverter {
    let d: PixelDescription
    /// Native data keeps its planar configuration and 4:2:2 subsampling; codec output is interleaved.
    let isNative: Bool
    let path: String?

    init(_ d: PixelDescription, isNative: Bool, path: String?) {
        self.d = d; self.isNative = isNative; self.path = path
    }

    @inline(__always)
    func convert<Out>(_ src: UnsafeRawBufferPointer, bitOffset: Int, into dst: UnsafeMutablePointer<Out>,
                      _ transform: (Int32) -> Out) throws {
        let n = d.samplesPerFrame
        let spp = d.samplesPerPixel
        if isNative && d.isSubsampled422 {
            // Y0 Y1 Cb Cr per pixel pair → (Y0 Cb Cr)(Y1 Cb Cr).
            var tmp = [Int32](repeating: 0, count: d.rows * d.columns * 2)
            try tmp.withUnsafeMutableBufferPointer { try values(src, bitOffset, count: $0.count, into: $0.baseAddress!) { $0 } }
            let pixels = d.rows * d.columns
            for p in 0 ..< pixels {
                let pair = (p / 2) * 4
                dst[3 * p] = transform(tmp[pair + p % 2])
                dst[3 * p + 1] = transform(tmp[pair + 2])
                dst[3 * p + 2] = transform(tmp[pair + 3])
            }
        } else if isNative && spp > 1 && d.planarConfiguration == 1 {
            var tmp = [Int32](repeating: 0, count: n)
            try tmp.withUnsafeMutableBufferPointer { try values(src, bitOffset, count: n, into: $0.baseAddress!) { $0 } }
            let pixels = d.rows * d.columns
            for s in 0 ..< spp { for p in 0 ..< pixels { dst[p * spp + s] = transform(tmp[s * pixels + p]) } }
        } else {
            try values(src, bitOffset, count: n, into: dst, transform)
        }
    }

    /// `count` samples in storage order, masked to BitsStored and sign-extended.
    @inline(__always)
    private func values<Out>(_ src: UnsafeRawBufferPointer, _ bitOffset: Int, count: Int,
                             into dst: UnsafeMutablePointer<Out>, _ transform: (Int32) -> Out) throws {
        let bytesNeeded = d.bitsAllocated == 1 ? (bitOffset + count + 7) / 8 : count * d.bitsAllocated / 8
        guard src.count >= bytesNeeded else {
            throw InputError(path: path, location: Tag.pixelData.label,
                             "decoded frame has \(src.count) bytes, expected \(bytesNeeded)")
        }
        let signed = d.isSigned
        switch d.bitsAllocated {
        case 1:
            for k in 0 ..< count {
                let bit = bitOffset + k
                dst[k] = transform(Int32(src[bit >> 3] >> UInt8(bit & 7) & 1))
            }
        case 8:
            let p = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let shift = UInt8(8 - d.bitsStored)
            if signed {
                for k in 0 ..< count { dst[k] = transform(Int32(Int8(bitPattern: p[k] << shift) >> shift)) }
            } else {
                let mask = UInt8(truncatingIfNeeded: (1 << d.bitsStored) - 1)
                for k in 0 ..< count { dst[k] = transform(Int32(p[k] & mask)) }
            }
        case 16:
            let shift = UInt16(16 - d.bitsStored)
            let mask = UInt16(truncatingIfNeeded: (1 << d.bitsStored) - 1)
            if Int(bitPattern: src.baseAddress!) % 2 == 0 {
                let p = src.baseAddress!.assumingMemoryBound(to: UInt16.self)
                if signed {
                    for k in 0 ..< count { dst[k] = transform(Int32(Int16(bitPattern: UInt16(littleEndian: p[k]) << shift) >> shift)) }
                } else {
                    for k in 0 ..< count { dst[k] = transform(Int32(UInt16(littleEndian: p[k]) & mask)) }
                }
            } else {
                for k in 0 ..< count {
                    let raw = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))
                    dst[k] = transform(signed ? Int32(Int16(bitPattern: raw << shift) >> shift) : Int32(raw & mask))
                }
            }
        default: // 32
            let shift = UInt32(32 - d.bitsStored)
            let mask = UInt32(truncatingIfNeeded: (UInt64(1) << d.bitsStored) - 1)
            for k in 0 ..< count {
                let raw = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))
                if signed {
                    dst[k] = transform(Int32(bitPattern: raw << shift) >> Int32(shift))
                } else {
                    guard let v = Int32(exactly: raw & mask) else {
                        throw InputError(path: path, location: Tag.pixelData.label,
                                         "unsigned 32-bit sample \(raw & mask) does not fit a signed 32-bit stored value")
                    }
                    dst[k] = transform(v)
                }
            }
        }
    }
}
