// Chooses the JPEG decoder from the stream's own frame header (SOF marker and precision) rather
// than from the transfer syntax, so a mislabelled file still decodes: SOF3 → our lossless
// decoder, 8-bit DCT → libjpeg-turbo, 12-bit DCT (sequential or progressive) → our DCT decoder.
import OpenBCTCore

enum JPEGDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor d: FrameDescriptor, codec: PixelCodec) throws -> [UInt8] {
        let name = codec.name
        let (frame, header) = try JPEGStreamParser.header(data, codecName: name)
        let sof = String(format: "SOF%d", Int(frame.marker) - 0xC0)
        guard frame.rows == d.rows, frame.columns == d.columns, frame.components.count == d.samplesPerPixel else {
            throw InputError(location: "\(name): \(sof) frame header",
                             "stream is \(frame.columns) × \(frame.rows) with \(frame.components.count) components, DICOM header says \(d.columns) × \(d.rows) with \(d.samplesPerPixel)")
        }
        guard frame.precision <= d.bitsAllocated else {
            throw InputError(location: "\(name): \(sof) frame header", "precision \(frame.precision) exceeds BitsAllocated \(d.bitsAllocated)")
        }
        switch frame.marker {
        case 0xC3:
            let (_, samples) = try JPEGLosslessDecoder.decode(data, codecName: name)
            return SampleLayout.store(samples, descriptor: d)
        case 0xC0, 0xC1, 0xC2:
            if frame.precision == 8 {
                return try LibJPEGTurboDecoder.decode(data, descriptor: d, frame: frame, header: header, codecName: name)
            }
            guard frame.precision == 12 else {
                throw InputError(location: "\(name): \(sof) frame header", "precision \(frame.precision), expected 8 or 12 for DCT JPEG")
            }
            let samples = try JPEGDCTDecoder.decode(data, codecName: name)
            return SampleLayout.store(samples, descriptor: d)
        default:
            throw InputError(location: "\(name): \(sof) frame header",
                             "unsupported: \(describe(frame.marker)) JPEG (decoded are Huffman-coded baseline, extended, progressive and lossless JPEG)")
        }
    }

    /// "progressive, arithmetic-coded" for the SOF markers we refuse (T.81 Table B.1).
    private static func describe(_ marker: UInt8) -> String {
        var traits: [String] = []
        if [0xC2, 0xC6, 0xCA, 0xCE].contains(marker) { traits.append("progressive") }
        if [0xC5, 0xC6, 0xC7, 0xCD, 0xCE, 0xCF].contains(marker) { traits.append("hierarchical") }
        if marker >= 0xC9 { traits.append("arithmetic-coded") }
        if [0xC7, 0xCB, 0xCF].contains(marker) { traits.append("lossless") }
        return traits.isEmpty ? String(format: "SOF marker FF%02X", marker) : traits.joined(separator: ", ")
    }
}
