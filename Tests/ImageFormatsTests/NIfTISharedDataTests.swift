// Real NIfTI files in ../shared/data read with nibabel's affine and values.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("NIfTI files in ../shared/data")
struct NIfTISharedDataTests {
    static let files = [
        "ct/abdomen-3mm/example_ct_sm.nii.gz",
        "ct/abdomen-3mm/example_seg.nii.gz",
        "ct/thoracolumbar-dicom-j2k/segmentation.nii.gz",
        "fe-reference/femur_left_mini/density.nii.gz",
        "fe-reference/femur_left_mini/labels.nii.gz",
        "fe-reference/vertebra_l4_mini/density.nii.gz",
        "fe-reference/vertebra_l4_mini/labels.nii.gz",
    ]

    /// nibabel's reading of all files, in one python run.
    static let nibabel: Result<[(facts: NibabelFacts, values: [Double])], any Error> = Result {
        try Nibabel.read(files.map { TestPaths.shared($0) })
    }

    @Test("abdomen CT + segmentation, thoracolumbar segmentation, FE density and labels match nibabel",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"),
          arguments: NIfTISharedDataTests.files)
    func matchesNibabel(_ relative: String) throws {
        let (facts, values) = try Self.nibabel.get()[Self.files.firstIndex(of: relative)!]
        let volume = try NIfTI.read(contentsOf: TestPaths.shared(relative))
        let d = volume.grid.dims
        #expect([d.x, d.y, d.z] == facts.shape)
        #expect(affineDifference(volume.grid.affineRAS, facts.affine) < 1e-5)
        #expect(mismatches(volume, values) == 0)
        #expect(volume.voxelTypeName == facts.dtype)
    }

    @Test("the femur labels hold 242,082 voxels of label 2 (data/README.md)",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func femurLabelCount() throws {
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz")).asLabels()
        #expect(labels.voxels.lazy.filter { $0 == 2 }.count == 242_082)
        #expect(labels.dims == SIMD3(119, 95, 119))
    }
}
