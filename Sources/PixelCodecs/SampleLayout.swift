// Writes decoded samples in the layout of uncompressed DICOM pixel data: little-endian,
// BitsAllocated/8 bytes each, interleaved or planar per PlanarConfiguration, signed values
// sign-extended from BitsStored.
import OpenBCTCore

enum SampleLayout {
    /// `samples` holds one value per sample, interleaved (pixel by pixel, component order).
    static func store(_ samples: [Int32], descriptor d: FrameDescriptor) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: d.frameByteCount)
        let pixels = d.rows * d.columns, spp = d.samplesPerPixel
        // Sign extension from BitsStored is a shift pair; unsigned data uses shift 0 (a no-op).
        let shift = d.pixelRepresentation == 1 ? Int32(32 - d.bitsStored) : 0
        let planar = d.planarConfiguration == 1 && spp > 1
        samples.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBytes { raw in
                let count = min(src.count, pixels * spp)
                switch d.bitsAllocated {
                case 8: write(src, count, shift, planar, spp, pixels, raw.bindMemory(to: UInt8.self))
                case 16: write(src, count, shift, planar, spp, pixels, raw.bindMemory(to: UInt16.self))
                default: write(src, count, shift, planar, spp, pixels, raw.bindMemory(to: UInt32.self))
                }
            }
        }
        return output
    }

    @inline(__always)
    private static func write<T: FixedWidthInteger>(_ src: UnsafeBufferPointer<Int32>, _ count: Int, _ shift: Int32, _ planar: Bool,
                                                    _ spp: Int, _ pixels: Int, _ out: UnsafeMutableBufferPointer<T>) {
        if planar {
            for i in 0..<count { out[(i % spp) * pixels + i / spp] = T(truncatingIfNeeded: (src[i] << shift) >> shift).littleEndian }
        } else {
            for i in 0..<count { out[i] = T(truncatingIfNeeded: (src[i] << shift) >> shift).littleEndian }
        }
    }

    /// Sign-extends signed samples from BitsStored in place (for decoders that write bytes directly).
    static func signExtend(_ output: inout [UInt8], descriptor d: FrameDescriptor) {
        guard d.pixelRepresentation == 1, d.bitsStored < d.bitsAllocated else { return }
        let shift = d.bitsAllocated - d.bitsStored
        output.withUnsafeMutableBytes { raw in
            switch d.bitsAllocated {
            case 8:
                let p = raw.bindMemory(to: Int8.self)
                for i in p.indices { p[i] = (p[i] << shift) >> shift }
            case 16:
                let p = raw.bindMemory(to: Int16.self)
                for i in p.indices { p[i] = Int16(littleEndian: (Int16(littleEndian: p[i]) << shift) >> shift) }
            default:
                let p = raw.bindMemory(to: Int32.self)
                for i in p.indices { p[i] = Int32(littleEndian: (Int32(littleEndian: p[i]) << shift) >> shift) }
            }
        }
    }
}
