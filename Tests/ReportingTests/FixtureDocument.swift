// A complete result document for rendering tests: a 68-year-old woman, both hips and L1, a prior
// analysis, figure files made by Tests/Python/report_fixture_figures.py and a label map.
import Foundation
import DICOM
import ImageFormats
import OpenBCTCore
import ResultModel
import TestSupport

enum FixtureDocument {
    /// Writes the figures and label map into a new folder and returns the document and the folder.
    static func make(sourceIsDICOM: Bool = true, withPrior: Bool = true) throws -> (ResultDocument, URL) {
        let dir = try TestPaths.temporaryDirectory("report-fixture")
        _ = try ExternalTool.python("report_fixture_figures.py", [dir.path])
        try ImageFile.write(SyntheticCase.labels(), to: dir.appendingPathComponent("labels.nii.gz"))

        var doc = ResultDocument(
            analysisID: "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", createdAt: "2026-11-29T20:00:00Z",
            patient: PatientInfo(id: "P-001", name: "Müller^Anna", sex: "F", birthDate: "19580312", ageYears: 68,
                                 heightCM: 164, weightKG: 61, sources: ["sex": .dicom, "heightCM": .override, "weightKG": .override]),
            inputs: InputInfo(kind: sourceIsDICOM ? "dicom" : "volume", path: "/data/ct", files: [], combinedSHA256: String(repeating: "0", count: 64)),
            parameters: AnalysisParameters(
                requestedSites: [.hip, .spine], calibrationMethod: "internal-effective-energy", feVoxelSize_mm: 1.5,
                hip: HipParameters(protocolName: "femur-sideways-fall", materialLaw: "femur-morgan", alpha_deg: 10, beta_deg: 15,
                                   directionSpread: [FallDirectionAngles(alpha_deg: 0, beta_deg: 0)], deformationLimit: 0.04, nonlinearSteps: 20),
                spine: SpineParameters(protocolName: "vertebra-compression", materialLaw: "vertebra-kopperdahl", deformationLimit: 0.02,
                                       nonlinearSteps: 20, vbmdLevels: ["L1", "L2"], strengthLevelOrder: ["L1", "L2", "T12", "L3"]),
                fallForce: FallForceParameters(model: "mass–spring impact, v = √(2gh), F = v·√(k·m)", hipHeightFraction: 0.5,
                                               effectiveMassFraction: 0.5, stiffness_N_per_m: 71_000, gravity_m_per_s2: 9.81,
                                               source: "constants [U], documented defaults"),
                change: ChangeParameters(z: 1.96, precisionCVPercent: ["hipStrength": 2.0, "spineStrength": 2.5],
                                         sources: ["hipStrength": "cited", "spineStrength": "cited"]),
                classThresholdsSource: "Keaveny 2020 Table 1 (VirtuOst)"))
        var study = StudyInfo(sourceIsDICOM: sourceIsDICOM)
        if sourceIsDICOM {
            study.studyInstanceUID = "1.2.826.0.1.3680043.8.498.1"
            study.seriesInstanceUID = "1.2.826.0.1.3680043.8.498.2"
            study.frameOfReferenceUID = "1.2.826.0.1.3680043.8.498.3"
            study.sopClassUID = "1.2.840.10008.5.1.4.1.1.2"
            study.sopInstanceUIDs = (1...SyntheticCase.grid.dims.z).map { "1.2.826.0.1.3680043.8.498.2.\($0)" }
        }
        study.studyDate = "20261101"; study.studyTime = "101500"; study.accessionNumber = "A-77"; study.studyID = "S1"
        study.studyDescription = "CT abdomen and pelvis"; study.seriesDescription = "1.0 B30f"; study.referringPhysician = "Weber^Jonas"
        doc.study = study
        doc.acquisition.manufacturer = "SIEMENS"; doc.acquisition.manufacturerModelName = "SOMATOM Definition AS"
        doc.acquisition.kvp = 120; doc.acquisition.convolutionKernel = "B30f"; doc.acquisition.sliceThickness_mm = 1
        doc.calibration = CalibrationRecord(method: "internalEffectiveEnergy", equivalent: "K2HPO4", intercept_HU: -2.1, slope_HU_per_mgcm3: 1.21,
                                            rSquared: 0.9991, interceptStandardError_HU: 1.2, slopeStandardError: 0.01, densityOffset_mgcm3: 1.7,
                                            densityPerHU: 0.826, effectiveEnergy_keV: 71.3,
                                            regions: [CalibrationRegionRecord(name: "air", medianHU: -1000, madHU: 8, voxels: 900, area_mm2: 400,
                                                                              referenceDensity_mgcm3: nil, referenceHU: -1000, residualHU: 0.4)],
                                            notes: [])
        doc.eligibility = [SiteEligibility(site: .hip, verdict: .eligible, checks: []),
                           SiteEligibility(site: .spine, verdict: .eligible,
                                           checks: [EligibilityCheck(rule: "contrast", outcome: .flag, value: "none", requirement: "no IV contrast", message: "no contrast detected")])]
        doc.anatomy = AnatomyRecord(source: "automatic", femurs: [], vertebrae: [], levelAnchor: "lastRib", levelConfidence: "high",
                                    labelMapFile: "labels.nii.gz",
                                    labelTable: SyntheticCase.labelTable.map { LabelRecord(value: Int($0.value), name: $0.name) })
        let curve = (0...20).map { i -> CurvePoint in
            let d = Double(i) * 0.15
            return CurvePoint(displacement_mm: d, force_N: 3380 * (1 - exp(-d / 0.8)) / (1 - exp(-3.0 / 0.8)), yieldedFraction: Double(i) / 40)
        }
        let interval = StrengthInterval(low_N: 3050, high_N: 3710, coverage: "±1 combined standard uncertainty",
                                        components: [UncertaintyComponent(source: "calibration", relative: 0.06, method: "fit standard errors")])
        doc.strength = [
            StrengthRecord(site: .hip, side: .left, level: nil, protocolName: "femur-sideways-fall", materialLaw: "femur-morgan", voxelSize_mm: 1.5,
                           elements: 48_211, linearStiffness_N_per_mm: 1612, strength_N: 3381.7, displacementAtPeak_mm: 3.0, converged: true,
                           interval: interval, curve: curve, fallDirections: [], drivesClass: true, failedTissueFigure: "failed-hip-left",
                           seconds: 7.9, notes: []),
            StrengthRecord(site: .spine, side: nil, level: "L1", protocolName: "vertebra-compression", materialLaw: "vertebra-kopperdahl",
                           voxelSize_mm: 1.0, elements: 30_118, linearStiffness_N_per_mm: 21_400, strength_N: 5204.4, displacementAtPeak_mm: 0.6,
                           converged: true, interval: nil, curve: curve.map { CurvePoint(displacement_mm: $0.displacement_mm / 5, force_N: $0.force_N * 1.54, yieldedFraction: $0.yieldedFraction) },
                           fallDirections: [], drivesClass: true, failedTissueFigure: nil, seconds: 4.2, notes: []),
        ]
        doc.densitometry = DensitometryRecord(
            spine: SpineBMDRecord(vertebrae: [VertebraBMD(level: "L1", vBMD_mgcm3: 94.6, meanHU: 120, regionVolume_cm3: 6.1, voxels: 6100, usable: true, note: nil),
                                              VertebraBMD(level: "L2", vBMD_mgcm3: 90.2, meanHU: 115, regionVolume_cm3: 6.4, voxels: 6400, usable: true, note: nil)],
                                  siteLevels: ["L1", "L2"], siteVBMD_mgcm3: 92.4, bmdClass: .lowBoneMass, l1TrabecularHU: 120,
                                  method: "trabecular core of each vertebral body, mean K2HPO4-equivalent density", notes: []),
            hips: [HipBMDRecord(side: .left, regions: [
                HipRegionBMD(region: "femoralNeck", aBMD_g_per_cm2: 0.712, bmc_g: 3.6, area_cm2: 5.1, tScore: -1.9, zScore: nil, valid: true),
                HipRegionBMD(region: "totalHip", aBMD_g_per_cm2: 0.801, bmc_g: 27.3, area_cm2: 34.1, tScore: -1.5, zScore: nil, valid: true),
            ], lowestTScore: -1.9, bmdClass: .lowBoneMass, notes: [], projectionFigure: "dxa-left")],
            lowestHipTScore: -1.9)
        let changes = withPrior ? [ChangeRecord(quantity: "hipStrength", unit: "N", prior: 3560, current: 3381.7, percentChange: -5.01,
                                                lscPercent: 5.5, significant: false, priorAnalysisID: "prior-1", priorDate: "2024-10-30")] : []
        doc.assessment = AssessmentRecord(
            paediatric: false, sexForThresholds: "F",
            sites: [SiteAssessment(site: .hip, strength_N: 3381.7, strengthSource: "left femur", strengthClass: .low, bmdValue: -1.9,
                                   bmdQuantity: "lowest hip T-score", bmdClass: .lowBoneMass),
                    SiteAssessment(site: .spine, strength_N: 5204.4, strengthSource: "L1", strengthClass: .low, bmdValue: 92.4,
                                   bmdQuantity: "spine vBMD", bmdClass: .lowBoneMass)],
            overallRisk: .increased, overallRiskReason: "low strength or low bone mass at a measured site, none fragile or osteoporotic",
            thresholdsLabel: "Thresholds derived for another system (VirtuOst, Keaveny 2020); not re-derived for OpenBCT.",
            loadToStrength: LoadToStrengthRecord(fallForce_N: 3470, strength_N: 3381.7, ratio: 1.026, interpretation: "transition zone",
                                                 heightCM: 164, weightKG: 61, impactVelocity_m_per_s: 2.84, effectiveMass_kg: 30.5,
                                                 model: "mass–spring impact"),
            changes: changes, notes: [])
        doc.qualityFindings = [QualityFinding(stage: "anatomy", site: .hip, severity: .warning, code: "rightFemurCut",
                                              message: "right femur cut by the field of view: not analysed")]
        doc.omissions = [Omission(part: "right hip strength", site: .hip, reason: "femur cut by the field of view")]
        doc.billing = BillingSummary(lines: [BillingLine(cpt: "0554T", descriptor: "Bone strength and fracture risk using FE analysis",
                                                          performer: "analysis facility", modifiers: [], modifierReasons: [])],
                                     indications: [IndicationCheck(code: "M81.0", verdict: .supported, description: "Age-related osteoporosis",
                                                                   message: "on the supported list")], notes: [])
        let fig = { (id: String, kind: FigureReference.Kind, file: String, caption: String, site: AnalysisSite?, side: BodySide?) throws -> FigureReference in
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            return FigureReference(id: id, kind: kind, file: file, mediaType: file.hasSuffix(".png") ? "image/png" : "application/gzip",
                                   sha256: try sha256(dir.appendingPathComponent(file)), bytes: data.count, width: kind == .labelMap ? nil : 240,
                                   height: kind == .labelMap ? nil : 200, caption: caption, site: site, side: side)
        }
        doc.figures = [
            try fig("ct-hip-coronal", .ctSliceOverlay, "ct-hip-coronal.png", "Coronal CT slice through the femoral heads, bone window, segmentation tinted", .hip, nil),
            try fig("dxa-left", .dxaProjection, "dxa-left.png", "DXA-like projection of the left femur; femoral neck red", .hip, .left),
            try fig("failed-hip-left", .failedTissueMap, "failed-hip-left.png", "Failed tissue at peak load, left femur", .hip, .left),
            try fig("labels", .labelMap, "labels.nii.gz", "Anatomy label map", nil, nil),
        ]
        try doc.write(to: dir.appendingPathComponent("result.json"))
        return (doc, dir)
    }
}

/// SHA-256 of a file by coreutils' sha256sum (a reference nobody here wrote).
func sha256(_ url: URL) throws -> String {
    let r = try ExternalTool.run("sha256sum", [url.path])
    return String(r.stdout.prefix(64))
}
