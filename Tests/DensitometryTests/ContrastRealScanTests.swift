// The contrast rule on a real contrast-enhanced scan (Siemens PET/CT, JPEG 2000, with a TotalSegmentator
// map that includes the aorta).
import Anatomy
import DICOM
import Eligibility
import ImageFormats
import OpenBCTCore
import TestSupport
import Testing

@Suite("Contrast on a real enhanced scan")
struct ContrastRealScanTests {
    @Test("thoracolumbar PET/CT: the labelled aorta reads above 100 HU and the header names an agent → contrast present",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func enhancedAorta() throws {
        let ct = try CTSeriesLoader.load(try SeriesScanner.scan(TestPaths.shared("ct/thoracolumbar-dicom-j2k/series")).pick(nil))
        let map = try ImageFile.read(contentsOf: TestPaths.shared("ct/thoracolumbar-dicom-j2k/segmentation.nii.gz")).asLabels()
        let (onCT, _) = try LabelMapImport.resample(map, onto: ct.volume.grid, path: "segmentation.nii.gz")
        let finding = ContrastDetector().assess(hu: ct.volume, headerAgent: ct.facts.contrastBolusAgent,
                                                totalSegmentatorLabels: onCT, labels: nil, anatomy: nil)
        print("J2K PET/CT: \(finding.summary)")
        #expect(finding.status == .present)
        #expect((finding.bloodMedianHU ?? 0) >= ContrastFinding.enhancedHU)
    }
}
