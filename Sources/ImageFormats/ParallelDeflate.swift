// Compression on all cores, pigz's way: the input is cut into blocks deflated independently (each
// ending byte-aligned with a sync flush), concatenated into ONE gzip or zlib stream whose checksum
// is combined from the blocks' checksums. Any gzip/zlib reader sees an ordinary single stream.
import CZlib
import Foundation
import OpenBCTCore

/// Bytes to compress, handed across threads (the caller keeps them alive and unchanged).
private struct Segment: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
}

/// One compressed block and the checksum of its input.
private struct CompressedBlock {
    var bytes: [UInt8] = []
    var checksum: UInt = 0
    var inputCount = 0
    var error: Int32 = Z_OK
}

/// Compresses `segments` (in order) into one `container` stream (gzip or zlib), handing the output
/// to `sink` in order. `level` 1 is nibabel's default for `.nii.gz`.
func parallelDeflate(_ segments: [UnsafeRawBufferPointer], container: ZlibContainer, level: Int32 = 1,
                     blockSize: Int = 4 << 20, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    precondition(container != .automatic, "a writer must choose gzip or zlib")
    var blocks: [Segment] = []
    for s in segments where s.count > 0 {
        var offset = 0
        while offset < s.count {
            let n = min(blockSize, s.count - offset)
            blocks.append(Segment(base: s.baseAddress! + offset, count: n))
            offset += n
        }
    }
    if blocks.isEmpty { blocks.append(Segment(base: UnsafeRawPointer(bitPattern: 1)!, count: 0)) }

    let gzip = container == .gzip
    try [UInt8](gzip ? [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] : [0x78, 0x01]).withUnsafeBytes(sink)
    var checksum: UInt = gzip ? crc32(0, nil, 0) : adler32(0, nil, 0)
    var total = 0
    let batch = max(2, parallelWidth * 2)
    for start in stride(from: 0, to: blocks.count, by: batch) {
        let range = start..<min(start + batch, blocks.count)
        var results = [CompressedBlock](repeating: CompressedBlock(), count: range.count)
        results.withUnsafeMutableBufferPointer { out in
            let slots = SendablePointer(out.baseAddress!)
            let todo = Array(blocks[range]), lastIndex = blocks.count - 1 - start
            DispatchQueue.concurrentPerform(iterations: todo.count) { i in
                slots[i] = compressBlock(todo[i], level: level, final: i == lastIndex, gzip: gzip)
            }
        }
        for block in results {
            guard block.error == Z_OK else { throw ImageWriteError("zlib deflate failed (code \(block.error))") }
            try block.bytes.withUnsafeBytes(sink)
            checksum = gzip ? crc32_combine(checksum, block.checksum, off_t(block.inputCount))
                            : adler32_combine(checksum, block.checksum, off_t(block.inputCount))
            total += block.inputCount
        }
    }
    let c = UInt32(truncatingIfNeeded: checksum)
    let trailer: [UInt8] = gzip
        ? withUnsafeBytes(of: c.littleEndian, Array.init) + withUnsafeBytes(of: UInt32(truncatingIfNeeded: total).littleEndian, Array.init)
        : withUnsafeBytes(of: c.bigEndian, Array.init)
    try trailer.withUnsafeBytes(sink)
}

/// Raw-deflates one block: sync-flushed (byte-aligned, stream left open) or, for the last, finished.
private func compressBlock(_ s: Segment, level: Int32, final: Bool, gzip: Bool) -> CompressedBlock {
    var result = CompressedBlock(inputCount: s.count)
    let input = s.base.assumingMemoryBound(to: UInt8.self)
    result.checksum = gzip ? crc32(0, input, UInt32(s.count)) : adler32(1, input, UInt32(s.count))
    var stream = z_stream()
    var rc = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else { result.error = rc; return result }
    defer { deflateEnd(&stream) }
    // deflateBound covers Z_FINISH; a sync flush marker adds at most 5 bytes more.
    result.bytes = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(s.count))) + 16)
    let produced = result.bytes.withUnsafeMutableBufferPointer { out -> Int in
        stream.next_in = UnsafeMutablePointer(mutating: input)
        stream.avail_in = UInt32(s.count)
        stream.next_out = out.baseAddress
        stream.avail_out = UInt32(out.count)
        rc = deflate(&stream, final ? Z_FINISH : Z_SYNC_FLUSH)
        return out.count - Int(stream.avail_out)
    }
    let done = final ? rc == Z_STREAM_END : (rc == Z_OK && stream.avail_in == 0)
    if !done { result.error = rc == Z_OK ? Z_BUF_ERROR : rc }
    result.bytes.removeSubrange(produced...)
    return result
}
