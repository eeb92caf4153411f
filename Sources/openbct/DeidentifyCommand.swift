// `openbct deidentify`: the research export — DICOM PS3.15 basic-profile de-identification of files.
import ArgumentParser
import DICOMweb
import Foundation
import OpenBCTCore

struct DeidentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deidentify",
        abstract: "De-identify DICOM files (PS3.15 Basic Application Level Confidentiality Profile) into a folder.",
        discussion: "UIDs are replaced consistently across all files of one run. See docs/deidentification.md.")

    @Argument(help: "DICOM files or folders (one level deep).") var paths: [String]
    @Option(help: "Output folder (files named <new SOPInstanceUID>.dcm).") var out: String
    @Option(help: "Pseudonym for PatientName and PatientID (else both are emptied).") var pseudonym: String?

    func run() throws {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("\(path) does not exist") }
            if isDirectory.boolValue {
                files += try FileManager.default.contentsOfDirectory(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
                    .filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
            } else { files.append(URL(fileURLWithPath: path)) }
        }
        do {
            let written = try Deidentifier(patientPseudonym: pseudonym).export(files: files, to: URL(fileURLWithPath: out))
            print("de-identified \(written.count) files into \(out) (\(OpenBCT.researchUseNotice))")
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
