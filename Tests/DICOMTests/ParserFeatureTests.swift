// Parser features the shared corpus does not cover, on files written by pydicom
// (Tests/Python/dicom_make_cases.py) and on hand-encoded bytes with known answers.
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
private func le32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

@Suite("Parser features")
struct ParserFeatureTests {
    /// Writes the pydicom cases once per test and returns their folder.
    static func makeCases() throws -> URL {
        let dir = try TestPaths.temporaryDirectory("dicom-cases")
        _ = try ExternalTool.python("dicom_make_cases.py", [dir.path])
        return dir
    }

    static func read(_ dir: URL, _ name: String) throws -> DicomFile {
        try DicomFile.read(contentsOf: dir.appendingPathComponent(name))
    }

    @Test("pydicom-written cases parse to the same elements and values as pydicom reads")
    func casesMatchPydicom() throws {
        let dir = try Self.makeCases()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "bare.dcm" }.sorted()
        #expect(names.count == 7)
        let json = try ExternalTool.python("dicom_dump.py", ["elements"] + names.map { dir.appendingPathComponent($0).path })
        let references = try JSONDecoder().decode([ReferenceFile].self, from: Data(json.utf8))
        for (name, reference) in zip(names, references) {
            let file = try Self.read(dir, name)
            #expect(reference.status == "ok")
            let diffs = differences(file.dataSet, reference.elements ?? [], explicitVR: file.transferSyntax.isExplicitVR)
            #expect(diffs.isEmpty, "\(name): \(diffs)")
        }
    }

    @Test("ISO_IR 100 and ISO_IR 192 text decodes exactly; other repertoires fall back to Latin-1 with a warning")
    func characterSets() throws {
        let dir = try Self.makeCases()
        defer { try? FileManager.default.removeItem(at: dir) }
        let latin1 = try Self.read(dir, "latin1.dcm")
        #expect(latin1.dataSet.characterSet == .latin1)
        #expect(latin1.dataSet.string(.patientName) == "Buc^Jérôme")
        #expect(latin1.dataSet.string(.institutionName) == "Hôpital Général")
        #expect(latin1.warnings.isEmpty)
        let utf8 = try Self.read(dir, "utf8.dcm")
        #expect(utf8.dataSet.characterSet == .utf8)
        #expect(utf8.dataSet.string(.patientName) == "Wang^XiaoDong=王^小東")
        #expect(utf8.dataSet.strings(.studyDescription) == ["Straße", "Œuvre", "日本"])
        let cyrillic = try Self.read(dir, "cyrillic.dcm")
        #expect(cyrillic.dataSet.characterSet == .unsupported("ISO_IR 144"))
        #expect(cyrillic.warnings.contains { $0.contains("ISO_IR 144") })
        #expect(cyrillic.dataSet.string(.patientName)?.isEmpty == false)
    }

    @Test("nested sequences with defined and undefined lengths, implicit VR LE and explicit VR BE")
    func nestedSequences() throws {
        let dir = try Self.makeCases()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["nested.dcm", "nested_be.dcm"] {
            let file = try Self.read(dir, name)
            let outer = try #require(file.dataSet.sequence(.contentSequence))
            #expect(outer.count == 1)
            let middle = try #require(outer[0].sequence(.contentSequence))
            #expect(middle.count == 2)
            let codes = try #require(middle[1].sequence(.conceptNameCodeSequence))
            #expect(codes.map { $0.string(.codeMeaning) } == ["Finding", "Of Interest"])
            #expect(middle[0].string(.textValue) == "deepest")
            #expect(file.dataSet.sequence(.referencedSeriesSequence)?.isEmpty == true)
            #expect(file.dataSet.int(.numberOfFrames) == 1)
        }
    }

    @Test("multi-valued, padded and binary values through the typed accessors")
    func typedValues() throws {
        let dir = try Self.makeCases()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ds = try Self.read(dir, "padded.dcm").dataSet
        #expect(ds.doubles(.imagePositionPatient) == [-12.5, 300, 7])
        #expect(ds.int(.instanceNumber) == 42)
        #expect(ds.strings(.imageType) == ["DERIVED", "SECONDARY", ""])
        #expect(ds.int(.smallestImagePixelValue) == 7)
        #expect(ds.doubles(.spiralPitchFactor) == [0.5, 1.25e-3])
        #expect(ds.doubles(.pixelSpacing) == [0.488281, 0.488281])
        #expect(ds.int(.exposure) == nil && ds.contains(.exposure))
    }

    @Test("a file meta group at byte 0, and a bare implicit VR data set, are read (the latter with a warning)")
    func noPreamble() throws {
        let dir = try Self.makeCases()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noPreamble = try Self.read(dir, "no_preamble.dcm")
        #expect(noPreamble.transferSyntax == .explicitVRLittleEndian)
        #expect(noPreamble.dataSet.string(.patientID) == "NOPREAMBLE")
        let bare = try Self.read(dir, "bare.dcm")
        #expect(bare.meta.isEmpty)
        #expect(bare.transferSyntax == .implicitVRLittleEndian)
        #expect(bare.warnings.contains { $0.contains("inferred") })
        #expect(try bare.storedValues(frame: 0) == [1, -1, -32768, 32767])
        #expect(DicomFile.looksLikeDicom(dir.appendingPathComponent("bare.dcm")))
        #expect(DicomFile.looksLikeDicom(dir.appendingPathComponent("latin1.dcm")))
        let notDicom = dir.appendingPathComponent("notes.txt")
        try Data("Rows: 512, Columns: 512\n".utf8).write(to: notDicom)
        #expect(!DicomFile.looksLikeDicom(notDicom))
        #expect(throws: InputError.self) { try DicomFile.read(contentsOf: notDicom) }
    }

    // MARK: Hand-encoded bytes

    /// Little-endian explicit VR element bytes.
    static func element(_ g: UInt16, _ e: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        var out = le16(g) + le16(e) + Array(vr.utf8)
        if ["OB", "OW", "SQ", "UN", "UT", "OV"].contains(vr) { out += [0, 0] + le32(UInt32(value.count)) } else { out += le16(UInt16(value.count)) }
        return out + value
    }

    @Test("UN of undefined length is read as an implicit VR little endian sequence (PS3.5 §6.2.2)")
    func unknownUndefinedLength() throws {
        let inner = le16(0x0008) + le16(0x0100) + le32(6) + Array("121071".utf8)   // implicit VR inside
        var bytes = Self.element(0x0008, 0x0060, "CS", Array("CT".utf8))
        bytes += le16(0x0018) + le16(0x9346) + Array("UN".utf8) + [0, 0] + le32(0xFFFF_FFFF)
        bytes += le16(0xFFFE) + le16(0xE000) + le32(0xFFFF_FFFF) + inner + le16(0xFFFE) + le16(0xE00D) + le32(0)
        bytes += le16(0xFFFE) + le16(0xE0DD) + le32(0)
        bytes += Self.element(0x0020, 0x0013, "IS", Array("5 ".utf8))
        let file = try DicomFile.read(data: Data(bytes))
        #expect(file.transferSyntax == .explicitVRLittleEndian)
        let items = try #require(file.dataSet.sequence(Tag(0x0018, 0x9346)))
        #expect(items.count == 1 && items[0].string(.codeValue) == "121071")
        #expect(file.dataSet.int(.instanceNumber) == 5)
    }

    /// A one-row, `frames`-frame 8-bit data set with the given encapsulated fragments (RLE syntax).
    static func encapsulated(frames: Int, offsets: [UInt64], fragments: [[UInt8]],
                             extendedOffsets: [Int] = [], extendedLengths: [Int] = []) throws -> DicomFile {
        var ds = DataSet()
        for (tag, v) in [(Tag.rows, 1), (.columns, 2), (.bitsAllocated, 8), (.bitsStored, 8), (.samplesPerPixel, 1)] {
            ds.set(tag, .US, ints: [v])
        }
        ds.set(.numberOfFrames, .IS, ints: [frames])
        if !extendedOffsets.isEmpty {
            ds.set(.extendedOffsetTable, .OV, ints: extendedOffsets)
            ds.set(.extendedOffsetTableLengths, .OV, ints: extendedLengths)
        }
        ds.set(DataElement(tag: .pixelData, vr: .OB,
                           value: .encapsulated(EncapsulatedPixelData(basicOffsetTable: offsets, fragments: fragments))))
        let rle = try #require(TransferSyntax.named("1.2.840.10008.1.2.5"))
        let data = try DicomWriter.write(dataSet: ds, sopClassUID: "1.2.840.10008.5.1.4.1.1.7",
                                         sopInstanceUID: UID.generate(), transferSyntax: rle)
        return try DicomFile.read(data: data)
    }

    @Test("encapsulated frames: split by Basic Offset Table, one fragment per frame, codestream markers, else refused")
    func frameSplitting() throws {
        let soi: [UInt8] = [0xFF, 0xD8, 1, 2], more: [UInt8] = [3, 4], soc: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51]
        // BOT: frame 0 = fragments 0+1, frame 1 = fragment 2 (offsets count item headers: 8 + 4, 8 + 2).
        let bot = try Self.encapsulated(frames: 2, offsets: [0, 22], fragments: [soi, more, soi])
        #expect(try bot.encodedFrame(0) == soi + more)
        #expect(try bot.encodedFrame(1) == soi)
        // No BOT, fragments == frames.
        let each = try Self.encapsulated(frames: 3, offsets: [], fragments: [more, more, soi])
        #expect(try each.encodedFrame(2) == soi)
        // No BOT, more fragments than frames: JPEG SOI / J2K SOC markers start frames.
        let markers = try Self.encapsulated(frames: 2, offsets: [], fragments: [soc, more, more, soc, more])
        #expect(try markers.encodedFrame(0) == soc + more + more)
        #expect(try markers.encodedFrame(1) == soc + more)
        // Extended Offset Table (with an empty BOT): offsets of each frame's item; its lengths exclude
        // the padding byte of an odd-length frame (item 0 holds 5 + 1 bytes, so item 1 is at 14).
        let eot = try Self.encapsulated(frames: 2, offsets: [], fragments: [soi + [9], soi],
                                        extendedOffsets: [0, 14], extendedLengths: [5, 4])
        #expect(try eot.encodedFrame(0) == soi + [9])
        #expect(try eot.encodedFrame(1) == soi)
        // Ambiguous: refused, not guessed.
        let ambiguous = try Self.encapsulated(frames: 2, offsets: [], fragments: [soc, more, more])
        #expect(throws: InputError.self) { try ambiguous.encodedFrame(1) }
        // A frame index out of range.
        #expect(throws: InputError.self) { try bot.encodedFrame(2) }
    }

    @Test("decodeFrame rescales exactly stored × slope + intercept", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func rescaledDecode() throws {
        for name in ["CTImage.dcm", "CTImage.dcm_BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2.dcm"] {
            let file = try DicomFile.read(contentsOf: TestPaths.shared("dicom/one-ct-15-syntaxes/" + name))
            let stored = try file.storedValues(frame: 0)
            var out = [Float](repeating: .nan, count: stored.count)
            try out.withUnsafeMutableBufferPointer { try file.decodeFrame(0, rescaledInto: $0, slope: 1.5, intercept: -1024) }
            #expect(out == stored.map { Float($0) * 1.5 - 1024 })
            var wrongSize = [Float](repeating: 0, count: 3)
            #expect(throws: InputError.self) {
                try wrongSize.withUnsafeMutableBufferPointer { try file.decodeFrame(0, rescaledInto: $0, slope: 1, intercept: 0) }
            }
        }
    }

    @Test("missing BitsAllocated, truncated pixel data and unknown syntaxes give InputErrors naming the fault")
    func pixelErrors() throws {
        var ds = DataSet()
        ds.set(.rows, .US, ints: [2]); ds.set(.columns, .US, ints: [2])
        ds.set(.pixelData, .OW, bytes: [0, 0, 0, 0, 0, 0])
        let noBits = try DicomFile.read(data: DicomWriter.write(dataSet: ds, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4"))
        #expect { try noBits.storedValues(frame: 0) } throws: { ($0 as? InputError)?.location?.contains("BitsAllocated") == true }
        ds.set(.bitsAllocated, .US, ints: [16])
        let truncated = try DicomFile.read(data: DicomWriter.write(dataSet: ds, sopClassUID: "1.2.3", sopInstanceUID: "1.2.3.4"))
        #expect { try truncated.storedValues(frame: 0) } throws: { ($0 as? InputError)?.message.contains("truncated") == true }
        let video = TransferSyntax.named("1.2.840.10008.1.2.4.102")!
        let mpeg = try Self.encapsulated(frames: 1, offsets: [], fragments: [[0, 0, 1, 0xB3]])
        let renamed = DicomFile(path: "x.dcm", meta: mpeg.meta, dataSet: mpeg.dataSet, transferSyntax: video, warnings: [])
        #expect { try renamed.storedValues(frame: 0) } throws: {
            let e = $0 as? InputError
            return e?.message.contains("1.2.840.10008.1.2.4.102") == true && e?.message.contains("H.264") == true
        }
    }
}
