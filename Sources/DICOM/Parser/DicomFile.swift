// Reading a DICOM Part-10 file (or a bare data set): preamble, file meta group, transfer syntax, data set.
import Foundation
import OpenBCTCore

/// A parsed DICOM file: its file meta group, its data set and the transfer syntax it was encoded with.
public struct DicomFile: Sendable {
    /// Where the file was read from (used in error messages), if known.
    public let path: String?
    /// The file meta information (group 0002); empty when the file has none.
    public let meta: DataSet
    /// The data set (everything after the meta group).
    public let dataSet: DataSet
    /// The transfer syntax of `dataSet` (from the meta group, or inferred from the bytes).
    public let transferSyntax: TransferSyntax
    /// Non-fatal deviations noticed while reading (missing preamble, inferred syntax, …).
    public let warnings: [String]

    public init(path: String?, meta: DataSet, dataSet: DataSet, transferSyntax: TransferSyntax, warnings: [String]) {
        self.path = path; self.meta = meta; self.dataSet = dataSet; self.transferSyntax = transferSyntax; self.warnings = warnings
    }

    /// Reads a file (memory-mapped). Throws `InputError` naming the file and the faulty tag or byte.
    public static func read(contentsOf url: URL, stopBeforePixelData: Bool = false) throws -> DicomFile {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw InputError(path: url.path, "cannot be read: \(error.localizedDescription)")
        }
        return try read(data: data, path: url.path, stopBeforePixelData: stopBeforePixelData)
    }

    /// Parses DICOM bytes: with or without the 128-byte preamble and "DICM", with or without a meta group.
    public static func read(data: Data, path: String? = nil, stopBeforePixelData: Bool = false) throws -> DicomFile {
        try data.withUnsafeBytes { raw in
            var reader = FileReader(buffer: raw, path: path, stopBeforePixelData: stopBeforePixelData)
            return try reader.read()
        }
    }

    /// A cheap test of the first bytes: "DICM" at offset 128, or a data set that plausibly starts
    /// with group 0002 or 0008 (files without preamble).
    public static func looksLikeDicom(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 132), head.count >= 8 else { return false }
        return head.withUnsafeBytes { raw in
            if raw.count >= 132, raw[128] == 0x44, raw[129] == 0x49, raw[130] == 0x43, raw[131] == 0x4D { return true }
            return FileReader.sniffEncoding(raw, at: 0, strict: true) != nil
        }
    }
}

/// The steps of reading one file.
private struct FileReader {
    let buffer: UnsafeRawBufferPointer
    let path: String?
    let stopBeforePixelData: Bool
    var warnings: [String] = []

    init(buffer: UnsafeRawBufferPointer, path: String?, stopBeforePixelData: Bool) {
        self.buffer = buffer; self.path = path; self.stopBeforePixelData = stopBeforePixelData
    }

    mutating func read() throws -> DicomFile {
        guard !buffer.isEmpty else { throw InputError(path: path, "empty file: not DICOM") }
        var start = 0
        if buffer.count >= 132, buffer[128] == 0x44, buffer[129] == 0x49, buffer[130] == 0x43, buffer[131] == 0x4D {
            start = 132
        }
        var parser = DataSetParser(buffer: buffer, path: path)

        // File meta group: always explicit VR little endian (PS3.10 §7.1) — some writers got that wrong.
        var meta = DataSet()
        if buffer.count - start >= 8, parser.u16(start, false) == 0x0002 {
            let encoding: ElementEncoding = VR(byte0: buffer[start + 4], byte1: buffer[start + 5]) != nil ? .explicitLittle : .implicitLittle
            if encoding == .implicitLittle { warnings.append("file meta group is encoded with implicit VR (PS3.10 requires explicit VR little endian)") }
            let (group, next) = try parser.parseDataSet(from: start, to: buffer.count, encoding: encoding,
                                                        characterSet: .defaultRepertoire, terminator: .groupChange(0x0002))
            meta = group; start = next
        } else if start == 0 {
            warnings.append("no preamble, \"DICM\" prefix or file meta group: reading a bare data set")
        } else {
            warnings.append("no file meta group after the \"DICM\" prefix")
        }

        let syntax = try transferSyntax(meta: meta, dataStart: start)
        var dataSet: DataSet
        if syntax.isDeflated {
            let inflated = try Inflate.raw(UnsafeRawBufferPointer(rebasing: buffer[start...]), path: path, fileOffset: start)
            dataSet = try inflated.withUnsafeBytes { raw in
                var inner = DataSetParser(buffer: raw, path: path, positionLabel: "inflated byte")
                inner.stopBeforePixelData = stopBeforePixelData
                defer { parser = inner }
                return try inner.parseDataSet(from: 0, to: raw.count, encoding: .explicitLittle,
                                              characterSet: .defaultRepertoire, terminator: .rangeEnd).0
            }
        } else {
            parser.stopBeforePixelData = stopBeforePixelData
            let encoding = try dataEncoding(syntax, dataStart: start)
            dataSet = try parser.parseDataSet(from: start, to: buffer.count, encoding: encoding,
                                              characterSet: .defaultRepertoire, terminator: .rangeEnd).0
        }
        warnings += parser.warnings
        if dataSet.isEmpty && !stopBeforePixelData && meta.isEmpty {
            throw InputError(path: path, "no DICOM data elements found: not a DICOM file")
        }
        dataSet.isBigEndian = syntax.isBigEndian
        return DicomFile(path: path, meta: meta, dataSet: dataSet, transferSyntax: syntax, warnings: warnings)
    }

    /// The syntax named in the meta group, or inferred from the data's first bytes (with a warning).
    mutating func transferSyntax(meta: DataSet, dataStart: Int) throws -> TransferSyntax {
        if let uid = meta.string(.transferSyntaxUID) {
            if let known = TransferSyntax.named(uid) { return known }
            // PS3.5 §10: every other syntax is explicit VR little endian with encapsulated pixels.
            warnings.append("unknown transfer syntax \(uid): read as explicit VR little endian; its pixel data cannot be decoded")
            return TransferSyntax(uid: uid, name: "unknown transfer syntax")
        }
        if buffer.count == dataStart { return .explicitVRLittleEndian }
        guard let encoding = Self.sniffEncoding(buffer, at: dataStart) else {
            throw InputError(path: path, location: "byte \(dataStart)",
                             meta.isEmpty
                ? "not DICOM: no \"DICM\" prefix at byte 128, no file meta group, and the first bytes are not a data element header"
                : "the file meta group names no transfer syntax and the data set does not start with a recognisable element header")
        }
        let inferred: TransferSyntax = !encoding.explicitVR ? .implicitVRLittleEndian
            : encoding.bigEndian ? .explicitVRBigEndian : .explicitVRLittleEndian
        warnings.append("\(meta.isEmpty ? "no file meta group" : "file meta group has no TransferSyntaxUID (0002,0010)"): inferred \(inferred.name) from the data")
        return inferred
    }

    /// The element encoding to parse with. When the declared VR explicitness contradicts the first
    /// element header (a known writer fault), the data's own form wins, with a warning — as dcmtk
    /// and pydicom do. The byte order is always the declared one.
    mutating func dataEncoding(_ syntax: TransferSyntax, dataStart: Int) throws -> ElementEncoding {
        var encoding = ElementEncoding(explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        if let seen = Self.sniffEncoding(buffer, at: dataStart), seen.bigEndian == encoding.bigEndian,
           seen.explicitVR != encoding.explicitVR {
            warnings.append("transfer syntax \(syntax.name) contradicts the data, which is encoded with \(seen.explicitVR ? "explicit" : "implicit") VR: read as found")
            encoding.explicitVR = seen.explicitVR
        }
        return encoding
    }

    /// Guesses the encoding of a data set from its first element header, or nil when it does not
    /// look like DICOM: explicit if bytes 4–5 are a VR, little or big endian by which reading gives
    /// a plausible group. `strict` (for sniffing unknown files) accepts only groups 0002 and 0008;
    /// otherwise any group below 0x0100 whose implicit length fits is taken as little endian.
    static func sniffEncoding(_ buffer: UnsafeRawBufferPointer, at p: Int, strict: Bool = false) -> ElementEncoding? {
        guard buffer.count - p >= 8 else { return nil }
        let little = UInt16(buffer[p]) | UInt16(buffer[p + 1]) << 8
        let big = UInt16(buffer[p]) << 8 | UInt16(buffer[p + 1])
        let explicit = VR(byte0: buffer[p + 4], byte1: buffer[p + 5]) != nil
        let plausible: (UInt16) -> Bool = strict ? { $0 == 0x0002 || $0 == 0x0008 } : { $0 >= 0x0001 && $0 < 0x0100 }
        if plausible(little) {
            if explicit { return .explicitLittle }
            let length = buffer.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self).littleEndian
            return length == 0xFFFF_FFFF || Int(length) <= buffer.count - p - 8 ? .implicitLittle : nil
        }
        if plausible(big) && explicit { return .explicitBig }
        return nil
    }
}
