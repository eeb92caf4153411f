// Files written by openbct open in nibabel with the same affine and values.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("NIfTI files written by openbct")
struct NIfTIWriteTests {
    /// An oblique, left-handed LPS grid (direction from a rotation, third axis flipped).
    static let obliqueGrid: ImageGrid = {
        var d = Matrix3.rotation(axis: Vec3(0.3, -0.5, 0.8), angle: 0.7)
        d.c2 = -d.c2
        return ImageGrid(dims: SIMD3(9, 7, 5), spacing: Vec3(0.7, 0.8, 2.5), origin: Vec3(-120.25, 33.5, 812.0), direction: d)
    }()

    static let rightHandedGrid = ImageGrid(dims: SIMD3(6, 5, 4), spacing: Vec3(0.9765625, 0.9765625, 3),
                                           origin: Vec3(-250, -250, -804.5),
                                           direction: Matrix3.rotation(axis: Vec3(1, 0, 0), angle: 0.2))

    static func pattern<T: VoxelValue>(_ grid: ImageGrid, _ f: (Int) -> T) -> Volume<T> {
        Volume(grid: grid, voxels: (0..<grid.count).map(f))
    }

    @Test("int16, float32, uint8, uint16, int32, float64 × NIfTI-1/2 × .nii/.nii.gz: nibabel sees our affine (sform and qform) and values")
    func roundTripThroughNibabel() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = Self.obliqueGrid
        let volumes: [(String, AnyVolume)] = [
            ("int16", .int16(Self.pattern(g) { Int16($0 * 37 % 4000 - 1024) })),
            ("float32", .float32(Self.pattern(Self.rightHandedGrid) { Float($0) * 0.37 - 12.5 })),
            ("uint8", .uint8(Self.pattern(g) { UInt8($0 % 256) })),
            ("uint16", .uint16(Self.pattern(g) { UInt16($0 * 131 % 65536) })),
            ("int32", .int32(Self.pattern(Self.rightHandedGrid) { Int32($0 * 100_003 - 5_000_000) })),
            ("float64", .float64(Self.pattern(g) { Double($0).squareRoot() * 1e-3 })),
        ]
        var written: [(url: URL, name: String, version: Int, volume: AnyVolume)] = []
        for (name, volume) in volumes {
            for version in [1, 2] {
                for ext in ["nii", "nii.gz"] {
                    let url = dir.appendingPathComponent("\(name)-v\(version).\(ext)")
                    try NIfTI.write(volume, to: url, version: version, description: "test \(name)")
                    written.append((url, name, version, volume))
                }
            }
        }
        let nibabel = try Nibabel.read(written.map(\.url))
        for ((url, name, version, volume), (facts, values)) in zip(written, nibabel) {
            let label = url.lastPathComponent
            #expect(facts.version == version, "\(label)")
            #expect(facts.dtype == name, "\(label): nibabel dtype \(facts.dtype)")
            #expect(affineDifference(facts.affine, volume.grid.affineRAS) < 1e-5, "\(label): affine")
            // The qform (quaternion + qfac) must describe the same placement as the sform.
            #expect(affineDifference(facts.qform, volume.grid.affineRAS) < 1e-4, "\(label): qform \(facts.qform)")
            #expect(facts.sformCode == 1 && facts.qformCode == 1, "\(label): codes")
            #expect(facts.voxOffset == (version == 1 ? 352 : 544) && facts.xyztUnits == 2, "\(label)")
            #expect(facts.descrip == "test \(name)", "\(label)")
            #expect(mismatches(volume, values) == 0, "\(label): values")
            // And our own reader gives back the same volume.
            let back = try NIfTI.read(contentsOf: url)
            #expect(back.voxelTypeName == name && back.doubles == volume.doubles, "\(label): read back")
            #expect(back.grid.isAligned(with: volume.grid, tolerance: 1e-4), "\(label): grid read back")
        }
    }

    @Test("a .nii.gz larger than one compression block is a single valid gzip stream (gzip -t, nibabel, zcat size)")
    func multiBlockGzip() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-blocks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = ImageGrid(dims: SIMD3(256, 256, 40), spacing: Vec3(1, 1, 2))   // 10.5 MB: three 4 MiB blocks
        var seed: UInt64 = 12345
        let volume = Volume<Int16>(grid: grid, voxels: (0..<grid.count).map { i in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int16(truncatingIfNeeded: (i % 512) + Int(seed >> 58))
        })
        let url = dir.appendingPathComponent("big.nii.gz")
        try NIfTI.write(volume, to: url)
        #expect(try ExternalTool.run("gzip", ["-t", url.path]).status == 0)
        let listed = try ExternalTool.run("sh", ["-c", "zcat '\(url.path)' | wc -c"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(listed == "\(352 + grid.count * 2)")
        let (facts, values) = try Nibabel.read(url)
        #expect(facts.shape == [256, 256, 40] && mismatches(.int16(volume), values) == 0)
    }

    @Test("grids no reader could place (zero spacing, singular direction, empty axis) are refused; no file is left")
    func unplaceableGrids() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-grid")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = [
            ImageGrid(dims: SIMD3(2, 2, 2), spacing: Vec3(1, 0, 1)),
            ImageGrid(dims: SIMD3(2, 2, 2), direction: Matrix3(columns: Vec3(1, 0, 0), Vec3(1, 0, 0), Vec3(0, 0, 1))),
            ImageGrid(dims: SIMD3(2, 0, 2)),
        ]
        for (i, grid) in bad.enumerated() {
            for name in ["g\(i).nii.gz", "g\(i).mha"] {
                #expect(throws: ImageWriteError.self) { try ImageFile.write(Volume<UInt8>(grid: grid), to: dir.appendingPathComponent(name)) }
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("writing replaces an existing file and leaves no temporary files behind")
    func atomicReplace() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.nii.gz")
        try NIfTI.write(Self.pattern(Self.rightHandedGrid) { Float($0) }, to: url)
        try NIfTI.write(Self.pattern(Self.rightHandedGrid) { UInt8($0) }, to: url)
        #expect(try NIfTI.read(contentsOf: url).voxelTypeName == "uint8")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.nii.gz"])
    }

    @Test("NIfTI-1 refuses a grid beyond 32767 voxels per axis and names version 2; the output is not created")
    func nifti1SizeLimit() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-limit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("wide.nii")
        let v = Volume<UInt8>(grid: ImageGrid(dims: SIMD3(40000, 1, 1)))
        #expect { try NIfTI.write(v, to: url) } throws: { "\($0)".contains("version 2") }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        try NIfTI.write(v, to: url, version: 2)
        #expect(try NIfTI.read(contentsOf: url).grid.dims == SIMD3(40000, 1, 1))
    }
}
