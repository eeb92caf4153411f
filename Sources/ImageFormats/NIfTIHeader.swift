// The NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers: field layout, parsing in either byte
// order, and little-endian encoding. Field offsets follow nifti1.h and nifti2.h.
import Foundation
import OpenBCTCore

/// The facts of a NIfTI header, widened to the NIfTI-2 field sizes.
public struct NIfTIHeader: Sendable, Equatable {
    /// 1 (NIfTI-1, 348-byte header) or 2 (NIfTI-2, 540-byte header).
    public var version: Int
    /// Whether the file was written most-significant byte first.
    public var isBigEndian: Bool
    /// `dim[0…7]`: dim[0] is the number of dimensions, dim[1…3] the grid size.
    public var dim: [Int]
    /// `pixdim[0…7]`: pixdim[0] is qfac, pixdim[1…3] the voxel size.
    public var pixdim: [Double]
    /// NIfTI datatype code (2 uint8, 4 int16, 8 int32, 16 float32, 64 float64, 256 int8, 512 uint16, 768 uint32).
    public var datatype: Int
    public var bitpix: Int
    /// Byte offset of the voxel data.
    public var voxOffset: Int
    /// Intensity scaling: value = stored × slope + inter; slope 0 or NaN means none.
    public var sclSlope: Double
    public var sclInter: Double
    public var qformCode: Int
    public var sformCode: Int
    /// Quaternion b, c, d of the qform rotation (a is implied).
    public var quaternion: Vec3
    /// qform translation (RAS mm).
    public var qoffset: Vec3
    /// sform rows `srow_x`, `srow_y`, `srow_z` (4 values each, RAS mm).
    public var srow: [[Double]]
    public var xyztUnits: Int
    public var intentCode: Int
    /// The `descrip` text.
    public var description: String

    /// Grid size from dim[1…3] (missing dimensions count as 1).
    public var dims: SIMD3<Int> {
        let n = max(0, min(dim[0], 7))
        return SIMD3((1...3).map { $0 <= n ? dim[$0] : 1 })
    }

    /// Where the voxel data start: `voxOffset`, except that 0 (left by some old writers) means right
    /// after the header and its 4-byte extension flag, as nibabel reads it.
    public var dataOffset: Int { voxOffset == 0 ? headerSize + 4 : voxOffset }

    /// Header size in bytes (348 or 540).
    public var headerSize: Int { version == 2 ? 540 : 348 }

    /// Whether `scl_slope`/`scl_inter` change the stored values (nibabel's rule: slope 0 or NaN means
    /// no scaling; slope 1 and intercept 0 is the identity).
    public var hasScaling: Bool {
        guard sclSlope.isFinite, sclSlope != 0 else { return false }
        let inter = sclInter.isFinite ? sclInter : 0
        return !(sclSlope == 1 && inter == 0)
    }
}

// MARK: - Parsing

extension NIfTIHeader {
    static let magic1: [UInt8] = Array("n+1\0".utf8)
    static let magic2: [UInt8] = [0x6E, 0x2B, 0x32, 0x00, 0x0D, 0x0A, 0x1A, 0x0A]   // "n+2\0\r\n\032\n"

    /// Reads and parses a header from the start of `source` (which is left just after the header).
    static func parse(from source: ByteSource, path: String) throws -> NIfTIHeader {
        let first = try source.readBytes(4)
        guard first.count == 4 else {
            throw InputError(path: path, location: "byte 0", "file too short for a NIfTI header (\(first.count) bytes)")
        }
        let le = Int32(littleEndian: first.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        let version: Int, bigEndian: Bool
        switch (le, le.byteSwapped) {
        case (348, _): (version, bigEndian) = (1, false)
        case (540, _): (version, bigEndian) = (2, false)
        case (_, 348): (version, bigEndian) = (1, true)
        case (_, 540): (version, bigEndian) = (2, true)
        default:
            throw InputError(path: path, location: "byte 0 (sizeof_hdr)",
                             "not a NIfTI file: sizeof_hdr is \(le), expected 348 (NIfTI-1) or 540 (NIfTI-2)")
        }
        let size = version == 2 ? 540 : 348
        let rest = try source.readBytes(size - 4)
        guard rest.count == size - 4 else {
            throw InputError(path: path, location: "byte \(4 + rest.count)",
                             "NIfTI-\(version) header truncated: \(4 + rest.count) of \(size) bytes")
        }
        let f = FieldReader(bytes: first + rest, bigEndian: bigEndian)
        return version == 2 ? try parse2(f, path: path) : try parse1(f, path: path)
    }

    private static func parse1(_ f: FieldReader, path: String) throws -> NIfTIHeader {
        let magic = Array(f.bytes[344..<348])
        guard magic == magic1 else {
            if magic == Array("ni1\0".utf8) {
                throw InputError(path: path, location: "byte 344 (magic)",
                                 "two-file NIfTI-1 (.hdr/.img, magic \"ni1\") is not supported; expected single-file \"n+1\"")
            }
            throw InputError(path: path, location: "byte 344 (magic)", "wrong NIfTI-1 magic \(describe(magic)); expected \"n+1\"")
        }
        return NIfTIHeader(
            version: 1, isBigEndian: f.bigEndian,
            dim: (0..<8).map { f.int(40 + 2 * $0, width: 2) },
            pixdim: (0..<8).map { f.real(76 + 4 * $0, width: 4) },
            datatype: f.int(70, width: 2), bitpix: f.int(72, width: 2),
            voxOffset: try integralOffset(f.real(108, width: 4), path: path),
            sclSlope: f.real(112, width: 4), sclInter: f.real(116, width: 4),
            qformCode: f.int(252, width: 2), sformCode: f.int(254, width: 2),
            quaternion: Vec3(f.real(256, width: 4), f.real(260, width: 4), f.real(264, width: 4)),
            qoffset: Vec3(f.real(268, width: 4), f.real(272, width: 4), f.real(276, width: 4)),
            srow: (0..<3).map { r in (0..<4).map { f.real(280 + 16 * r + 4 * $0, width: 4) } },
            xyztUnits: Int(f.bytes[123]), intentCode: f.int(68, width: 2),
            description: f.string(148, length: 80))
    }

    private static func parse2(_ f: FieldReader, path: String) throws -> NIfTIHeader {
        let magic = Array(f.bytes[4..<12])
        guard magic == magic2 else {
            throw InputError(path: path, location: "byte 4 (magic)", "wrong NIfTI-2 magic \(describe(magic)); expected \"n+2\\0\\r\\n\\032\\n\"")
        }
        return NIfTIHeader(
            version: 2, isBigEndian: f.bigEndian,
            dim: (0..<8).map { f.int(16 + 8 * $0, width: 8) },
            pixdim: (0..<8).map { f.real(104 + 8 * $0, width: 8) },
            datatype: f.int(12, width: 2), bitpix: f.int(14, width: 2),
            voxOffset: f.int(168, width: 8),
            sclSlope: f.real(176, width: 8), sclInter: f.real(184, width: 8),
            qformCode: f.int(344, width: 4), sformCode: f.int(348, width: 4),
            quaternion: Vec3(f.real(352, width: 8), f.real(360, width: 8), f.real(368, width: 8)),
            qoffset: Vec3(f.real(376, width: 8), f.real(384, width: 8), f.real(392, width: 8)),
            srow: (0..<3).map { r in (0..<4).map { f.real(400 + 32 * r + 8 * $0, width: 8) } },
            xyztUnits: f.int(500, width: 4), intentCode: f.int(504, width: 4),
            description: f.string(240, length: 80))
    }

    /// NIfTI-1 stores vox_offset as a float; it must be a whole, non-negative byte count.
    private static func integralOffset(_ v: Double, path: String) throws -> Int {
        guard v.isFinite, v >= 0, v == v.rounded(), v < 1e15 else {
            throw InputError(path: path, location: "byte 108 (vox_offset)", "vox_offset \(v) is not a whole byte offset")
        }
        return Int(v)
    }

    private static func describe(_ bytes: [UInt8]) -> String {
        "\"" + bytes.map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined() + "\""
    }
}

// MARK: - Encoding

extension NIfTIHeader {
    /// The header as little-endian bytes followed by the 4-byte "no extensions" flag, so the data
    /// starts right after (vox_offset 352 for NIfTI-1, 544 for NIfTI-2).
    func encoded() -> [UInt8] {
        var w = FieldWriter(count: headerSize + 4)
        if version == 2 {
            w.int(540, at: 0, width: 4)
            w.bytes.replaceSubrange(4..<12, with: Self.magic2)
            w.int(datatype, at: 12, width: 2); w.int(bitpix, at: 14, width: 2)
            for i in 0..<8 { w.int(dim[i], at: 16 + 8 * i, width: 8); w.real(pixdim[i], at: 104 + 8 * i, width: 8) }
            w.int(voxOffset, at: 168, width: 8)
            w.real(sclSlope, at: 176, width: 8); w.real(sclInter, at: 184, width: 8)
            w.string(description, at: 240, length: 80)
            w.int(qformCode, at: 344, width: 4); w.int(sformCode, at: 348, width: 4)
            for i in 0..<3 {
                w.real(quaternion[i], at: 352 + 8 * i, width: 8); w.real(qoffset[i], at: 376 + 8 * i, width: 8)
                for c in 0..<4 { w.real(srow[i][c], at: 400 + 32 * i + 8 * c, width: 8) }
            }
            w.int(xyztUnits, at: 500, width: 4); w.int(intentCode, at: 504, width: 4)
        } else {
            w.int(348, at: 0, width: 4)
            w.bytes[38] = UInt8(ascii: "r")   // regular = 'r' (Analyze legacy, nibabel writes it)
            for i in 0..<8 { w.int(dim[i], at: 40 + 2 * i, width: 2); w.real(pixdim[i], at: 76 + 4 * i, width: 4) }
            w.int(intentCode, at: 68, width: 2)
            w.int(datatype, at: 70, width: 2); w.int(bitpix, at: 72, width: 2)
            w.real(Double(voxOffset), at: 108, width: 4)
            w.real(sclSlope, at: 112, width: 4); w.real(sclInter, at: 116, width: 4)
            w.bytes[123] = UInt8(truncatingIfNeeded: xyztUnits)
            w.string(description, at: 148, length: 80)
            w.int(qformCode, at: 252, width: 2); w.int(sformCode, at: 254, width: 2)
            for i in 0..<3 {
                w.real(quaternion[i], at: 256 + 4 * i, width: 4); w.real(qoffset[i], at: 268 + 4 * i, width: 4)
                for c in 0..<4 { w.real(srow[i][c], at: 280 + 16 * i + 4 * c, width: 4) }
            }
            w.bytes.replaceSubrange(344..<348, with: Self.magic1)
        }
        return w.bytes
    }
}

// MARK: - Byte-level field access

/// Reads integer, real and text fields at fixed offsets in a given byte order.
struct FieldReader {
    let bytes: [UInt8]
    let bigEndian: Bool

    private func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
        let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        return bigEndian ? T(bigEndian: raw) : T(littleEndian: raw)
    }

    /// A signed integer field of `width` bytes (2, 4 or 8).
    func int(_ offset: Int, width: Int) -> Int {
        switch width {
        case 2: Int(load(offset, Int16.self))
        case 4: Int(load(offset, Int32.self))
        default: Int(truncatingIfNeeded: load(offset, Int64.self))
        }
    }

    /// An IEEE float field of `width` bytes (4 or 8).
    func real(_ offset: Int, width: Int) -> Double {
        width == 4 ? Double(Float(bitPattern: load(offset, UInt32.self))) : Double(bitPattern: load(offset, UInt64.self))
    }

    /// A NUL-terminated text field.
    func string(_ offset: Int, length: Int) -> String {
        let field = bytes[offset..<offset + length]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Writes little-endian fields into a zero-filled buffer.
struct FieldWriter {
    var bytes: [UInt8]

    init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

    private mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }

    mutating func int(_ value: Int, at offset: Int, width: Int) {
        switch width {
        case 2: store(Int16(truncatingIfNeeded: value), at: offset)
        case 4: store(Int32(truncatingIfNeeded: value), at: offset)
        default: store(Int64(value), at: offset)
        }
    }

    mutating func real(_ value: Double, at offset: Int, width: Int) {
        if width == 4 { store(Float(value).bitPattern, at: offset) } else { store(value.bitPattern, at: offset) }
    }

    /// Text truncated to `length - 1` bytes on a character boundary, NUL-padded.
    mutating func string(_ value: String, at offset: Int, length: Int) {
        var utf8 = Array(value.utf8.prefix(length - 1))
        while !utf8.isEmpty, String(bytes: utf8, encoding: .utf8) == nil { utf8.removeLast() }
        bytes.replaceSubrange(offset..<offset + utf8.count, with: utf8)
    }
}
