// ImageFile: format chosen by extension, unknown extensions refused.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("ImageFile")
struct ImageFileTests {
    @Test("extensions map to formats (case-insensitive); .nii.gz, .nii, .mha, .mhd round-trip through ImageFile")
    func byExtension() throws {
        #expect(ImageFile.format(of: URL(fileURLWithPath: "/a/CT.NII.GZ")) == .nifti)
        #expect(ImageFile.format(of: URL(fileURLWithPath: "/a/ct.nii")) == .nifti)
        #expect(ImageFile.format(of: URL(fileURLWithPath: "/a/ct.mhd")) == .metaImage)
        #expect(ImageFile.format(of: URL(fileURLWithPath: "/a/ct.gz")) == nil)
        let dir = try TestPaths.temporaryDirectory("imagefile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = ImageGrid(dims: SIMD3(4, 3, 2), spacing: Vec3(0.5, 0.75, 2), origin: Vec3(1, 2, 3),
                             direction: Matrix3.rotation(axis: Vec3(0, 0, 1), angle: 0.5))
        let volume = Volume<Int16>(grid: grid, voxels: (0..<24).map { Int16($0 * 100 - 1000) })
        for name in ["v.nii.gz", "v.nii", "v.mha", "v.mhd"] {
            let url = dir.appendingPathComponent(name)
            try ImageFile.write(volume, to: url)
            let back = try ImageFile.read(contentsOf: url)
            #expect(back.voxelTypeName == "int16" && back.doubles == volume.voxels.map(Double.init), "\(name)")
            #expect(back.grid.isAligned(with: grid, tolerance: 1e-5), "\(name)")
        }
    }

    @Test("an unknown extension is an InputError naming the expected ones; nothing is written")
    func unknownExtension() throws {
        let dir = try TestPaths.temporaryDirectory("imagefile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("v.png")
        #expect { try ImageFile.write(Volume<UInt8>(grid: ImageGrid(dims: SIMD3(1, 1, 1))), to: url) } throws: {
            ($0 as? InputError)?.description.contains(".nii, .nii.gz, .mha or .mhd") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: InputError.self) { try ImageFile.read(contentsOf: url) }
    }
}
