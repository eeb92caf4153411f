// Files written by nibabel read back with nibabel's affine (RAS→LPS) and values.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("NIfTI files written by nibabel")
struct NIfTIReadTests {
    /// nibabel's reference files, made once for the suite (in a temporary folder the OS cleans).
    static let reference: Result<(dir: URL, cases: [String: NibabelFacts]), any Error> = Result {
        let dir = try TestPaths.temporaryDirectory("nifti-nibabel")
        let cases = try Nibabel.makeReferenceFiles(in: dir)
        return (dir, Dictionary(uniqueKeysWithValues: cases.map { ($0.name ?? $0.file, $0) }))
    }

    @Test("every nibabel-made case (sform/qform/both/pixdim, NIfTI-2, big-endian, scl_slope, 8 datatypes, 4-D, 2-D) reads back identically")
    func nibabelCases() throws {
        let (dir, byName) = try Self.reference.get()
        #expect(byName.count >= 15)
        for c in byName.values {
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
        let cases = try Self.reference.get().cases
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

    @Test("warnings: pixdim-only geometry and an sform/qform disagreement are reported; agreeing files give none")
    func geometryWarnings() throws {
        let cases = try Self.reference.get().cases
        func warnings(_ name: String) throws -> [String] {
            var w: [String] = []
            _ = try NIfTI.read(contentsOf: URL(fileURLWithPath: cases[name]!.file), warnings: &w)
            return w
        }
        #expect(try warnings("pixdim_only").first?.contains("neither sform nor qform") == true)
        #expect(try warnings("uint8_both").first?.contains("sform and qform disagree") == true)
        #expect(try warnings("nifti2_float64").isEmpty)
        #expect(try warnings("float32_qform_only").isEmpty)
    }
}
