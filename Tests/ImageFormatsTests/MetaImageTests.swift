// MetaImage: reference files written from the MetaIO spec with numpy (Tests/Python/metaimage_reference.py)
// read back exactly; files we write parse with that independent reader; bad input gives InputError.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

/// Expected geometry of a reference MetaImage (direction = axis direction vectors, LPS).
private struct MetaImageFacts: Decodable {
    var name: String?
    var file: String
    var dims: [Int]
    var spacing: [Double]
    var origin: [Double]
    var direction: [[Double]]
    var type: String?
    var orientation: String?
}

private func values(_ bin: URL) throws -> [Double] {
    let data = try Data(contentsOf: bin)
    return data.withUnsafeBytes { raw in (0..<data.count / 8).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
}

private func gridMatches(_ g: ImageGrid, _ f: MetaImageFacts) -> Bool {
    let cols = [g.direction.c0, g.direction.c1, g.direction.c2]
    var ok = [g.dims.x, g.dims.y, g.dims.z] == Array((f.dims + [1, 1]).prefix(3))
    for a in 0..<3 {
        ok = ok && abs(g.spacing[a] - (f.spacing + [1, 1])[a]) < 1e-12 && abs(g.origin[a] - (f.origin + [0, 0])[a]) < 1e-12
        for r in 0..<min(3, f.direction[a].count) { ok = ok && abs(cols[a][r] - f.direction[a][r]) < 1e-12 }
    }
    return ok
}

@Suite("MetaImage")
struct MetaImageTests {
    @Test("spec-written .mha/.mhd/.zraw (oblique, MSB, HeaderSize, zlib, CRLF, synonyms, 2-D, 8 types) read exactly")
    func referenceFiles() throws {
        let dir = try TestPaths.temporaryDirectory("mha-ref")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try ExternalTool.python("metaimage_reference.py", ["make", dir.path])
        let cases = try JSONDecoder().decode([MetaImageFacts].self, from: Data(json.utf8))
        #expect(cases.count == 8)
        for c in cases {
            let name = c.name ?? c.file
            let v = try ImageFile.read(contentsOf: URL(fileURLWithPath: c.file))
            #expect(gridMatches(v.grid, c), "\(name): grid \(v.grid)")
            #expect(v.doubles == (try values(dir.appendingPathComponent("\(name).bin"))), "\(name): values")
        }
    }

    @Test("written .mha, .mhd+.raw, .mhd+.zraw parse with the independent reader and read back",
          arguments: [("mha", false), ("mhd", false), ("mhd", true), ("mha", true)])
    func writeRoundTrip(ext: String, compressed: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("mha-write")
        defer { try? FileManager.default.removeItem(at: dir) }
        var d = Matrix3.rotation(axis: Vec3(0.2, 0.9, -0.4), angle: 1.1)
        d.c1 = -d.c1
        let grid = ImageGrid(dims: SIMD3(11, 7, 3), spacing: Vec3(0.976, 0.976, 1.25), origin: Vec3(-250.5, 12.125, -804.5), direction: d)
        let volume = Volume<Float>(grid: grid, voxels: (0..<grid.count).map { Float($0) * 0.75 - 1000 })
        let url = dir.appendingPathComponent("out.\(ext)")
        try MetaImage.write(volume, to: url, compressed: compressed)
        let bin = dir.appendingPathComponent("v.bin")
        let parsed = try JSONDecoder().decode(MetaImageFacts.self,
                                              from: Data(try ExternalTool.python("metaimage_reference.py", ["parse", url.path, bin.path]).utf8))
        #expect(gridMatches(grid, parsed), "\(parsed)")
        #expect(parsed.type == "MET_FLOAT")
        #expect(try values(bin) == volume.voxels.map(Double.init))
        let back = try MetaImage.read(contentsOf: url)
        #expect(back.grid == grid)
        #expect(back.doubles == volume.voxels.map(Double.init))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("out") }.sorted()
        #expect(files == (ext == "mha" ? ["out.mha"] : ["out.mhd", compressed ? "out.zraw" : "out.raw"]))
    }

    @Test("a .zraw larger than one compression block is one zlib stream Python's zlib accepts (Adler-32 checked)")
    func multiBlockZlib() throws {
        let dir = try TestPaths.temporaryDirectory("mha-blocks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = ImageGrid(dims: SIMD3(256, 256, 24))   // 6.3 MB of float32: two 4 MiB blocks
        let volume = Volume<Float>(grid: grid, voxels: (0..<grid.count).map { Float(($0 * 7919) % 4001) - 1000 })
        let url = dir.appendingPathComponent("big.mhd")
        try MetaImage.write(volume, to: url, compressed: true)
        let bin = dir.appendingPathComponent("v.bin")
        _ = try ExternalTool.python("metaimage_reference.py", ["parse", url.path, bin.path])
        #expect(try values(bin) == volume.voxels.map(Double.init))
        #expect(try MetaImage.read(contentsOf: url).doubles == volume.voxels.map(Double.init))
    }

    @Test("identity direction is labelled RAI like ITK; all six voxel types round-trip through ImageFile")
    func orientationAndTypes() throws {
        let dir = try TestPaths.temporaryDirectory("mha-types")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = ImageGrid(dims: SIMD3(3, 2, 2))
        let volumes: [AnyVolume] = [
            .uint8(Volume(grid: grid, voxels: (0..<12).map { UInt8($0 * 20) })),
            .int16(Volume(grid: grid, voxels: (0..<12).map { Int16($0 * 1000 - 6000) })),
            .uint16(Volume(grid: grid, voxels: (0..<12).map { UInt16($0 * 5000) })),
            .int32(Volume(grid: grid, voxels: (0..<12).map { Int32($0 * 100_000_000 - 600_000_000) })),
            .float32(Volume(grid: grid, voxels: (0..<12).map { Float($0) / 3 })),
            .float64(Volume(grid: grid, voxels: (0..<12).map { Double($0) / 7 })),
        ]
        for v in volumes {
            let url = dir.appendingPathComponent("\(v.voxelTypeName).mha")
            try ImageFile.write(v, to: url)
            let back = try ImageFile.read(contentsOf: url)
            #expect(back.voxelTypeName == v.voxelTypeName && back.doubles == v.doubles && back.grid == grid)
        }
        let text = String(decoding: try Data(contentsOf: dir.appendingPathComponent("uint8.mha")).prefix(400), as: UTF8.self)
        #expect(text.contains("AnatomicalOrientation = RAI\n") && text.contains("ElementType = MET_UCHAR\n"))
    }

    @Test("every prefix of a .mha (plain and compressed) gives an InputError, never a crash", arguments: [false, true])
    func everyTruncation(compressed: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("mha-cut")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("v.mha")
        let grid = ImageGrid(dims: SIMD3(5, 4, 3))
        try MetaImage.write(Volume<Int16>(grid: grid, voxels: (0..<grid.count).map { Int16($0 * 9) }), to: url, compressed: compressed)
        let full = try Data(contentsOf: url)
        let cut = dir.appendingPathComponent("cut.mha")
        for length in 0..<full.count {
            try full.prefix(length).write(to: cut)
            do {
                _ = try MetaImage.read(contentsOf: cut)
                Issue.record("no error at length \(length)")
            } catch is InputError {}
        }
    }

    @Test("bad MetaImage input → InputError naming the line or field", arguments: [
        ("NDims = 3\nDimSize = 2 2 2\nElementType = MET_FLOAT\n", "no ElementDataFile"),
        ("NDims = 3\nDimSize = 2 2 2\nElementType = MET_LONG_LONG\nElementDataFile = LOCAL\n", "ElementType MET_LONG_LONG is not supported"),
        ("NDims = 3\nDimSize = 2 2 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", "32 bytes, but only 0 bytes follow"),
        ("NDims = 3\nDimSize = 2 two 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", "line 2 (DimSize)"),
        ("NDims = 3\nDimSize = 1 1 1\nElementType = MET_UCHAR\nTransformMatrix = 1 0 0 1 0 0 0 0 1\nElementDataFile = LOCAL\nx", "not orthonormal"),
        ("NDims = 3\nDimSize = 1 1 1\nElementType = MET_UCHAR\nElementNumberOfChannels = 3\nElementDataFile = LOCAL\nxyz", "channels"),
        ("NDims = 3\nDimSize = 1 1 1\nElementType = MET_UCHAR\nElementDataFile = missing.raw\n", "cannot read file"),
        ("NDims = 3\nDimSize = 4 4 4\nElementType = MET_UCHAR\nCompressedData = True\nElementDataFile = LOCAL\nxyzxyz", "corrupt"),
        ("this is not a header\n", "line 1"),
        ("NDims = 3\nDimSize = 900000000 900000000 900000000\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", "overflows"),
    ])
    func badInput(header: String, expected: String) throws {
        let dir = try TestPaths.temporaryDirectory("mha-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.mha")
        try Data(header.utf8).write(to: url)
        do {
            _ = try MetaImage.read(contentsOf: url)
            Issue.record("no error for \(header)")
        } catch let e as InputError {
            #expect(e.description.contains(expected), "\(e)")
        }
    }
}
