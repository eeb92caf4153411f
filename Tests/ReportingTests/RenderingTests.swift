// The renderings of a whole result document: PDF text and pages, DICOM objects, FHIR bundle.
import Foundation
import Testing
import DICOM
import OpenBCTCore
import ResultModel
@testable import Reporting
import TestSupport

@Suite("Renderings of a result document")
struct RenderingTests {
    @Test("renderAll writes the PDF, Encapsulated PDF, SR, SEG and FHIR bundle")
    func renderAll() throws {
        let (doc, dir) = try FixtureDocument.make()
        let out = try TestPaths.temporaryDirectory("report-out")
        let result = try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out)
        #expect(result.skipped.isEmpty)
        #expect(Set(result.files.map(\.lastPathComponent)) == [ReportRenderer.pdfName, ReportRenderer.encapsulatedPDFName,
                                                                ReportRenderer.structuredReportName, ReportRenderer.segmentationName,
                                                                ReportRenderer.fhirName])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test("the PDF's text (pdftotext) carries patient, findings, classes, interpretation and the notice on every page",
          .enabled(if: ExternalTool.isAvailable("pdftotext"), "needs poppler-utils"))
    func pdfText() throws {
        let (doc, dir) = try FixtureDocument.make()
        let pdf = try ReportRenderer.renderPDF(document: doc, documentDirectory: dir)
        let url = dir.appendingPathComponent("report.pdf")
        try writeAtomically(pdf, to: url)
        let info = try ExternalTool.run("pdfinfo", [url.path]).stdout
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        #expect((2...3).contains(pages), "pages: \(pages)")
        for page in 1...max(1, pages) {
            let text = try ExternalTool.run("pdftotext", ["-f", "\(page)", "-l", "\(page)", "-layout", url.path, "-"]).stdout
            #expect(text.contains("For research use only"), "page \(page) lacks the notice")
        }
        let text = try ExternalTool.run("pdftotext", [url.path, "-"]).stdout
        for expected in ["Anna Müller", "P-001", "2026-11-01", "INCREASED", "3,380 N", "5,200 N", "92 mg/cm³", "−1.9", "low strength",
                         "1.03", "transition zone", "−5.0 %", "Thresholds derived for another system", "PRELIMINARY",
                         "right hip strength", "LIMITATIONS", "METHODS", "0554T"] {
            #expect(text.contains(expected), "missing \"\(expected)\"")
        }
    }

    @Test("a signed re-render names the signer and time in the PDF and marks the SR verified")
    func signed() throws {
        let (doc, dir) = try FixtureDocument.make()
        let signature = ReportSignature(name: "Dr. Jane Roe", time: Date(timeIntervalSince1970: 1_795_000_000))
        let out = try TestPaths.temporaryDirectory("report-signed")
        try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out, signature: signature)
        let text = try ExternalTool.run("pdftotext", [out.appendingPathComponent(ReportRenderer.pdfName).path, "-"]).stdout
        #expect(text.contains("Electronically signed by Dr. Jane Roe"))
        #expect(!text.contains("PRELIMINARY"))
        let sr = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["sr", out.appendingPathComponent(ReportRenderer.structuredReportName).path]))
        #expect(sr["verification"] as? String == "VERIFIED")
        #expect(sr["verifier"] as? String == "Dr. Jane Roe")
    }

    @Test("a missing figure file is an InputError naming it, and nothing is written")
    func missingFigure() throws {
        let (doc, dir) = try FixtureDocument.make()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("dxa-left.png"))
        let out = try TestPaths.temporaryDirectory("report-missing")
        #expect { try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out) } throws: { error in
            "\(error)".contains("dxa-left.png")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }
}

@Suite("Machine-readable renderings of a result document")
struct MachineReadableTests {
    @Test("the FHIR bundle validates with fhir.resources (R4B) and carries LOINC/UCUM observations and the PDF")
    func fhir() throws {
        let (doc, dir) = try FixtureDocument.make()
        let out = try TestPaths.temporaryDirectory("report-fhir")
        try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out)
        let pdfBytes = try Data(contentsOf: out.appendingPathComponent(ReportRenderer.pdfName)).count
        let r = try decodeJSON(try ExternalTool.python("fhir_bundle_check.py", [out.appendingPathComponent(ReportRenderer.fhirName).path]))
        let resources = try #require(r["resources"] as? [String: Int])
        #expect(resources["DiagnosticReport"] == 1 && resources["Patient"] == 1 && resources["ImagingStudy"] == 1)
        let codes = try #require(r["observationCodes"] as? [String])
        for code in ["http://loinc.org|80948-3", "http://loinc.org|80946-7", "http://loinc.org|80954-1", "urn:openbct:codes|OBCT001",
                     "urn:openbct:codes|OBCT002", "urn:openbct:codes|OBCT005", "urn:openbct:codes|OBCT004"] {
            #expect(codes.contains(code), "no observation \(code)")
        }
        let units = Set(try #require(r["units"] as? [String]))
        #expect(units.isSuperset(of: ["N", "g/cm2", "mg/cm3", "{SD}", "%", "N/mm"]))
        let report = try #require(r["report"] as? [String: Any])
        #expect(report["status"] as? String == "preliminary")
        #expect(report["code"] as? String == "95924-7")
        #expect(report["isPDF"] as? Bool == true && report["pdfBytes"] as? Int == pdfBytes)
        #expect(report["results"] as? Int == codes.count)
        #expect(report["conclusionCode"] as? String == "OBCT112")
    }

    @Test("the SR passes dciodvfy and highdicom reads TID 1500 groups with their coded measurements",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func structuredReport() throws {
        let (doc, dir) = try FixtureDocument.make()
        let out = try TestPaths.temporaryDirectory("report-sr")
        try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out)
        let url = out.appendingPathComponent(ReportRenderer.structuredReportName)
        let errors = try dciodvfyErrors(url)
        #expect(errors.isEmpty, "dciodvfy: \(errors)")
        let sr = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["sr", url.path]))
        #expect(sr["template"] as? String == "1500")
        #expect(sr["verification"] as? String == "UNVERIFIED")
        #expect(sr["studyUID"] as? String == doc.study.studyInstanceUID)
        #expect(sr["evidenceInstances"] as? Int == doc.study.sopInstanceUIDs.count)
        let groups = try #require(sr["groups"] as? [[String: Any]])
        let femur = try #require(groups.first { $0["tracking"] as? String == "left femur" })
        #expect(femur["site"] as? String == "71341001")
        let m = try #require(femur["measurements"] as? [[String: Any]])
        let strength = try #require(m.first { $0["code"] as? String == "OBCT001" })
        #expect(strength["value"] as? Double == 3381.7 && strength["unit"] as? String == "N")
        #expect(m.contains { $0["code"] as? String == "80946-7" && $0["value"] as? Double == -1.5 })
        let evaluations = try #require(femur["evaluations"] as? [[String: Any]])
        #expect(evaluations.contains { $0["code"] as? String == "OBCT003" && $0["value"] as? String == "OBCT102" })
        #expect(groups.contains { $0["tracking"] as? String == "L1 vertebra" && $0["site"] as? String == "66794005" })
    }

    @Test("the SEG and Encapsulated PDF of a rendered document pass dciodvfy and join the source study",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func dicomObjects() throws {
        let (doc, dir) = try FixtureDocument.make()
        let out = try TestPaths.temporaryDirectory("report-dcm")
        try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out)
        for name in [ReportRenderer.segmentationName, ReportRenderer.encapsulatedPDFName] {
            let url = out.appendingPathComponent(name)
            let errors = try dciodvfyErrors(url)
            #expect(errors.isEmpty, "\(name): \(errors)")
            let file = try DicomFile.read(contentsOf: url)
            #expect(file.dataSet.string(.studyInstanceUID) == doc.study.studyInstanceUID)
            #expect(file.dataSet.string(.seriesInstanceUID) != doc.study.seriesInstanceUID)
            #expect(file.dataSet.string(.patientName) == "Müller^Anna")
        }
        let seg = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["seg", out.appendingPathComponent(ReportRenderer.segmentationName).path]))
        #expect((seg["referencedSeries"] as? [String]) == [doc.study.seriesInstanceUID!])
    }

    @Test("a document from a non-DICOM source gets a stable minted study UID and no instance references")
    func notDICOM() throws {
        let (doc, _) = try FixtureDocument.make(sourceIsDICOM: false, withPrior: false)
        let a = SourceStudy(document: doc), b = SourceStudy(document: doc)
        #expect(!a.isDICOM && a.instances.isEmpty)
        #expect(a.studyInstanceUID == b.studyInstanceUID && a.studyInstanceUID.hasPrefix("2.25."))
    }
}

@Suite("Renderings of sparse documents")
struct SparseDocumentTests {
    @Test("a discontinued analysis with no numbers, figures or label map still renders, unclassified, without a SEG")
    func discontinued() throws {
        let (full, dir) = try FixtureDocument.make(sourceIsDICOM: false, withPrior: false)
        var doc = full
        doc.status = .discontinued
        doc.assessment = nil; doc.strength = []; doc.densitometry = DensitometryRecord(); doc.figures = []; doc.anatomy = nil
        doc.calibration = nil; doc.billing = nil
        doc.omissions = [Omission(part: "all sites", reason: "analysis stopped: no eligible site")]
        let out = try TestPaths.temporaryDirectory("report-sparse")
        let result = try ReportRenderer.renderAll(document: doc, documentDirectory: dir, outputDirectory: out)
        #expect(result.skipped.count == 1 && result.skipped[0].hasPrefix(ReportRenderer.segmentationName))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(ReportRenderer.segmentationName).path))
        let text = try ExternalTool.run("pdftotext", [out.appendingPathComponent(ReportRenderer.pdfName).path, "-"]).stdout
        #expect(text.contains("NOT CLASSIFIED"))
        #expect(text.contains("analysis stopped: no eligible site"))
        if ExternalTool.isAvailable("dciodvfy") {
            for name in [ReportRenderer.structuredReportName, ReportRenderer.encapsulatedPDFName] {
                let errors = try dciodvfyErrors(out.appendingPathComponent(name))
                #expect(errors.isEmpty, "\(name): \(errors)")
            }
        }
        _ = try decodeJSON(try ExternalTool.python("fhir_bundle_check.py", [out.appendingPathComponent(ReportRenderer.fhirName).path]))
    }
}

@Suite("Figure integrity")
struct FigureIntegrityTests {
    @Test("a figure file altered after the analysis (SHA-256 mismatch) is refused, naming it")
    func alteredFigure() throws {
        let (doc, dir) = try FixtureDocument.make()
        let url = dir.appendingPathComponent("ct-hip-coronal.png")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: url)
        #expect { try ReportRenderer.renderPDF(document: doc, documentDirectory: dir) } throws: { error in
            "\(error)".contains("ct-hip-coronal.png") && "\(error)".contains("SHA-256")
        }
    }
}
