// Hip densitometry stage: DXA-equivalent aBMD and T-scores per femur (Densitometry's HipDensitometry).
import Anatomy
import Densitometry
import OpenBCTCore
import ResultModel

enum HipDensitometryStage {
    static func measure(density: Volume<Float>, segmentation: AnatomySegmentation, patient: PatientInfo) throws -> HipAnalysis {
        let sex: ReferenceSubject.Sex? = patient.sex == "F" ? .female : patient.sex == "M" ? .male : nil
        let cut = Set(segmentation.result.femurs.map(\.side).filter { side in
            segmentation.result.findings.contains { $0.kind == .femurCutByFieldOfView && $0.message.contains(side.rawValue) } })
        return try HipDensitometry.measure(density: density, labels: segmentation.labels, femurs: segmentation.result.femurs,
                                           cutByFieldOfView: cut, subject: ReferenceSubject(ageYears: patient.ageYears, sex: sex))
    }

    /// The document's hip records (classes are the Assessment's job: left nil here, filled on assessment).
    static func records(_ a: HipAnalysis, projectionFigures: [Side: String]) -> (hips: [HipBMDRecord], lowest: Double?) {
        let hips = a.result.femurs.map { f -> HipBMDRecord in
            let regions = f.regions.map {
                HipRegionBMD(region: $0.region.rawValue, aBMD_g_per_cm2: $0.aBMDGPerCM2, bmc_g: $0.bmcG, area_cm2: $0.areaCM2,
                             tScore: $0.tScore.value, zScore: $0.zScore.value, valid: $0.valid)
            }
            let ts = f.regions.filter { $0.valid && ($0.region == .femoralNeck || $0.region == .totalHip) }.compactMap(\.tScore.value)
            return HipBMDRecord(side: f.side == .left ? .left : .right, regions: regions, lowestTScore: ts.min(), bmdClass: nil,
                                notes: f.findings + a.result.notes, projectionFigure: projectionFigures[f.side])
        }
        return (hips, a.result.lowestTScore?.tScore.value)
    }
}
