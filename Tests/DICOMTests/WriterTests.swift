// The writer: round trips through pydicom for every syntax and sequence-length form, and a minimal
// CT Image Storage object that dciodvfy accepts with no errors.
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

@Suite("Writer")
struct WriterTests {
    static let writableSyntaxes: [TransferSyntax] = [
        .explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian,
    ]

    @Test("UID.generate gives distinct 2.25 UIDs of at most 64 characters")
    func uids() {
        let a = UID.generate(), b = UID.generate()
        #expect(a != b)
        #expect(a.hasPrefix("2.25.") && a.count <= 64)
        let digitsOnly = a.dropFirst(5).allSatisfy { $0.isNumber }
        #expect(digitsOnly)
        #expect(a.dropFirst(5).first != "0")
        #expect(UID.implementationClass.count <= 64)
    }

    @Test("corpus files re-written in four syntaxes and both sequence-length forms read back identically in pydicom",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func roundTripThroughPydicom() throws {
        let sources = ["pydicom/CT_small.dcm", "pydicom/rtplan.dcm", "pydicom/test-SR.dcm", "pydicom/chr_utf8.dcm",
                       "pydicom-data/eCT_Supplemental.dcm", "pydicom/MR_small_bigendian.dcm", "pydicom/nested_priv_SQ.dcm",
                       "pydicom-data/SC_rgb_expb_16bit_2frame.dcm"]
            .map { TestPaths.shared("dicom/" + $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        #expect(sources.count >= 6)
        let dir = try TestPaths.temporaryDirectory("writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        var written: [(URL, DataSet)] = []
        for (k, source) in sources.enumerated() {
            let original = try DicomFile.read(contentsOf: source)
            let sopClass = original.dataSet.string(.sopClassUID) ?? "1.2.840.10008.5.1.4.1.1.7"
            for (s, syntax) in Self.writableSyntaxes.enumerated() {
                for lengths in [SequenceLengthEncoding.undefined, .defined] {
                    let data = try DicomWriter.write(dataSet: original.dataSet, sopClassUID: sopClass,
                                                     sopInstanceUID: UID.generate(), transferSyntax: syntax, sequenceLengths: lengths)
                    let url = dir.appendingPathComponent("\(k)-\(s)-\(lengths == .defined ? "d" : "u").dcm")
                    try writeAtomically(data, to: url)
                    // Our own reader must agree with itself too (same syntax, same elements).
                    let back = try DicomFile.read(contentsOf: url)
                    #expect(back.transferSyntax == syntax)
                    #expect(back.meta.string(.implementationVersionName) == "OPENBCT_0.1")
                    #expect(back.warnings.isEmpty, "\(url.lastPathComponent): \(back.warnings)")
                    written.append((url, back.dataSet))
                }
            }
        }
        let json = try ExternalTool.python("dicom_dump.py", ["elements"] + written.map(\.0.path))
        let references = try JSONDecoder().decode([ReferenceFile].self, from: Data(json.utf8))
        var problems: [String] = []
        for ((url, ds), reference) in zip(written, references) {
            guard reference.status == "ok", let elements = reference.elements else {
                problems.append("\(url.lastPathComponent): pydicom cannot read it: \(reference.error ?? "")"); continue
            }
            let diffs = differences(ds, elements, explicitVR: true)
            if !diffs.isEmpty { problems.append("\(url.lastPathComponent): " + diffs.prefix(4).joined(separator: "; ")) }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // Pixel values survive every syntax.
        for (url, _) in written where url.lastPathComponent.hasPrefix("0-") {
            let f = try DicomFile.read(contentsOf: url)
            let reference = try DicomFile.read(contentsOf: sources[0])
            #expect(try f.storedValues(frame: 0) == reference.storedValues(frame: 0), "\(url.lastPathComponent)")
        }
    }

    /// A minimal but complete CT Image Storage object built from scratch.
    static func minimalCT() -> DataSet {
        var ds = DataSet()
        ds.set(.specificCharacterSet, .CS, string: "ISO_IR 192")
        ds.characterSet = .utf8
        ds.set(.imageType, .CS, strings: ["ORIGINAL", "PRIMARY", "AXIAL"])
        ds.set(.studyDate, .DA, string: "20240102"); ds.set(.studyTime, .TM, string: "101500")
        ds.set(.contentDate, .DA, string: "20240102"); ds.set(.contentTime, .TM, string: "101500")
        ds.set(.accessionNumber, .SH, string: "")
        ds.set(.modality, .CS, string: "CT")
        ds.set(.manufacturer, .LO, string: "OpenBCT")
        ds.set(.referringPhysicianName, .PN, string: "")
        ds.set(.patientName, .PN, string: "Müller^Jürgen")
        ds.set(.patientID, .LO, string: "PHANTOM-1")
        ds.set(.patientBirthDate, .DA, string: ""); ds.set(.patientSex, .CS, string: "O")
        ds.set(.kvp, .DS, doubles: [120])
        ds.set(.sliceThickness, .DS, doubles: [1.25])
        ds.set(.patientPosition, .CS, string: "HFS")
        ds.set(.laterality, .CS, string: "")
        ds.set(.studyInstanceUID, .UI, string: UID.generate())
        ds.set(.seriesInstanceUID, .UI, string: UID.generate())
        ds.set(.studyID, .SH, string: "1")
        ds.set(.seriesNumber, .IS, ints: [1]); ds.set(.acquisitionNumber, .IS, ints: [1]); ds.set(.instanceNumber, .IS, ints: [1])
        ds.set(.imagePositionPatient, .DS, doubles: [-120.5, -130.25, 42])
        ds.set(.imageOrientationPatient, .DS, doubles: [1, 0, 0, 0, 1, 0])
        ds.set(.frameOfReferenceUID, .UI, string: UID.generate())
        ds.set(.positionReferenceIndicator, .LO, string: "")
        ds.set(.samplesPerPixel, .US, ints: [1])
        ds.set(.photometricInterpretation, .CS, string: "MONOCHROME2")
        ds.set(.rows, .US, ints: [4]); ds.set(.columns, .US, ints: [6])
        ds.set(.pixelSpacing, .DS, doubles: [0.75, 0.8125])
        ds.set(.bitsAllocated, .US, ints: [16]); ds.set(.bitsStored, .US, ints: [12]); ds.set(.highBit, .US, ints: [11])
        ds.set(.pixelRepresentation, .US, ints: [1])
        ds.set(.rescaleIntercept, .DS, doubles: [-1024]); ds.set(.rescaleSlope, .DS, doubles: [1])
        ds.set(.rescaleType, .LO, string: "HU")
        let pixels: [Int16] = (0 ..< 24).map { Int16($0 * 150 - 1500) }
        ds.set(.pixelData, .OW, bytes: pixels.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } })
        return ds
    }

    @Test("a minimal CT Image Storage object passes dciodvfy with 0 errors and reads back in pydicom",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dciodvfy (dicom3tools)"))
    func minimalCTIsValid() throws {
        let dir = try TestPaths.temporaryDirectory("writer-ct")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ctImageStorage = "1.2.840.10008.5.1.4.1.1.2"
        for lengths in [SequenceLengthEncoding.undefined, .defined] {
            let url = dir.appendingPathComponent("ct.dcm")
            try writeAtomically(try DicomWriter.write(dataSet: Self.minimalCT(), sopClassUID: ctImageStorage,
                                                      sopInstanceUID: UID.generate(), sequenceLengths: lengths), to: url)
            let r = try ExternalTool.run("dciodvfy", [url.path])
            let report = r.stdout + r.stderr
            let errors = report.split(separator: "\n").filter { $0.hasPrefix("Error") }
            #expect(errors.isEmpty, "dciodvfy:\n\(report)")
            let file = try DicomFile.read(contentsOf: url)
            #expect(file.dataSet.string(.patientName) == "Müller^Jürgen")
            #expect(try file.storedValues(frame: 0) == (0 ..< 24).map { Int32($0 * 150 - 1500) }.map { v in
                // 12 bits stored, signed: values wrap into −2048…2047.
                Int32(Int16(truncatingIfNeeded: v << 4) >> 4)
            })
            let json = try ExternalTool.python("dicom_dump.py", ["elements", url.path])
            let reference = try JSONDecoder().decode([ReferenceFile].self, from: Data(json.utf8))[0]
            #expect(differences(file.dataSet, reference.elements ?? [], explicitVR: true).isEmpty)
        }
    }
}
