// Writes DICOM Part-10 files: preamble, "DICM", file meta group, data set.
import CZlib
import Foundation
import OpenBCTCore

/// Encodes data sets as DICOM Part-10 files.
public enum DicomWriter {
    /// The Part-10 bytes of `dataSet`: a 128-byte zero preamble, "DICM", the file meta group
    /// (group length, version 00 01, SOP class/instance, transfer syntax, implementation class UID
    /// and version name "OPENBCT_0.1"), then the data set in `transferSyntax`.
    ///
    /// SOPClassUID and SOPInstanceUID (and SpecificCharacterSet, when the data set's repertoire is
    /// not the default) are set in the data set to match the meta group. Values are padded to even
    /// length (UI with NUL, text with space, binary with NUL); binary values are byte-swapped when
    /// the data set's byte order differs from the syntax's. Group-length elements are dropped.
    /// Native and deflated syntaxes need native pixel data; encapsulated syntaxes need
    /// `.encapsulated` pixel data (already compressed). Use `writeAtomically` to store the result.
    public static func write(dataSet: DataSet, sopClassUID: String, sopInstanceUID: String,
                             transferSyntax: TransferSyntax = .explicitVRLittleEndian,
                             sequenceLengths: SequenceLengthEncoding = .undefined) throws -> Data {
        var ds = dataSet
        ds.set(.sopClassUID, .UI, string: sopClassUID)
        ds.set(.sopInstanceUID, .UI, string: sopInstanceUID)
        if let term = ds.characterSet.definedTerm, !ds.contains(.specificCharacterSet) {
            ds.set(.specificCharacterSet, .CS, string: term)
        }
        if let pixels = ds[.pixelData] {
            let isEncapsulated: Bool
            if case .encapsulated = pixels.value { isEncapsulated = true } else { isEncapsulated = false }
            guard isEncapsulated == transferSyntax.isEncapsulated else {
                throw InputError(location: Tag.pixelData.label,
                                 "\(isEncapsulated ? "encapsulated" : "native") pixel data cannot be written as \(transferSyntax.name)")
            }
        }

        var out = [UInt8](repeating: 0, count: 128)
        out += Array("DICM".utf8)
        out += try metaGroup(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax)

        let encoder = ElementEncoder(explicitVR: transferSyntax.isExplicitVR, bigEndian: transferSyntax.isBigEndian,
                                     sequenceLengths: sequenceLengths)
        var body: [UInt8] = []
        body.reserveCapacity((ds[.pixelData]?.bytes.count ?? 0) + 4096)
        try encoder.encode(ds, into: &body)
        out += transferSyntax.isDeflated ? try deflateRaw(body) : body
        return Data(out)
    }

    /// The file meta group in explicit VR little endian, with its group length.
    static func metaGroup(sopClassUID: String, sopInstanceUID: String, transferSyntax: TransferSyntax) throws -> [UInt8] {
        var meta = DataSet()
        meta.set(.fileMetaInformationVersion, .OB, bytes: [0, 1])
        meta.set(.mediaStorageSOPClassUID, .UI, string: sopClassUID)
        meta.set(.mediaStorageSOPInstanceUID, .UI, string: sopInstanceUID)
        meta.set(.transferSyntaxUID, .UI, string: transferSyntax.uid)
        meta.set(.implementationClassUID, .UI, string: UID.implementationClass)
        meta.set(.implementationVersionName, .SH, string: UID.implementationVersionName)
        let encoder = ElementEncoder(explicitVR: true, bigEndian: false, sequenceLengths: .undefined)
        var elements: [UInt8] = []
        try encoder.encode(meta, into: &elements)
        var out: [UInt8] = []
        // Group length is a (gggg,0000) element, which `encode(_:)` drops: encode it by hand.
        out += [0x02, 0x00, 0x00, 0x00] + Array("UL".utf8) + [4, 0]
        withUnsafeBytes(of: UInt32(elements.count).littleEndian) { out.append(contentsOf: $0) }
        return out + elements
    }

    /// Raw deflate (no zlib header), as Deflated Explicit VR Little Endian requires.
    static func deflateRaw(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError("zlib could not be initialised to deflate the data set")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        let status: Int32 = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw InputError("zlib deflate failed (status \(status))") }
        output.removeSubrange(Int(stream.total_out)...)
        if output.count % 2 == 1 { output.append(0) }   // PS3.5 §A.5: pad the deflated stream to even length
        return output
    }
}
