// Spine densitometry on the real abdomen-3mm CT (TotalSegmentator test image and labels): internal
// calibration from its own tissues, imported vertebrae, eligibility without a DICOM header.
import Anatomy
import Calibration
import Densitometry
import Eligibility
import Foundation
import ImageFormats
import OpenBCTCore
import TestSupport
import Testing

@Suite("Spine vBMD on the real abdomen-3mm CT")
struct AbdomenSpineBMDTests {
    @Test("internal calibration, imported T12–L2: eligibility findings for the missing header, no contrast, vBMD physiological",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func abdomen() throws {
        let hu = try ImageFile.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz")).asFloat()
        let ts = try ImageFile.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz")).asLabels()
        let segmentation = LabelMapImport.segmentation(from: ts, names: .embedded, source: "example_seg.nii.gz")
        let calibration = try InternalCalibration.calibrate(hu, labels: ts, method: .effectiveEnergy, kVp: nil)

        let report = Eligibility.evaluate(sites: [.spine], hu: hu, labels: segmentation.labels, anatomy: segmentation.result,
                                          acquisition: nil, totalSegmentatorLabels: ts)
        let spine = try #require(report[.spine])
        for o in spine.outcomes { print("abdomen eligibility: \(o.summary)") }
        #expect(report.contrast.status == .absent)   // aorta ≈ 42 HU: unenhanced
        #expect(spine.outcome(.coverage)?.status == .pass)
        #expect(spine.outcome(.kvp)?.status == .notVerifiable)
        #expect(spine.outcome(.sliceThickness)?.status == .notVerifiable)
        #expect(spine.accepted)

        let result = try SpineDensitometry.measure(density: calibration.apply(hu), labels: segmentation.labels,
                                                   anatomy: segmentation.result, hu: hu)
        for v in result.vertebrae {
            print(String(format: "abdomen %@: vBMD %.1f mg/cm³ (median %.1f, SD %.1f), %.0f HU, VOI %d voxels %.0f mm³ %@",
                         v.level ?? "?", v.vBMD ?? .nan, v.medianDensity ?? .nan, v.standardDeviation ?? .nan, v.meanHU ?? .nan,
                         v.voi?.voxelCount ?? 0, v.voi?.volumeMM3 ?? 0, v.notes.joined(separator: "; ")))
        }
        let site = try #require(result.site)
        print("abdomen site \(site.levels): \(site.displayed), \(site.classification?.rawValue ?? "-"); L1 \(result.opportunisticL1.map { "\($0.meanHU) HU \($0.band)" } ?? "-")")
        // The 30 slices hold L1 whole; T12 and L2 touch the first/last slice (cut: not measured).
        #expect(site.levels == ["L1"])
        #expect(site.notes.contains { $0.contains("only 1 level") })
        for level in ["T12", "L2"] { #expect(result.vertebrae.first { $0.level == level }?.vBMD == nil) }
        // Adult trabecular vBMD spans about 50–250 mg/cm³ (osteoporotic to young adult).
        let l1 = try #require(result.vertebrae.first { $0.level == "L1" })
        #expect((50...250).contains(try #require(l1.vBMD)))
        #expect(try #require(l1.voi).cortexMarginMM == 4.5)
        #expect(result.opportunisticL1 != nil)
    }
}
