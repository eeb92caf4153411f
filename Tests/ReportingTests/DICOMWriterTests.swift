// The DICOM report objects (SEG, SR, Encapsulated PDF): dciodvfy finds no error, pydicom and
// highdicom read back what was written.
import Foundation
import Testing
import DICOM
import OpenBCTCore
@testable import Reporting
import TestSupport

/// A small label map with a left femur (a ball) and an L1 body plus posterior elements (two boxes),
/// on an oblique-free grid with non-unit spacing, and a made-up DICOM source of one image per slice.
enum SyntheticCase {
    static let grid = ImageGrid(dims: SIMD3(24, 20, 6), spacing: Vec3(0.7, 0.8, 2.5), origin: Vec3(-10, 20, -300))

    static func labels() -> Volume<Int32> {
        var v = Volume<Int32>(grid: grid)
        for k in 0..<6 { for j in 0..<20 { for i in 0..<24 {
            let d = Vec3(Double(i) - 6, Double(j) - 6, Double(k) - 2)
            if (d * d).sum() <= 9 { v[i, j, k] = 1 }                      // femur_left
            if (14..<20).contains(i) && (10..<16).contains(j) && k >= 3 { v[i, j, k] = 120 }   // L1_body
            if (14..<20).contains(i) && (16..<19).contains(j) && k >= 3 { v[i, j, k] = 170 }   // L1_posterior
        } } }
        return v
    }

    static let labelTable: [(value: Int32, name: String)] = [(1, "femur_left"), (120, "L1_body"), (170, "L1_posterior")]

    static func study(slices: Int = 6) -> SourceStudy {
        SourceStudy(isDICOM: true, studyInstanceUID: UID.generate(), seriesInstanceUID: UID.generate(),
                    frameOfReferenceUID: UID.generate(),
                    instances: (0..<slices).map { _ in SourceInstance(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: UID.generate()) },
                    patientName: "Müller^Anna", patientID: "P-001", patientBirthDate: "19560312", patientSex: "F",
                    studyDate: "20261101", studyTime: "101500", studyID: "S1", accessionNumber: "A-77")
    }
}

/// dciodvfy's error lines for a file.
func dciodvfyErrors(_ url: URL) throws -> [String] {
    let r = try ExternalTool.run("dciodvfy", [url.path])
    return (r.stdout + r.stderr).split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error") }
}

func decodeJSON(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("DICOM report objects")
struct DICOMWriterTests {
    @Test("the bone SEG passes dciodvfy and highdicom reads its segments, codes, voxels and references",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func segmentation() throws {
        let labels = SyntheticCase.labels()
        let segments = try SegmentDefinition.bones(labelTable: SyntheticCase.labelTable)
        #expect(segments.map(\.label) == ["femur left", "L1 vertebra"])
        let study = SyntheticCase.study()
        let data = try SegmentationWriter.write(labels: labels, segments: segments, study: study, created: Date())
        let dir = try TestPaths.temporaryDirectory("report-seg")
        let url = dir.appendingPathComponent("seg.dcm")
        try writeAtomically(data, to: url)
        let errors = try dciodvfyErrors(url)
        #expect(errors.isEmpty, "dciodvfy: \(errors)")

        let out = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["seg", url.path]))
        let segs = try #require(out["segments"] as? [[String: Any]])
        #expect(segs.map { $0["code"] as? String } == ["71341001", "66794005"])
        #expect(out["studyUID"] as? String == study.studyInstanceUID)
        #expect(out["sourceInstances"] as? Int == 6)
        let femurVoxels = labels.voxels.filter { $0 == 1 }.count
        let spineVoxels = labels.voxels.filter { $0 == 120 || $0 == 170 }.count
        let voxels = try #require(out["voxels"] as? [String: Int])
        #expect(voxels["1"] == femurVoxels && voxels["2"] == spineVoxels)
        let first = try #require(out["firstPosition"] as? [Double])
        #expect(first == [-10, 20, -300])   // femur frames start at slice 0, the grid origin
    }

    @Test("a label name OpenBCT cannot code is refused, not guessed")
    func unknownLabel() {
        #expect(throws: InputError.self) { try SegmentDefinition.bones(labelTable: [(7, "kidney_left")]) }
    }

    @Test("the Encapsulated PDF passes dciodvfy and pydicom gets the PDF back byte for byte",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func encapsulatedPDF() throws {
        let pdf = Data("%PDF-1.5\n% an odd-length body!\n".utf8)
        try #require(pdf.count % 2 == 1)
        let study = SyntheticCase.study()
        let data = try EncapsulatedPDFWriter.write(pdf: pdf, title: "Bone strength report", study: study, created: Date())
        let url = try TestPaths.temporaryDirectory("report-encpdf").appendingPathComponent("pdf.dcm")
        try writeAtomically(data, to: url)
        let errors = try dciodvfyErrors(url)
        #expect(errors.isEmpty, "dciodvfy: \(errors)")
        let out = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["pdf", url.path]))
        #expect(out["length"] as? Int == pdf.count)
        #expect(out["startsWithPDF"] as? Bool == true)
        #expect(out["studyUID"] as? String == study.studyInstanceUID)
        #expect(out["sourceInstances"] as? Int == 6)
    }
}

@Suite("Private coding scheme")
struct PrivateCodeTests {
    @Test("docs/dicom-conformance.md lists every 99OPENBCT code the renderers use, and codes are unique")
    func documented() throws {
        let doc = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/dicom-conformance.md"), encoding: .utf8)
        for code in PrivateCodes.all { #expect(doc.contains(code.value), "\(code.value) \(code.meaning) is not documented") }
        #expect(Set(PrivateCodes.all.map(\.value)).count == PrivateCodes.all.count)
    }
}
