// Bulk file I/O with POSIX read/write: voxel data go straight between the file and the volume's
// own buffer (Foundation's FileHandle/Data paths add a copy and small chunks).
import Foundation
import OpenBCTCore
#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
private let posixWrite = Darwin.write
#endif

/// An uncompressed file read sequentially from an offset.
final class FileByteSource: ByteSource {
    private let handle: FileHandle
    private let path: String
    /// The file's size in bytes.
    let size: Int

    init(_ url: URL) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw InputError(path: url.path, "cannot open file: \(error.localizedDescription)")
        }
        path = url.path
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0 else {
            throw InputError(path: url.path, "cannot stat file: \(String(cString: strerror(errno)))")
        }
        size = Int(info.st_size)
    }

    deinit { try? handle.close() }

    /// Positions the next read at byte `offset`.
    func seek(to offset: Int) throws {
        guard lseek(handle.fileDescriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw InputError(path: path, location: "byte \(offset)", "cannot seek: \(String(cString: strerror(errno)))")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = posixRead(handle.fileDescriptor, base + done, min(buffer.count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func verifyEnd() {}

    var remainingBound: (bytes: Int, exact: Bool) {
        let position = Int(lseek(handle.fileDescriptor, 0, SEEK_CUR))
        return (max(0, size - max(0, position)), true)
    }
}

extension FileHandle {
    /// Writes all of `bytes` (no intermediate copy).
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = posixWrite(fileDescriptor, base + done, min(bytes.count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            done += n
        }
    }
}
