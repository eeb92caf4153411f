// Spine densitometry stage: trabecular vBMD per vertebra and the site value (module Densitometry).
import Anatomy
import Densitometry
import OpenBCTCore
import ResultModel

enum SpineDensitometryStage {
    static func measure(density: Volume<Float>, hu: Volume<Float>, segmentation: AnatomySegmentation, patient: PatientInfo) throws -> SpineBMDResult {
        var options = SpineBMDOptions()
        options.patientAgeYears = patient.ageYears
        return try SpineDensitometry.measure(density: density, labels: segmentation.labels, anatomy: segmentation.result, hu: hu, options: options)
    }

    /// The document's record (the class is the Assessment's job: filled on assessment).
    static func record(_ r: SpineBMDResult) -> SpineBMDRecord {
        let vertebrae = r.vertebrae.compactMap { v -> ResultModel.VertebraBMD? in
            guard let bmd = v.vBMD else { return nil }
            return ResultModel.VertebraBMD(level: v.level ?? "vertebra #\(v.ordinal)", vBMD_mgcm3: bmd, meanHU: v.meanHU,
                                           regionVolume_cm3: (v.voi?.volumeMM3 ?? 0) / 1000, voxels: v.voi?.voxelCount ?? 0,
                                           usable: v.usable, note: v.notes.isEmpty ? nil : v.notes.joined(separator: "; "))
        }
        return SpineBMDRecord(vertebrae: vertebrae, siteLevels: r.site?.levels ?? [], siteVBMD_mgcm3: r.site?.vBMD, bmdClass: nil,
                              l1TrabecularHU: r.opportunisticL1?.meanHU,
                              method: "trabecular VOI in the vertebral body (cortex margin \(r.options.cortexMarginMM) mm, basivertebral vein excluded); \(r.densityUnit)",
                              notes: r.notes + (r.site?.notes ?? []) + (r.opportunisticL1.map { [$0.source] } ?? []))
    }
}
