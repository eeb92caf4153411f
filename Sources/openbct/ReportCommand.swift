// `openbct report RESULT.json [-o DIR] [--signed-by NAME]`: the renderings of a result document.
import ArgumentParser
import Foundation
import Reporting
import ResultModel

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a result document: PDF report, DICOM Encapsulated PDF, SR (TID 1500), SEG and FHIR R4 bundle.",
        discussion: """
        Reads RESULT.json and the figure files it references (beside it, checked against their SHA-256) and \
        writes report.pdf, report-pdf.dcm, report-sr.dcm, segmentation.dcm (when the document references a \
        label map) and diagnostic-report.fhir.json into the output folder (default: the document's folder). \
        Without --signed-by the report is unsigned and preliminary; with it, signed by that name now. \
        Nothing is written unless every rendering succeeds. See docs/report.md.
        """)

    @Argument(help: "The result document (result.json written by `openbct analyze`).")
    var document: String

    @Option(name: .shortAndLong, help: "Output folder (default: the document's folder).")
    var output: String?

    @Option(name: .long, help: "Name of the physician signing the report (signed at the current time).")
    var signedBy: String?

    func run() throws {
        do {
            let url = URL(fileURLWithPath: document)
            let doc = try ResultDocument.read(contentsOf: url)
            let folder = url.deletingLastPathComponent()
            let out = output.map { URL(fileURLWithPath: $0) } ?? folder
            let result = try ReportRenderer.renderAll(document: doc, documentDirectory: folder, outputDirectory: out,
                                                      signature: signedBy.map { ReportSignature(name: $0, time: Date()) })
            for file in result.files { print("wrote \(file.path)") }
            for note in result.skipped { print("not written: \(note)") }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
