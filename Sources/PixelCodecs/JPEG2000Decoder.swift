// JPEG 2000 (Part 1, lossless and lossy) and HTJ2K (Part 15) through OpenJPEG 2.5, from a
// memory stream. DICOM fragments hold raw codestreams; a JP2 box wrapper is detected too.
import COpenJPEG
import OpenBCTCore

enum JPEG2000Decoder {
    /// The compressed bytes and a read position, reached from OpenJPEG's C callbacks.
    private final class MemorySource {
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = 0
        var messages: [String] = []
        init(_ data: UnsafeRawBufferPointer) {
            base = data.baseAddress!.assumingMemoryBound(to: UInt8.self); count = data.count
        }
    }

    static func decode(_ data: UnsafeRawBufferPointer, descriptor d: FrameDescriptor, codec: PixelCodec) throws -> [UInt8] {
        let name = codec.name
        guard data.count >= 16 else {
            throw InputError(location: "\(name): byte 0", "stream of \(data.count) bytes is too short for a codestream")
        }
        // JP2 files begin with the 12-byte signature box; raw codestreams with SOC (FF4F FF51).
        let isJP2 = data[4] == 0x6A && data[5] == 0x50 && data[6] == 0x20 && data[7] == 0x20
        guard isJP2 || (data[0] == 0xFF && data[1] == 0x4F) else {
            throw InputError(location: "\(name): byte 0",
                             String(format: "expected the SOC marker FF4F or a JP2 signature box, found %02X %02X", data[0], data[1]))
        }
        let source = MemorySource(data)
        let context = Unmanaged.passRetained(source)
        guard let codecHandle = opj_create_decompress(isJP2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K),
              let stream = opj_stream_create(1 << 16, 1) else {
            context.release()
            throw InputError(location: name, "OpenJPEG could not allocate a decoder")
        }
        defer { opj_destroy_codec(codecHandle) }
        opj_stream_set_user_data(stream, context.toOpaque()) { user in
            if let user { Unmanaged<MemorySource>.fromOpaque(user).release() }
        }
        defer { opj_stream_destroy(stream) }
        opj_stream_set_user_data_length(stream, UInt64(data.count))
        opj_stream_set_read_function(stream) { buffer, size, user in
            let s = Unmanaged<MemorySource>.fromOpaque(user!).takeUnretainedValue()
            let n = min(size, s.count - s.position)
            guard n > 0, let buffer else { return -1 }  // (OPJ_SIZE_T)-1: end of stream
            buffer.copyMemory(from: s.base + s.position, byteCount: n)
            s.position += n
            return n
        }
        opj_stream_set_skip_function(stream) { offset, user in
            let s = Unmanaged<MemorySource>.fromOpaque(user!).takeUnretainedValue()
            let target = max(0, min(Int64(s.count), Int64(s.position) + offset))
            let skipped = target - Int64(s.position)
            s.position = Int(target)
            return skipped
        }
        opj_stream_set_seek_function(stream) { offset, user in
            let s = Unmanaged<MemorySource>.fromOpaque(user!).takeUnretainedValue()
            guard offset >= 0, offset <= Int64(s.count) else { return 0 }
            s.position = Int(offset)
            return 1
        }
        let collect: opj_msg_callback = { message, user in
            guard let message, let user else { return }
            let s = Unmanaged<MemorySource>.fromOpaque(user).takeUnretainedValue()
            s.messages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        opj_set_error_handler(codecHandle, collect, context.toOpaque())
        opj_set_warning_handler(codecHandle, nil, nil)
        opj_set_info_handler(codecHandle, nil, nil)

        var parameters = opj_dparameters_t()
        opj_set_default_decoder_parameters(&parameters)
        func failure(_ step: String) -> InputError {
            let detail = source.messages.isEmpty ? "" : ": " + source.messages.joined(separator: "; ")
            return InputError(location: "\(name): \(step) (byte \(source.position) of \(data.count))",
                              "OpenJPEG could not decode the codestream\(detail)")
        }
        guard opj_setup_decoder(codecHandle, &parameters) != 0 else { throw failure("setup") }
        // Strict mode: a truncated codestream is an error, not a silently partial image.
        opj_decoder_set_strict_mode(codecHandle, 1)
        // Both cores pay off on a 512² frame: OpenJPEG decodes code-blocks in parallel.
        opj_codec_set_threads(codecHandle, Int32(parallelWidth))
        var imagePointer: UnsafeMutablePointer<opj_image_t>?
        guard opj_read_header(stream, codecHandle, &imagePointer) != 0, let image = imagePointer else {
            throw failure("main header")
        }
        defer { opj_image_destroy(image) }
        guard opj_decode(codecHandle, stream, image) != 0, opj_end_decompress(codecHandle, stream) != 0 else {
            throw failure("tile data")
        }
        return try store(image.pointee, descriptor: d, name: name)
    }

    /// Copies OpenJPEG's per-component Int32 planes into DICOM layout.
    private static func store(_ image: opj_image_t, descriptor d: FrameDescriptor, name: String) throws -> [UInt8] {
        let comps = Int(image.numcomps)
        guard comps == d.samplesPerPixel, let planes = image.comps else {
            throw InputError(location: "\(name): SIZ marker", "\(comps) components, DICOM header says SamplesPerPixel \(d.samplesPerPixel)")
        }
        let pixels = d.rows * d.columns
        var samples = [Int32](repeating: 0, count: pixels * comps)
        for c in 0..<comps {
            let comp = planes[c]
            guard Int(comp.w) == d.columns, Int(comp.h) == d.rows, comp.dx == 1, comp.dy == 1, let plane = comp.data else {
                throw InputError(location: "\(name): SIZ marker",
                                 "component \(c) is \(comp.w) × \(comp.h) (subsampling \(comp.dx)×\(comp.dy)); DICOM header says \(d.columns) × \(d.rows)")
            }
            let precision = Int(comp.prec)
            guard precision >= 1, precision <= d.bitsAllocated else {
                throw InputError(location: "\(name): SIZ marker", "component \(c) precision \(precision) exceeds BitsAllocated \(d.bitsAllocated)")
            }
            // When the codestream's signedness disagrees with PixelRepresentation, reinterpret the
            // precision-bit pattern the way pydicom does (J2K_pixelrep_mismatch.dcm).
            let codestreamSigned = comp.sgnd != 0
            let shift = Int32(32 - precision)
            let mask = precision >= 32 ? Int32(-1) : Int32(truncatingIfNeeded: (Int64(1) << precision) - 1)
            let reinterpret: Int = codestreamSigned == (d.pixelRepresentation == 1) ? 0 : (d.pixelRepresentation == 1 ? 1 : 2)
            samples.withUnsafeMutableBufferPointer { out in
                for i in 0..<pixels {
                    var v = plane[i]
                    switch reinterpret {
                    case 1: v = (v << shift) >> shift
                    case 2: v &= mask
                    default: break
                    }
                    out[i * comps + c] = v
                }
            }
        }
        return SampleLayout.store(samples, descriptor: d)
    }
}
