// Streaming inflate: a compressed file is decoded piecewise straight into the caller's buffer, so a
// 200 MB volume never exists as compressed + uncompressed + converted copies at once.
import CZlib
import Foundation
import OpenBCTCore

/// The container around a deflate stream.
enum ZlibContainer: Sendable {
    /// RFC 1952 gzip (`.nii.gz`).
    case gzip
    /// RFC 1950 zlib (MetaImage `CompressedData = True`).
    case zlib
    /// Reading only: gzip or zlib, detected from the first bytes.
    case automatic

    var windowBits: Int32 {
        switch self {
        case .gzip: 15 + 16
        case .zlib: 15
        case .automatic: 15 + 32
        }
    }

    var name: String { self == .zlib ? "zlib" : "gzip" }
}

/// A sequential source of bytes: a file's bytes, plain or inflated.
protocol ByteSource: AnyObject {
    /// Copies up to `buffer.count` bytes into `buffer`; returns fewer only at the end of the data.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// Confirms the data end cleanly after the part that was read (a compressed stream must reach
    /// its end marker and checksum; bytes beyond the image are decoded and discarded).
    func verifyEnd() throws

    /// An upper bound on the bytes still to come, and whether it is exact (an uncompressed file).
    /// Checked before allocating a volume, so a header promising terabytes fails fast.
    var remainingBound: (bytes: Int, exact: Bool) { get }
}

extension ByteSource {
    /// Reads `count` bytes, or fewer when the data ends first.
    func readBytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let got = try out.withUnsafeMutableBytes { try read(into: $0) }
        return Array(out.prefix(got))
    }

    /// Discards `count` bytes; returns how many were actually skipped.
    func skip(_ count: Int) throws -> Int {
        var scratch = [UInt8](repeating: 0, count: min(count, 1 << 16))
        var done = 0
        while done < count {
            let want = min(scratch.count, count - done)
            let got = try scratch.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            done += got
            if got < want { break }
        }
        return done
    }
}

/// Bytes of an uncompressed file (usually memory-mapped), read from `offset` on.
final class PlainByteSource: ByteSource {
    private let data: Data
    private var offset: Int

    init(_ data: Data, offset: Int = 0) { self.data = data; self.offset = offset }

    func verifyEnd() {}

    var remainingBound: (bytes: Int, exact: Bool) { (max(0, data.count - offset), true) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, data.count - offset)
        guard n > 0, let dst = buffer.baseAddress else { return 0 }
        data.withUnsafeBytes { src in dst.copyMemory(from: src.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// Inflates a gzip or zlib stream held in `data` (concatenated gzip members are read as one stream,
/// as gzip(1) does).
final class InflatingByteSource: ByteSource {
    private let data: Data
    private let path: String
    private let container: ZlibContainer
    private let stream: UnsafeMutablePointer<z_stream>
    private var consumed = 0
    private var finished = false

    init(_ data: Data, offset: Int = 0, container: ZlibContainer, path: String) throws {
        self.data = data; self.path = path; self.container = container; self.consumed = offset
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, container.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            throw InputError(path: path, "zlib inflateInit2 failed (code \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count > 0 else { return 0 }
        var produced = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                throw truncated()
            }
            while produced < buffer.count {
                let remaining = data.count - consumed
                guard remaining > 0 else { throw truncated() }
                // Chunks below 1 GiB keep the 32-bit zlib counters exact.
                stream.pointee.next_in = UnsafeMutablePointer(mutating: base + consumed)
                stream.pointee.avail_in = UInt32(min(remaining, 1 << 30))
                stream.pointee.next_out = out + produced
                stream.pointee.avail_out = UInt32(min(buffer.count - produced, 1 << 30))
                let inBefore = stream.pointee.avail_in, outBefore = stream.pointee.avail_out
                let rc = inflate(stream, Z_NO_FLUSH)
                consumed += Int(inBefore - stream.pointee.avail_in)
                produced += Int(outBefore - stream.pointee.avail_out)
                switch rc {
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: zlib wants more input than the file holds.
                    if consumed >= data.count { throw truncated() }
                    if inBefore == stream.pointee.avail_in && outBefore == stream.pointee.avail_out {
                        throw InputError(path: path, location: "byte \(consumed)", "corrupt \(container.name) stream (inflate made no progress)")
                    }
                case Z_STREAM_END:
                    if container != .zlib, data.count - consumed >= 2, base[consumed] == 0x1f, base[consumed + 1] == 0x8b {
                        inflateReset(stream)   // another gzip member follows
                    } else {
                        finished = true
                        return
                    }
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                    throw InputError(path: path, location: "byte \(consumed)",
                                     "corrupt \(container.name) stream (\(reason)); expected valid deflate data")
                }
            }
        }
        return produced
    }

    /// Deflate cannot compress better than 1032:1, which bounds what the remaining input can yield.
    var remainingBound: (bytes: Int, exact: Bool) {
        let (bound, overflow) = max(0, data.count - consumed).multipliedReportingOverflow(by: 1032)
        return (overflow ? .max : bound + (1 << 16), false)
    }

    func verifyEnd() throws {
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while !finished { _ = try scratch.withUnsafeMutableBytes { try read(into: $0) } }
    }

    private func truncated() -> InputError {
        InputError(path: path, location: "byte \(data.count)",
                   "truncated \(container.name) stream at byte \(data.count): the file ends inside the compressed data")
    }
}
