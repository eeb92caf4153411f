// Every file of ../shared/data/dicom read by us and by pydicom: the same elements, bytes and values,
// or — where pydicom cannot read a file — a specific InputError from us.
import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport

@Suite("Parser against pydicom")
struct ParserReferenceTests {
    @Test("every shared DICOM file parses like pydicom or is refused with an InputError",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func corpusMatchesPydicom() throws {
        let files = DicomCorpus.files()
        #expect(files.count > 150)
        let json = try ExternalTool.python("dicom_dump.py", ["elements"] + files.map(\.path))
        let references = try JSONDecoder().decode([ReferenceFile].self, from: Data(json.utf8))
        var agreed = 0, refusedLikePydicom = 0
        var problems: [String] = []
        for (url, reference) in zip(files, references) {
            let name = url.path.replacingOccurrences(of: TestPaths.sharedData!.path + "/", with: "")
            let file: DicomFile
            do {
                file = try DicomFile.read(contentsOf: url)
            } catch let error as InputError {
                // pydicom reads some truncated files leniently; refusing them is right when dcmtk refuses too.
                if reference.status != "error" && reference.forced != true && !Self.dcmtkRefuses(url) {
                    problems.append("\(name): we refused (\(error)) but pydicom and dcmtk read it")
                }
                if error.path != url.path { problems.append("\(name): the error does not name the file: \(error)") }
                refusedLikePydicom += 1
                continue
            }
            if reference.status == "ok", reference.elements?.isEmpty == true, !file.dataSet.isEmpty {
                // pydicom silently returns an empty data set (a truncated encapsulated pixel data
                // sequence): we keep the header, must say so, and must refuse the pixels.
                if file.warnings.isEmpty { problems.append("\(name): pydicom reads nothing; we read it without a warning") }
                if (try? file.storedValues(frame: file.numberOfFrames - 1)) != nil {
                    problems.append("\(name): pydicom reads nothing; we decoded its last frame")
                }
                refusedLikePydicom += 1
                continue
            }
            guard reference.status == "ok", let elements = reference.elements else {
                problems.append("\(name): pydicom refuses it (\(reference.error ?? "")) but we read it without error")
                continue
            }
            let diffs = differences(file.meta, reference.meta ?? [], explicitVR: true, path: "meta ")
                + differences(file.dataSet, elements, explicitVR: file.transferSyntax.isExplicitVR)
            if diffs.isEmpty { agreed += 1 } else { problems.append("\(name):\n  " + diffs.prefix(6).joined(separator: "\n  ")) }
        }
        #expect(problems.isEmpty, "\(problems.count) files differ:\n\(problems.joined(separator: "\n"))")
        print("parser vs pydicom: \(agreed) files identical, \(refusedLikePydicom) refused by both, of \(files.count)")
    }

    @Test("the non-DICOM files beside the corpus (text, JSON, multipart, gzip) are refused and not sniffed as DICOM",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func nonDicomRefused() throws {
        let files = DicomCorpus.nonDicomFiles()
        #expect(files.count >= 10)
        for url in files {
            #expect(!DicomFile.looksLikeDicom(url), "\(url.lastPathComponent)")
            #expect(throws: InputError.self, "\(url.lastPathComponent)") { try DicomFile.read(contentsOf: url) }
        }
    }

    static func dcmtkRefuses(_ url: URL) -> Bool {
        guard let r = try? ExternalTool.run("dcmdump", ["-q", url.path]) else { return false }
        return r.status != 0
    }
}
