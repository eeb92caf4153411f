// Pictures of the phantom for people: a mid-coronal plane through both hip joints and a
// mid-sagittal plane through the spine, written as PNGs (and kept in docs/ when asked).
import Foundation
import Testing
import OpenBCTCore
import Phantom
import TestSupport

@Suite("Phantom pictures")
struct PhantomPictureTests {
    @Test("writes mid-coronal (hips) and mid-sagittal (spine) PNGs that look like CT",
          .enabled(if: ExternalTool.isAvailable("pnmtopng"), "needs netpbm's pnmtopng"))
    func pictures() throws {
        // `PHANTOM_PICTURE_DIR=docs PHANTOM_PICTURE_VOXEL=0.8 swift test -c release --filter PhantomPictureTests`
        // regenerates the pictures kept in docs/; CI uses the shared 4 mm phantom.
        let env = ProcessInfo.processInfo.environment
        let phantom: PhantomCase
        if let voxel = env["PHANTOM_PICTURE_VOXEL"].flatMap(Double.init) {
            var o = PhantomOptions()
            o.pixelSpacing = voxel
            o.sliceThickness = max(1.25, voxel)
            phantom = try PhantomGenerator(o).generate()
        } else {
            phantom = try PhantomFixture.small.get()
        }
        let dir = try env["PHANTOM_PICTURE_DIR"].map { URL(fileURLWithPath: $0, relativeTo: TestPaths.repositoryRoot) }
            ?? TestPaths.temporaryDirectory("phantom-pictures")
        let head = phantom.truth.femurs[0].headCentre
        let coronal = dir.appendingPathComponent("phantom-coronal.png")
        let sagittal = dir.appendingPathComponent("phantom-sagittal.png")
        try SliceImage.write(phantom.hu, .coronal(y: head.y), to: coronal, mmPerPixel: 0.8)
        try SliceImage.write(phantom.hu, .sagittal(x: 0), to: sagittal, mmPerPixel: 0.8)
        for url in [coronal, sagittal] {
            let data = try Data(contentsOf: url)
            #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            #expect(data.count < 300_000)
        }
    }
}
