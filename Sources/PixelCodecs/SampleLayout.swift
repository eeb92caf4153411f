// Writes decoded samples in the layout of uncompressed DICOM pixel data: little-endian,
// BitsAllocated/8 bytes each, interleaved or planar per PlanarConfiguration, signed values
// sign-extended from BitsStored.
import OpenBCTCore

enum SampleLayout {
    /// `samples` holds one value per sample, interleaved (pixel by pixel, component order).
    static func store(_ samples: [Int32], descriptor d: FrameDescriptor) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: d.frameByteCount)
        let pixels = d.rows * d.columns, spp = d.samplesPerPixel
        let signShift = Int32(32 - d.bitsStored)
        let signed = d.pixelRepresentation == 1
        samples.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBytes { raw in
                @inline(__always) func value(_ i: Int) -> Int32 {
                    signed ? (src[i] << signShift) >> signShift : src[i]
                }
                @inline(__always) func target(_ i: Int) -> Int {
                    d.planarConfiguration == 0 || spp == 1 ? i : (i % spp) * pixels + i / spp
                }
                let count = min(src.count, pixels * spp)
                switch d.bitsAllocated {
                case 8:
                    let out = raw.bindMemory(to: UInt8.self)
                    for i in 0..<count { out[target(i)] = UInt8(truncatingIfNeeded: value(i)) }
                case 16:
                    let out = raw.bindMemory(to: UInt16.self)
                    for i in 0..<count { out[target(i)] = UInt16(truncatingIfNeeded: value(i)).littleEndian }
                default:
                    let out = raw.bindMemory(to: UInt32.self)
                    for i in 0..<count { out[target(i)] = UInt32(bitPattern: value(i)).littleEndian }
                }
            }
        }
        return output
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
