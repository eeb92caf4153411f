// Series assembly on series written by pydicom (Tests/Python/make_test_series.py), whose script states
// the affine and the HU of every voxel.
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOM

/// What make_test_series.py says a correct reader produces.
struct ScenarioExpectation: Decodable {
    var error: String?
    var warnings: [String]
    var skipped: Int
    var default_series_uid: String
    var affine_lps: [[Double]]
    var dims: [Int]
}

@Suite("Series assembly (pydicom-written series)")
struct SeriesAssemblyTests {
    static let scenarios = ["regular", "reversed", "oblique", "gaps", "big-gap", "tilt", "duplicates",
                            "duplicates-different", "mixed-sizes", "localizer", "two-series"]

    @Test("assembles the scenario with the affine and HU the script states", arguments: scenarios)
    func scenario(_ name: String) throws {
        let dir = try TestPaths.temporaryDirectory("series-\(name)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ExternalTool.python("make_test_series.py", [name, dir.path])
        let expected = try JSONDecoder().decode(ScenarioExpectation.self,
                                                from: Data(contentsOf: dir.appendingPathComponent("expected.json")))

        let catalog = try SeriesScanner.scan(dir.appendingPathComponent("dicom"))
        #expect(catalog.skipped.count == expected.skipped, "skipped: \(catalog.skipped)")
        let series = try catalog.pick(nil)
        #expect(series.seriesInstanceUID == expected.default_series_uid)
        #expect(series.facts.kvp == 120 && series.facts.convolutionKernel == "B30f" && series.facts.patientAge == "064Y")

        if let message = expected.error {
            #expect { try CTSeriesLoader.load(series) } throws: { error in
                "\(error)".contains(message)
            }
            return
        }
        let ct = try CTSeriesLoader.load(series)
        let grid = ct.volume.grid
        #expect([grid.dims.x, grid.dims.y, grid.dims.z] == expected.dims)
        for r in 0..<4 { for c in 0..<4 {
            #expect(abs(grid.affineLPS[r][c] - expected.affine_lps[r][c]) < 1e-4, "affine[\(r)][\(c)]")
        } }
        for w in expected.warnings {
            #expect(ct.warnings.contains { $0.contains(w) }, "missing warning \"\(w)\" in \(ct.warnings)")
        }
        if expected.warnings.isEmpty { #expect(ct.warnings.isEmpty, "unexpected warnings \(ct.warnings)") }

        // Stored values were rounded with slopes up to 2: a correctly placed voxel is within 1 HU.
        let reference = try Data(contentsOf: dir.appendingPathComponent("expected.f32"))
        let values = reference.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(values.count == ct.volume.voxels.count)
        var worst: Float = 0, compared = 0
        for (got, want) in zip(ct.volume.voxels, values) where !want.isNaN {
            worst = max(worst, abs(got - want)); compared += 1
        }
        #expect(compared > values.count / 2)
        #expect(worst <= 1.0 + 1e-3, "largest HU error \(worst)")
    }
}
