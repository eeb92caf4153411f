// JPEG-LS lossless and near-lossless (ISO 14495-1) through CharLS 2.4's C API.
import CCharLS
import OpenBCTCore

enum JPEGLSDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor d: FrameDescriptor) throws -> [UInt8] {
        let name = "JPEG-LS"
        guard let source = data.baseAddress, data.count > 0 else {
            throw InputError(location: "\(name): byte 0", "empty stream, expected an SOI marker")
        }
        guard let decoder = charls_jpegls_decoder_create() else {
            throw InputError(location: name, "CharLS could not allocate a decoder")
        }
        defer { charls_jpegls_decoder_destroy(decoder) }
        func check(_ code: charls_jpegls_errc, _ step: String) throws {
            guard code == CHARLS_JPEGLS_ERRC_SUCCESS else {
                let text = String(cString: charls_get_error_message(code))
                throw InputError(location: "\(name): \(step)", "\(text) (stream of \(data.count) bytes)")
            }
        }
        try check(charls_jpegls_decoder_set_source_buffer(decoder, source, data.count), "source")
        try check(charls_jpegls_decoder_read_header(decoder), "SOF55 header")
        var info = charls_frame_info()
        try check(charls_jpegls_decoder_get_frame_info(decoder, &info), "frame info")
        let bits = Int(info.bits_per_sample), comps = Int(info.component_count)
        guard Int(info.width) == d.columns, Int(info.height) == d.rows, comps == d.samplesPerPixel, bits <= d.bitsAllocated else {
            throw InputError(location: "\(name): SOF55 frame header",
                             "stream is \(info.width) × \(info.height), \(comps) components of \(bits) bits; DICOM header says \(d.columns) × \(d.rows), \(d.samplesPerPixel) components, BitsAllocated \(d.bitsAllocated)")
        }
        var mode = CHARLS_INTERLEAVE_MODE_NONE
        try check(charls_jpegls_decoder_get_interleave_mode(decoder, &mode), "interleave mode")
        var size = 0
        try check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size), "destination size")
        var raw = [UInt8](repeating: 0, count: max(size, 1))
        try raw.withUnsafeMutableBytes { out in
            try check(charls_jpegls_decoder_decode_to_buffer(decoder, out.baseAddress!, size, 0), "scan data")
        }
        // CharLS writes 1 byte per sample up to 8 bits, else 2; non-interleaved scans come out
        // plane by plane. JPEG-LS has no sign: like pydicom, sign-extend from the stream precision.
        let pixels = d.rows * d.columns
        let signShift = Int32(32 - bits)
        let signed = d.pixelRepresentation == 1
        var samples = [Int32](repeating: 0, count: pixels * comps)
        raw.withUnsafeBytes { src in
            samples.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixels * comps {
                    let from = mode == CHARLS_INTERLEAVE_MODE_NONE && comps > 1 ? (i % comps) * pixels + i / comps : i
                    var v = bits <= 8 ? Int32(src[from]) : Int32(src.load(fromByteOffset: 2 * from, as: UInt16.self).littleEndian)
                    if signed { v = (v << signShift) >> signShift }
                    dst[i] = v
                }
            }
        }
        return SampleLayout.store(samples, descriptor: d)
    }
}
