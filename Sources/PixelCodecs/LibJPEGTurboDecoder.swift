// 8-bit DCT JPEG (baseline process 1, 8-bit extended process 2) through libjpeg-turbo.
import CJPEGShim
import OpenBCTCore

enum LibJPEGTurboDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor d: FrameDescriptor, frame: JPEGFrame,
                       header: JPEGStreamParser, codecName: String) throws -> [UInt8] {
        let components = d.samplesPerPixel
        var samples = [UInt8](repeating: 0, count: d.rows * d.columns * components)
        var message = [CChar](repeating: 0, count: 512)
        let status = samples.withUnsafeMutableBufferPointer { out in
            openbct_jpeg_decode8(data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count,
                                 Int32(d.columns), Int32(d.rows), Int32(components),
                                 out.baseAddress, &message, message.count)
        }
        guard status == 0 else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw InputError(location: "\(codecName): libjpeg-turbo", "\(text) (expected a decodable 8-bit DCT stream)")
        }
        if convertsToRGB(d, frame: frame, header: header) { convertYBRFullToRGB(&samples) }
        if d.bitsAllocated == 8, d.planarConfiguration == 0 || components == 1 { return samples }
        return SampleLayout.store(samples.map { Int32($0) }, descriptor: d)
    }

    /// pydicom's rule (what users compare against): a 3-component stream is YCbCr — and returned
    /// as RGB — when the header says YBR_FULL / YBR_FULL_422 or the stream has a JFIF marker,
    /// unless its component ids spell "RGB"; otherwise the samples are returned as stored.
    static func convertsToRGB(_ d: FrameDescriptor, frame: JPEGFrame, header: JPEGStreamParser) -> Bool {
        guard d.samplesPerPixel == 3 else { return false }
        let ids = frame.components.map(\.id)
        if ids == [82, 71, 66] || ids == [114, 103, 98] { return false }
        return ["YBR_FULL", "YBR_FULL_422"].contains(d.photometricInterpretation) || header.sawJFIF
    }

    /// YCbCr (full range, JPEG/JFIF) → RGB with pydicom's float32 matrix, rounding and clipping,
    /// so colour output matches the reference decoder to the DCT's ±1.
    static func convertYBRFullToRGB(_ samples: inout [UInt8]) {
        let crToR = Float(1.402), cbToG = Float(-0.114 * 1.772 / 0.587)
        let crToG = Float(-0.299 * 1.402 / 0.587), cbToB = Float(1.772)
        samples.withUnsafeMutableBufferPointer { p in
            for i in stride(from: 0, to: p.count - 2, by: 3) {
                let y = Float(p[i]), cb = Float(p[i + 1]) - 128, cr = Float(p[i + 2]) - 128
                @inline(__always) func clamp(_ v: Float) -> UInt8 { UInt8(min(255, max(0, (v + 0.5).rounded(.down)))) }
                p[i] = clamp(y + cr * crToR)
                p[i + 1] = clamp(y + cb * cbToG + cr * crToG)
                p[i + 2] = clamp(y + cb * cbToB)
            }
        }
    }
}
