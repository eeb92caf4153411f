// The de-identified research export (DICOM PS3.15 Annex E basic profile): selected studies' CT
// instances through module DICOMweb's `Deidentifier`, and each study's newest result document with
// the same treatment (identifiers replaced or removed, UIDs remapped consistently with the CT, dates
// removed) plus its label map. Written to a new folder under `<dataDirectory>/exports`, atomically:
// a failed export leaves nothing behind.
import DICOMweb
import Foundation
import OpenBCTCore
import ResultModel

struct ResearchExport: Sendable {
    let db: any SQLDatabase
    let dataDirectory: URL

    /// What was exported (no original identifiers: subjects are pseudonyms).
    struct Manifest: Codable, Sendable {
        struct Subject: Codable, Sendable {
            var folder: String
            var pseudonym: String
            var instances: Int
            var results: [String]
            var notes: [String]
        }
        var profile = "DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile (no options)"
        var notice = OpenBCT.researchUseNotice
        var subjects: [Subject]
    }

    /// Exports the studies with database ids `studyIDs`; returns the export folder and its manifest.
    func export(studyIDs: [Int64]) async throws -> (folder: URL, manifest: Manifest) {
        guard !studyIDs.isEmpty else { throw InputError(location: "studies", "select at least one study") }
        let exports = dataDirectory.appendingPathComponent("exports")
        // Build folders of exports a server died in the middle of (no export takes a day).
        ScratchFolders.removeAbandoned(in: exports, prefix: ".export-", olderThan: 86_400)
        let name = "export-\(Timestamp.now())-\(UUID().uuidString.prefix(8).lowercased())"
        let scratch = exports.appendingPathComponent(".\(name)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var finished = false
        defer { if !finished { try? FileManager.default.removeItem(at: scratch) } }

        // One UID map and one pseudonym per patient for the whole export: a subject's studies and
        // results stay linked to each other, and to nothing outside the export.
        let uids = UIDRemapper()
        var pseudonyms: [String: String] = [:]
        var subjects: [Manifest.Subject] = []
        for (index, studyID) in studyIDs.enumerated() {
            guard let study = try await db.first("SELECT folder, patient_id FROM studies WHERE id = ?", studyID),
                  let studyFolder = study.string("folder") else {
                throw InputError(location: "studies", "no study \(studyID)")
            }
            let patient = study.string("patient_id") ?? "study-\(studyID)"
            let pseudonym = pseudonyms[patient] ?? "OBCT-\(UUID().uuidString.prefix(13).uppercased())"
            pseudonyms[patient] = pseudonym
            let folderName = "study-\(index + 1)"
            let out = scratch.appendingPathComponent(folderName)
            let ct = out.appendingPathComponent("ct")
            try FileManager.default.createDirectory(at: ct, withIntermediateDirectories: true)
            let files = Self.dicomFiles(under: URL(fileURLWithPath: studyFolder))
            let exported = try Deidentifier(uids: uids, patientPseudonym: pseudonym).export(files: files, to: ct)

            var subject = Manifest.Subject(folder: folderName, pseudonym: pseudonym, instances: exported.count, results: [], notes: [])
            if let result = try await db.first("""
                SELECT res.document, res.folder FROM results res JOIN jobs j ON j.id = res.job_id
                WHERE j.study_id = ? ORDER BY j.id DESC LIMIT 1
                """, studyID), let text = result.string("document"), let resultFolder = result.string("folder") {
                if let doc = try? ResultDocument.decode(Data(text.utf8)) {
                    let target = out.appendingPathComponent("result")
                    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                    let clean = Self.deidentify(doc, pseudonym: pseudonym, uids: uids)
                    for figure in clean.figures {
                        try FileManager.default.copyItem(at: URL(fileURLWithPath: resultFolder).appendingPathComponent(figure.file),
                                                         to: target.appendingPathComponent(figure.file))
                    }
                    try clean.write(to: target.appendingPathComponent("result.json"))
                    subject.results = ["result/result.json"] + clean.figures.map { "result/\($0.file)" }
                } else {
                    subject.notes.append("result not exported: not an OpenBCT result document")
                }
            } else {
                subject.notes.append("no analysis result for this study")
            }
            subjects.append(subject)
        }
        let manifest = Manifest(subjects: subjects)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(manifest), to: scratch.appendingPathComponent("manifest.json"))
        let folder = exports.appendingPathComponent(name)
        try FileManager.default.moveItem(at: scratch, to: folder)
        finished = true
        return (folder, manifest)
    }

    /// The finished export called `name` (`export-<ms>-<8 hex>`, as `export` names it); nil for any other
    /// name — nothing outside `exports/`, and no unfinished (hidden) export — or when there is none.
    func finishedExport(named name: String) -> URL? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "export", !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              parts[2].count == 8, parts[2].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        let folder = dataDirectory.appendingPathComponent("exports/\(name)")
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue ? folder : nil
    }

    /// Every file of an export folder as (path inside the folder with `/` separators, file), sorted.
    static func files(of folder: URL) -> [(path: String, file: URL)] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        let prefix = folder.standardizedFileURL.path + "/"
        return (walker?.compactMap { $0 as? URL } ?? []).filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }.map { url in
            let path = url.standardizedFileURL.path
            return (path: path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : url.lastPathComponent, file: url)
        }.sorted { $0.path < $1.path }
    }

    /// Every `.dcm` file under `folder`, sorted (the stored layout is `<series>/<sop>.dcm`).
    static func dicomFiles(under folder: URL) -> [URL] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "dcm" }.sorted { $0.path < $1.path }
    }

    /// The result document under the basic profile: patient identity replaced by the pseudonym and
    /// every other patient characteristic removed (no Retain Patient Characteristics option), study
    /// and instance UIDs remapped like the CT's, dates, accession, study ID, descriptions, referring
    /// physician, institution, input paths and file hashes removed; a new analysis id; figures reduced
    /// to the label map (rendered figures are not part of the export).
    static func deidentify(_ doc: ResultDocument, pseudonym: String, uids: UIDRemapper) -> ResultDocument {
        var d = doc
        d.analysisID = UUID().uuidString.lowercased()
        d.createdAt = ""
        d.patient = PatientInfo(id: pseudonym, name: pseudonym)
        var s = StudyInfo(sourceIsDICOM: doc.study.sourceIsDICOM)
        s.studyInstanceUID = doc.study.studyInstanceUID.map(uids.replacement(for:))
        s.seriesInstanceUID = doc.study.seriesInstanceUID.map(uids.replacement(for:))
        s.frameOfReferenceUID = doc.study.frameOfReferenceUID.map(uids.replacement(for:))
        s.sopInstanceUIDs = doc.study.sopInstanceUIDs.map(uids.replacement(for:))
        s.sopClassUID = doc.study.sopClassUID
        s.seriesNumber = doc.study.seriesNumber
        d.study = s
        d.inputs = InputInfo(kind: doc.inputs.kind, path: "", files: [], combinedSHA256: "")
        if var a = d.assessment {
            for i in a.changes.indices { a.changes[i].priorDate = nil; a.changes[i].priorAnalysisID = "" }
            d.assessment = a
        }
        d.figures = doc.figures.filter { $0.kind == .labelMap }
        return d
    }
}
