// Files written by nibabel read back with nibabel's affine (RAS→LPS) and values.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("NIfTI files written by nibabel")
struct NIfTIReadTests {
    @Test("every nibabel-made case (sform/qform/both/pixdim, NIfTI-2, big-endian, scl_slope, 8 datatypes, 4-D, 2-D) reads back identically")
    func nibabelCases() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-nibabel")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = try Nibabel.makeReferenceFiles(in: dir)
        #expect(cases.count >= 15)
        for c in cases {
            let name = c.name ?? c.file
            let volume = try NIfTI.read(contentsOf: URL(fileURLWithPath: c.file))
            let dims = volume.grid.dims
            let shape3 = (c.shape + [1, 1, 1]).prefix(3)
            #expect([dims.x, dims.y, dims.z] == Array(shape3), "\(name): dims")
            let diff = affineDifference(volume.grid.affineRAS, c.affine)
            #expect(diff < 1e-5, "\(name): affine differs from nibabel's by \(diff)")
            let bad = mismatches(volume, try c.values(binary: dir.appendingPathComponent("\(name).bin")))
            #expect(bad == 0, "\(name): \(bad) voxels differ from nibabel")
            let header = try NIfTI.readHeader(contentsOf: URL(fileURLWithPath: c.file))
            #expect(header.version == c.version && header.isBigEndian == c.bigEndian, "\(name): version/endianness")
            #expect(header.sformCode == c.sformCode && header.qformCode == c.qformCode, "\(name): xform codes")
        }
    }

    @Test("voxel types: int8 widens to int16, uint32 to float64, scaled int16 becomes float32")
    func voxelTypes() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-types")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = Dictionary(uniqueKeysWithValues: try Nibabel.makeReferenceFiles(in: dir).map { ($0.name ?? "", $0) })
        func type(_ name: String) throws -> String {
            try NIfTI.read(contentsOf: URL(fileURLWithPath: cases[name]!.file)).voxelTypeName
        }
        #expect(try type("int8") == "int16")
        #expect(try type("uint32") == "float64")
        #expect(try type("int16_scaled") == "float32")
        #expect(try type("uint8_both") == "uint8")
        #expect(try type("bigendian_int16") == "int16")
        #expect(cases["int16_scaled"]?.slope == 0.5 && cases["int16_scaled"]?.inter == -1024)
    }
}
