import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite("CT source")
struct CTSourceTests {
    @Test("SOP Instance UIDs follow the stack order of the loaded volume, not the file names (shuffled series)")
    func uidOrder() throws {
        let dir = try TestPaths.temporaryDirectory("ctsource-shuffled")
        defer { try? FileManager.default.removeItem(at: dir) }
        // pydicom writes 12 slices under random file names, InstanceNumber opposite to the position order.
        _ = try ExternalTool.python("make_test_series.py", ["regular", dir.path])
        let folder = dir.appendingPathComponent("dicom")
        let expected = try ExternalTool.python("series_uid_order.py", [folder.path])
            .split(whereSeparator: \.isNewline).map(String.init)
        let source = try CTSource.load(folder.path)
        #expect(expected.count == 12 && source.volume.dims.z == 12)
        #expect(source.study.sopInstanceUIDs == expected)
        let byName = source.inputs.files.sorted { $0.name < $1.name }.compactMap(\.sopInstanceUID)
        #expect(byName != expected, "the file names must not already sort in stack order for this test to mean anything")
    }

    @Test("the plain reader (other commands) gives analyze's volume and facts without hashing")
    func plainReader() throws {
        let dir = try TestPaths.temporaryDirectory("ctsource-plain")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ExternalTool.python("make_test_series.py", ["regular", dir.path])
        let folder = dir.appendingPathComponent("dicom").path
        let plain = try CTVolume.read(folder), hashed = try CTSource.load(folder)
        #expect(plain.volume.grid == hashed.volume.grid && plain.volume.voxels == hashed.volume.voxels)
        #expect(plain.facts?.seriesInstanceUID == hashed.facts?.seriesInstanceUID && plain.series?.files.count == hashed.inputs.files.count)
        #expect(hashed.inputs.files.allSatisfy { $0.sha256.count == 64 })
    }
}
