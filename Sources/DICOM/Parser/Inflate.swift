// Raw DEFLATE decompression (RFC 1951) for Deflated Explicit VR Little Endian, through zlib.
import CZlib
import OpenBCTCore

enum Inflate {
    /// Inflates a raw deflate stream (no zlib/gzip header). Bytes after the end of the stream are ignored.
    static func raw(_ input: UnsafeRawBufferPointer, path: String?, fileOffset: Int) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits −15: raw deflate, as PS3.5 §A.5 specifies. (inflateInit2 is a macro: call the function.)
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(path: path, location: "byte \(fileOffset)", "zlib could not be initialised to inflate the deflated data set")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(4096, input.count * 4))
        var produced = 0
        guard let base = input.baseAddress else { return [] }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(clamping: input.count)
        while true {
            if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress! + produced
                stream.avail_out = UInt32(clamping: out.count - produced)
                let before = stream.avail_out
                let s = inflate(&stream, Z_NO_FLUSH)
                produced += Int(before - stream.avail_out)
                return s
            }
            switch status {
            case Z_STREAM_END:
                output.removeSubrange(produced...)
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw InputError(path: path, location: "byte \(fileOffset + Int(stream.total_in))",
                                 "deflated data set ends before the end of its deflate stream (truncated file)")
            case Z_BUF_ERROR:
                continue
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw InputError(path: path, location: "byte \(fileOffset + Int(stream.total_in))",
                                 "deflated data set is not a valid raw deflate stream (\(reason))")
            }
        }
    }
}
