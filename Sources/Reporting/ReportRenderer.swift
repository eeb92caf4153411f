// The one entry point of Reporting: every rendering of a result document, written atomically.
import DICOM
import Foundation
import ImageFormats
import OpenBCTCore
import ResultModel

/// Renders a result document — and only it, with the figure files it references — as the PDF report,
/// a DICOM Encapsulated PDF, a TID 1500 Comprehensive SR, a DICOM SEG of the bones and a FHIR R4
/// bundle.
public enum ReportRenderer {
    /// The files `renderAll` writes, by name.
    public static let pdfName = "report.pdf"
    public static let encapsulatedPDFName = "report-pdf.dcm"
    public static let structuredReportName = "report-sr.dcm"
    public static let segmentationName = "segmentation.dcm"
    public static let fhirName = "diagnostic-report.fhir.json"

    /// What was written, and what was not (with the reason).
    public struct Output: Sendable {
        public var files: [URL]
        /// Renderings that could not be made (e.g. no label map: no SEG), each with the reason.
        public var skipped: [String]
    }

    /// Renders every output of `document` into `outputDirectory`. Figures are read from
    /// `documentDirectory` (the folder the document was written to). `signature` names the physician
    /// who signed (nil: an unsigned, preliminary report). All outputs are made in memory first and
    /// written only when every one of them succeeded, each atomically: an error leaves no new file.
    @discardableResult
    public static func renderAll(document: ResultDocument, documentDirectory: URL, outputDirectory: URL,
                                 signature: ReportSignature? = nil, now: Date = Date()) throws -> Output {
        let study = SourceStudy(document: document)
        let findings = CodedFindings(document: document)
        let figures = FigureFiles(document: document, directory: documentDirectory)
        let pdf = try renderPDF(document: document, documentDirectory: documentDirectory, signature: signature, findings: findings)
        var outputs: [(String, Data)] = [(pdfName, pdf)]
        outputs.append((encapsulatedPDFName, try EncapsulatedPDFWriter.write(
            pdf: pdf, title: "Bone strength and fracture-risk report (research use only)", study: study, created: now)))
        outputs.append((structuredReportName, try StructuredReportWriter.write(findings: findings, study: study, created: now, signature: signature)))
        var skipped: [String] = []
        if let seg = try segmentation(document: document, figures: figures, study: study, created: now) {
            outputs.append((segmentationName, seg))
        } else {
            skipped.append("\(segmentationName): the result document references no label map")
        }
        outputs.append((fhirName, try FHIRBundleWriter.write(document: document, findings: findings, study: study, pdf: pdf,
                                                             signature: signature, created: now)))
        var files: [URL] = []
        for (name, data) in outputs {
            let url = outputDirectory.appendingPathComponent(name)
            try writeAtomically(data, to: url)
            files.append(url)
        }
        return Output(files: files, skipped: skipped)
    }

    /// The PDF report alone (the service re-renders it on signing).
    public static func renderPDF(document: ResultDocument, documentDirectory: URL, signature: ReportSignature? = nil) throws -> Data {
        try renderPDF(document: document, documentDirectory: documentDirectory, signature: signature, findings: CodedFindings(document: document))
    }

    static func renderPDF(document: ResultDocument, documentDirectory: URL, signature: ReportSignature?, findings: CodedFindings) throws -> Data {
        try ReportPDF(document: document, figures: FigureFiles(document: document, directory: documentDirectory),
                      findings: findings, signature: signature).render()
    }

    /// The SEG of the label map the document references, nil when it references none.
    static func segmentation(document: ResultDocument, figures: FigureFiles, study: SourceStudy, created: Date) throws -> Data? {
        guard let reference = figures.figures(.labelMap).first else { return nil }
        let url = try figures.url(of: reference)
        let labels = try ImageFile.read(contentsOf: url).asLabels()
        let table: [(value: Int32, name: String)]
        if let records = document.anatomy?.labelTable, !records.isEmpty {
            table = records.map { (Int32($0.value), $0.name) }
        } else {
            throw InputError(path: url.path, location: "anatomy.labelTable", "the label map has no label table in the result document: its segments cannot be named")
        }
        return try SegmentationWriter.write(labels: labels, segments: SegmentDefinition.bones(labelTable: table), study: study, created: created)
    }
}
