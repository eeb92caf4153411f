// The CT input of an analysis: a HU volume file or a DICOM series, with its facts, identity and hashes.
import DICOM
import Foundation
import OpenBCTCore
import ResultModel

/// A loaded CT: HU volume, acquisition facts (DICOM only), the study identity and the hashed files.
public struct CTSource: Sendable {
    public var volume: Volume<Float>
    public var facts: AcquisitionFacts?
    public var study: StudyInfo
    /// Header facts about the patient (nil for volume files).
    public var headerPatient: PatientInfo
    public var inputs: InputInfo
    /// Assembly warnings (gaps, duplicate slices, …).
    public var warnings: [String]

    /// Reads `path` like `CTVolume.read` (a volume file, or the series `seriesUID` of a DICOM folder/file)
    /// and hashes every file read (SHA-256) for provenance: what `analyze` records; other commands that
    /// only need the image use `CTVolume.read`.
    public static func load(_ path: String, series seriesUID: String? = nil) throws -> CTSource {
        let url = URL(fileURLWithPath: path)
        let ct = try CTVolume.read(path, series: seriesUID)
        guard let info = ct.series, let facts = ct.facts else {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
            let files = [InputFile(name: url.lastPathComponent, sha256: try SHA256Digest.hex(ofFile: url), bytes: size)]
            return CTSource(volume: ct.volume, facts: nil, study: StudyInfo(sourceIsDICOM: false), headerPatient: PatientInfo(),
                            inputs: InputInfo(kind: "volume", path: path, files: files, combinedSHA256: combined(files)), warnings: ct.warnings)
        }
        let root = url.hasDirectoryPath || (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true ? url.path : url.deletingLastPathComponent().path
        // Every slice file is read once more: hashed, and its SOP Instance UID taken for the references.
        let results = SendableBox([InputFile?](repeating: nil, count: info.files.count))
        parallelFor(info.files.count) { i in
            let file = info.files[i]
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: file)) else { return }
            let uid = (try? DicomFile.read(data: data, path: file, stopBeforePixelData: true))?.dataSet.string(.sopInstanceUID)
            let name = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : URL(fileURLWithPath: file).lastPathComponent
            results.set(i, InputFile(name: name, sha256: SHA256Digest.hex(of: data), bytes: data.count, sopInstanceUID: uid))
        }
        var files: [InputFile] = [], uidByFile: [String: String] = [:]
        for (i, r) in results.value.enumerated() {
            guard let r else { throw InputError(path: info.files[i], "cannot read the file again for hashing") }
            files.append(r)
            if let uid = r.sopInstanceUID { uidByFile[info.files[i]] = uid }
        }
        let header = try DicomFile.read(contentsOf: URL(fileURLWithPath: info.files[0]), stopBeforePixelData: true)
        var study = StudyInfo(sourceIsDICOM: true)
        study.studyInstanceUID = info.studyInstanceUID.isEmpty ? nil : info.studyInstanceUID
        study.seriesInstanceUID = info.seriesInstanceUID.isEmpty ? nil : info.seriesInstanceUID
        study.frameOfReferenceUID = info.frameOfReferenceUID.isEmpty ? nil : info.frameOfReferenceUID
        // The stack order of the loaded volume (the loader's SliceStackPlan: increasing position along the
        // normal, duplicates dropped), so that UID k is the slice k of the volume the SEG frames refer to.
        // A multi-frame file contributes its UID once.
        let plan = try SliceStackPlan.make(info.slices, seriesName: info.displayName)
        var seen = Set<String>()
        study.sopInstanceUIDs = plan.stack.compactMap { uidByFile[info.slices[$0].source.path] }.filter { seen.insert($0).inserted }
        study.sopClassUID = header.dataSet.string(.sopClassUID)
        study.accessionNumber = header.dataSet.string(.accessionNumber)
        study.studyID = header.dataSet.string(.studyID)
        study.studyDate = header.dataSet.string(.studyDate)
        study.studyTime = header.dataSet.string(.studyTime)
        study.studyDescription = facts.studyDescription
        study.seriesDescription = facts.seriesDescription
        study.seriesNumber = facts.seriesNumber
        study.referringPhysician = header.dataSet.string(.referringPhysicianName)
        study.institution = header.dataSet.string(.institutionName)
        var patient = PatientInfo(id: header.dataSet.string(.patientID), name: header.dataSet.string(.patientName), sex: facts.patientSex,
                                  birthDate: facts.patientBirthDate, ageYears: Self.age(facts.patientAge),
                                  heightCM: facts.patientHeight.map { $0 * 100 }, weightKG: facts.patientWeight)
        if patient.ageYears == nil, let b = patient.birthDate, let s = study.studyDate { patient.ageYears = Self.age(birth: b, at: s) }
        for (key, present) in [("id", patient.id), ("name", patient.name), ("sex", patient.sex), ("birthDate", patient.birthDate),
                               ("ageYears", patient.ageYears.map { "\($0)" }), ("heightCM", patient.heightCM.map { "\($0)" }),
                               ("weightKG", patient.weightKG.map { "\($0)" })] where present != nil {
            patient.sources[key] = .dicom
        }
        return CTSource(volume: ct.volume, facts: facts, study: study, headerPatient: patient,
                        inputs: InputInfo(kind: "dicom", path: path, files: files, combinedSHA256: combined(files)), warnings: ct.warnings)
    }

    /// SHA-256 over "hash  name\n" lines sorted by name.
    static func combined(_ files: [InputFile]) -> String {
        SHA256Digest.hex(of: Data(files.sorted { $0.name < $1.name }.map { "\($0.sha256)  \($0.name)\n" }.joined().utf8))
    }

    /// DICOM AS ("064Y", "030M", "012W", "005D") in years.
    static func age(_ s: String?) -> Double? {
        guard let s, s.count == 4, let n = Double(s.prefix(3)) else { return nil }
        switch s.last { case "Y": return n; case "M": return n / 12; case "W": return n * 7 / 365.25; case "D": return n / 365.25; default: return nil }
    }

    /// Whole years between two DICOM dates (YYYYMMDD).
    static func age(birth: String, at date: String) -> Double? {
        func parts(_ d: String) -> (Int, Int, Int)? {
            guard d.count == 8, let y = Int(d.prefix(4)), let m = Int(d.dropFirst(4).prefix(2)), let dd = Int(d.suffix(2)) else { return nil }
            return (y, m, dd)
        }
        guard let b = parts(birth), let s = parts(date) else { return nil }
        return Double(s.0 - b.0 - ((s.1, s.2) < (b.1, b.2) ? 1 : 0))
    }
}

/// A fixed-size array written by index from parallel workers (each index by one worker only).
final class SendableBox<T>: @unchecked Sendable {
    private(set) var value: [T]
    private let lock = NSLock()
    init(_ value: [T]) { self.value = value }
    func set(_ i: Int, _ v: T) { lock.lock(); value[i] = v; lock.unlock() }
}
