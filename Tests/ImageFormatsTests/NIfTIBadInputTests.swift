// Bad NIfTI input: a specific InputError naming the file and the field or byte offset, never a crash.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport

@Suite("NIfTI bad input")
struct NIfTIBadInputTests {
    static let grid = ImageGrid(dims: SIMD3(8, 6, 4), spacing: Vec3(0.5, 0.5, 2), origin: Vec3(10, -20, 30))

    /// Writes a small valid int16 NIfTI-1 file, lets `edit` damage its bytes, and returns its URL.
    static func damagedFile(_ name: String, in dir: URL, _ edit: (inout [UInt8]) -> Void) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try NIfTI.write(Volume<Int16>(grid: grid, voxels: (0..<grid.count).map { Int16($0) }), to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        edit(&bytes)
        try Data(bytes).write(to: url)
        return url
    }

    static func put(_ value: Float, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
    }

    static func put(_ value: Int16, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 2, with: $0) }
    }

    /// The InputError `read` throws (nil when it throws something else or nothing).
    static func readError(_ url: URL) -> InputError? {
        do { _ = try NIfTI.read(contentsOf: url); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test("truncated .nii.gz → 'truncated gzip stream at byte N' with N the file size")
    func truncatedGzip() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.nii.gz")
        try NIfTI.write(Volume<Float>(grid: Self.grid, voxels: (0..<Self.grid.count).map { sin(Float($0)) }), to: url)
        let full = try Data(contentsOf: url)
        try full.prefix(full.count * 2 / 3).write(to: url)
        let e = try #require(Self.readError(url))
        #expect(e.description.contains("truncated gzip stream at byte \(full.count * 2 / 3)"), "\(e)")
        #expect(e.path == url.path)
    }

    @Test("singular sform (a zero voxel axis) → InputError naming the sform fields")
    func singularSform() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.damagedFile("s.nii", in: dir) { b in
            for row in 0..<3 { Self.put(Float(0), at: 280 + 16 * row + 4, in: &b) }   // second column of srow_x/y/z
        }
        let e = try #require(Self.readError(url))
        #expect(e.description.contains("singular affine") && e.location?.contains("sform") == true, "\(e)")
    }

    @Test("singular qform (pixdim[2] = 0, no sform) → InputError naming the qform")
    func singularQform() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.damagedFile("q.nii", in: dir) { b in
            Self.put(Int16(0), at: 254, in: &b)   // sform_code = 0
            Self.put(Float(0), at: 76 + 8, in: &b)   // pixdim[2] = 0
        }
        let e = try #require(Self.readError(url))
        #expect(e.description.contains("singular affine") && e.location?.contains("qform") == true, "\(e)")
    }

    @Test("sheared sform beyond 1e-4 is refused with the deviation; a 1e-6 shear is accepted")
    func shear() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        // srow_x[1] = 0.01 × 0.5 mm: axes i and j meet at cos ≈ 0.01.
        let sheared = try Self.damagedFile("shear.nii", in: dir) { b in Self.put(Float(-0.005), at: 284, in: &b) }
        let e = try #require(Self.readError(sheared))
        #expect(e.description.contains("sform is not orthogonal") && e.description.contains("0.0099"), "\(e)")
        let slight = try Self.damagedFile("slight.nii", in: dir) { b in Self.put(Float(-5e-7), at: 284, in: &b) }
        #expect(throws: Never.self) { try NIfTI.read(contentsOf: slight) }
    }

    @Test("wrong magic, not a NIfTI file, two-file .hdr magic → errors naming the byte")
    func magic() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrong = try Self.damagedFile("m.nii", in: dir) { b in b[345] = UInt8(ascii: "x") }
        #expect(Self.readError(wrong)?.description.contains("byte 344 (magic): wrong NIfTI-1 magic \"nx1\\x00\"") == true,
                "\(String(describing: Self.readError(wrong)))")
        let pair = try Self.damagedFile("p.nii", in: dir) { b in b[345] = UInt8(ascii: "i") }
        #expect(Self.readError(pair)?.description.contains("two-file NIfTI-1") == true)
        let text = dir.appendingPathComponent("text.nii")
        try Data("hello, this is not an image at all".utf8).write(to: text)
        #expect(Self.readError(text)?.description.contains("sizeof_hdr") == true)
    }

    @Test("dims larger than the data (.nii and .nii.gz) → error giving dims, bytes needed and bytes present")
    func dimsInconsistentWithSize() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try Self.damagedFile("d.nii", in: dir) { b in Self.put(Int16(5), at: 46, in: &b) }   // dim[3] 4 → 5
        let e = try #require(Self.readError(plain))
        #expect(e.location == "byte 352" && e.description.contains("dim says 8×6×5 int16 voxels from vox_offset 352: 480 bytes, but only 384 bytes follow"), "\(e)")

        // Compressed: the gzip stream is intact but holds fewer voxels than dim promises.
        let gz = dir.appendingPathComponent("d.nii.gz")
        var header = [UInt8](try Data(contentsOf: plain))
        header.removeLast(header.count - 352 - 384)   // header + exactly 8×6×4 int16 voxels
        let gzBytes = try gzip(header)
        try gzBytes.write(to: gz)
        let e2 = try #require(Self.readError(gz))
        #expect(e2.description.contains("image data ends after 384 of 480 bytes") && e2.location == "byte 736", "\(e2)")
    }

    @Test("unsupported datatype, several volumes, bad dim[0], negative dim → errors naming the field",
          arguments: [
              (70, Int16(32), "header field datatype"),     // complex64
              (44, Int16(-6), "header field dim[2]"),
              (48, Int16(3), "header field dim[4…]"),       // dim[4] = 3 volumes (with dim[0] = 4 below)
              (40, Int16(9), "header field dim[0]"),
          ])
    func badFields(offset: Int, value: Int16, location: String) throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.damagedFile("f.nii", in: dir) { b in
            Self.put(value, at: offset, in: &b)
            if offset == 48 { Self.put(Int16(4), at: 40, in: &b) }
        }
        let e = try #require(Self.readError(url))
        #expect(e.location == location, "\(e)")
    }

    @Test("a bitpix contradicting the datatype is a warning (the datatype decides); vox_offset 0 means 352")
    func lenientFields() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.damagedFile("b.nii", in: dir) { b in
            Self.put(Int16(8), at: 72, in: &b)       // bitpix 8 for int16
            Self.put(Float(0), at: 108, in: &b)      // vox_offset 0
        }
        var warnings: [String] = []
        let v = try NIfTI.read(contentsOf: url, warnings: &warnings)
        #expect(v.doubles == (0..<Self.grid.count).map(Double.init))
        #expect(warnings.count == 1 && warnings[0].contains("bitpix is 8"), "\(warnings)")
    }

    @Test("a tiny .nii.gz whose header promises 20000³ voxels fails before allocating them")
    func absurdDimsCompressed() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = [UInt8](try Data(contentsOf: Self.damagedFile("huge.nii", in: dir) { b in
            for axis in 1...3 { Self.put(Int16(20000), at: 40 + 2 * axis, in: &b) }
        }))
        bytes.removeLast(bytes.count - 352)
        try gzip(bytes).write(to: dir.appendingPathComponent("huge.nii.gz"))
        let e = try #require(Self.readError(dir.appendingPathComponent("huge.nii.gz")))
        #expect(e.description.contains("16000000000000 bytes, but the rest of the compressed data can hold at most"), "\(e)")
    }

    @Test("every truncation of a .nii and a .nii.gz, and corrupted gzip bytes, give an InputError, never a crash")
    func everyTruncation() throws {
        let dir = try TestPaths.temporaryDirectory("nifti-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["c.nii", "c.nii.gz"] {
            let url = dir.appendingPathComponent(name)
            try NIfTI.write(Volume<Int16>(grid: Self.grid, voxels: (0..<Self.grid.count).map { Int16($0 * 7) }), to: url)
            let full = try Data(contentsOf: url)
            let cut = dir.appendingPathComponent("cut-" + name)
            for length in stride(from: 0, to: full.count, by: name.hasSuffix(".gz") ? 1 : 7) {
                try full.prefix(length).write(to: cut)
                #expect(Self.readError(cut) != nil, "\(name) cut at \(length)")
            }
        }
        let gz = dir.appendingPathComponent("c.nii.gz")
        var bytes = [UInt8](try Data(contentsOf: gz))
        for i in 20..<min(60, bytes.count - 8) { bytes[i] ^= 0x5a }
        try Data(bytes).write(to: gz)
        let e = try #require(Self.readError(gz))
        #expect(e.description.contains("corrupt gzip stream") || e.description.contains("wrong NIfTI") || e.description.contains("sizeof_hdr"), "\(e)")
    }

    /// gzip(1)-compatible compression through the reference `gzip` program.
    private func gzip(_ bytes: [UInt8]) throws -> Data {
        let dir = try TestPaths.temporaryDirectory("gzip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x")
        try Data(bytes).write(to: file)
        let r = try ExternalTool.run("gzip", ["-k", file.path])
        try #require(r.status == 0, "gzip failed: \(r.stderr)")
        return try Data(contentsOf: dir.appendingPathComponent("x.gz"))
    }
}
