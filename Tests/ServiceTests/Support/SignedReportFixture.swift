// A finished case for the sign-out tests: a result document of the kind `openbct analyze` writes (a
// hip-and-spine order where only the left femur was measured and the spine was omitted), its label
// map with a label table (so Reporting renders a real PDF, SR and SEG), stored as a completed job
// with a draft report. The analysis is not under test here; the renderings and their delivery are.
import DICOM
import Foundation
import ImageFormats
import OpenBCTCore
import ResultModel
@testable import Service
import TestSupport

struct FinishedCase {
    var job: Int64
    var report: Int64
    var study: Int64
    var studyUID: String
}

enum SignedReportFixture {
    static let patientName = "Fixture^Heloise"
    static let birthDate = "19570312"

    /// The result document (status `partial`: spine requested, not analysed) in `folder`, with its
    /// label map. `status: .discontinued` gives a stopped analysis (billing modifier 53).
    static func document(in folder: URL, studyUID: String, patientID: String, accession: String,
                         status: AnalysisStatus = .partial) throws -> ResultDocument {
        let grid = ImageGrid(dims: SIMD3(24, 20, 6), spacing: Vec3(0.7, 0.8, 2.5), origin: Vec3(-10, 20, -300))
        var labels = Volume<Int32>(grid: grid)
        for k in 0..<6 { for j in 0..<20 { for i in 0..<24 {
            let d = Vec3(Double(i) - 6, Double(j) - 6, Double(k) - 2)
            if (d * d).sum() <= 9 { labels[i, j, k] = 1 }
            if (14..<20).contains(i) && (10..<16).contains(j) && k >= 3 { labels[i, j, k] = 120 }
        } } }
        let labelFile = folder.appendingPathComponent("labels.nii.gz")
        try ImageFile.write(labels, to: labelFile)

        var doc = ResultDocument(
            status: status,
            patient: PatientInfo(id: patientID, name: patientName, sex: "F", birthDate: birthDate, ageYears: 69, heightCM: 162, weightKG: 60),
            inputs: InputInfo(kind: "dicom", path: "/data/studies/\(studyUID)", files: [], combinedSHA256: String(repeating: "0", count: 64)),
            parameters: AnalysisParameters(
                requestedSites: [.hip, .spine], calibrationMethod: "internal-effective-energy", feVoxelSize_mm: 1.5,
                hip: HipParameters(protocolName: "femur-sideways-fall", materialLaw: "femur-morgan", alpha_deg: 10, beta_deg: 15,
                                   directionSpread: [], deformationLimit: 0.04, nonlinearSteps: 20),
                spine: SpineParameters(protocolName: "vertebra-compression", materialLaw: "vertebra-kopperdahl", deformationLimit: 0.02,
                                       nonlinearSteps: 20, vbmdLevels: ["L1", "L2"], strengthLevelOrder: ["L1", "L2"]),
                fallForce: FallForceParameters(model: "mass–spring impact", hipHeightFraction: 0.5, effectiveMassFraction: 0.5,
                                               stiffness_N_per_m: 71_000, gravity_m_per_s2: 9.81, source: "documented defaults"),
                change: ChangeParameters(z: 1.96, precisionCVPercent: [:], sources: [:]),
                classThresholdsSource: "Keaveny 2020 Table 1 (VirtuOst)"))
        var study = StudyInfo(sourceIsDICOM: true)
        study.studyInstanceUID = studyUID
        study.seriesInstanceUID = studyUID + ".1"
        study.frameOfReferenceUID = studyUID + ".2"
        study.sopClassUID = "1.2.840.10008.5.1.4.1.1.2"
        study.sopInstanceUIDs = (1...6).map { "\(studyUID).1.\($0)" }
        study.studyDate = "20261101"; study.studyTime = "101500"; study.accessionNumber = accession; study.studyID = "S1"
        study.studyDescription = "CT abdomen and pelvis"; study.referringPhysician = "Referrer^Jonas"
        doc.study = study
        doc.anatomy = AnatomyRecord(source: "automatic", femurs: [], vertebrae: [], levelAnchor: nil, levelConfidence: nil,
                                    labelMapFile: "labels.nii.gz",
                                    labelTable: [LabelRecord(value: 1, name: "femur_left"), LabelRecord(value: 120, name: "L1_body")])
        if status != .discontinued {
            doc.strength = [StrengthRecord(site: .hip, side: .left, level: nil, protocolName: "femur-sideways-fall", materialLaw: "femur-morgan",
                                           voxelSize_mm: 1.5, elements: 48_211, linearStiffness_N_per_mm: 1612, strength_N: 3381.7,
                                           displacementAtPeak_mm: 3.0, converged: true, interval: nil, curve: [], fallDirections: [],
                                           drivesClass: true, failedTissueFigure: nil, seconds: 7.9, notes: [])]
            doc.omissions = [Omission(part: "spine", site: .spine, reason: "vertebrae cut by the field of view")]
        } else {
            doc.omissions = [Omission(part: "analysis", reason: "calibration failed: no usable reference tissue")]
        }
        let data = try Data(contentsOf: labelFile)
        doc.figures = [FigureReference(id: "labels", kind: .labelMap, file: "labels.nii.gz", mediaType: "application/gzip",
                                       sha256: String(try ExternalTool.run("sha256sum", [labelFile.path]).stdout.prefix(64)),
                                       bytes: data.count, caption: "Anatomy label map")]
        try doc.write(to: folder.appendingPathComponent("result.json"))
        return doc
    }

    /// A study with an order, analysed (the fixture document stored as the job's result): a draft
    /// report waiting for a physician.
    /// `sourceStudyUID`: the study the document says it analysed (default: the stored study's UID).
    static func finishedCase(_ h: ServiceHarness, accession: String = "ACC-SIGN", patientID: String = "PID-4711",
                             status: AnalysisStatus = .partial, sourceStudyUID: String? = nil) async throws -> FinishedCase {
        let (study, order) = try await h.studyWithOrder(accession: accession, patientID: patientID)
        let studyUID = try await h.db.first("SELECT study_instance_uid FROM studies WHERE id = ?", study)!.string("study_instance_uid")!
        let job = try await h.env.jobs.enqueue(studyID: study, orderID: order, requestKey: "fixture:\(accession)")!
        let claimed = try await h.env.jobs.claim(worker: "fixture")!
        let folder = h.folder.appendingPathComponent("jobs/\(job)/attempt-\(claimed.attempt)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try document(in: folder, studyUID: sourceStudyUID ?? studyUID, patientID: patientID, accession: accession, status: status)
        let json = try String(contentsOf: folder.appendingPathComponent("result.json"), encoding: .utf8)
        try await h.env.jobs.complete(jobID: job, worker: "fixture", document: json, folder: folder.path)
        let report = try await h.db.first("SELECT id FROM reports WHERE job_id = ?", job)!.int("id")!
        return FinishedCase(job: job, report: report, study: study, studyUID: studyUID)
    }
}
