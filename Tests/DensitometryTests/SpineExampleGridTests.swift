// Why `openbct analyze` on the example phantom (2 mm pixels and slices, age 70) reads a site vBMD ~20 %
// below the phantom's `meanTrabecularDensity`: that truth figure averages every voxel labelled trabecular
// core, and at 2 mm the outer core voxels share the 1 mm cortical shell's mineral. The VOI (≥ 3 mm deep)
// is compared with the truth over the same voxels instead. Consistency check (methods.md §10).
import Anatomy
import Calibration
import Densitometry
import OpenBCTCore
import Phantom
import Testing

@Suite("Spine vBMD on the example's 2 mm grid")
struct SpineExampleGridTests {
    @Test("2 mm phantom, internal calibration: vBMD within 5 % of the truth over the VOI; the whole-core truth mean is shell-inflated")
    func exampleGrid() throws {
        var o = PhantomOptions()
        o.sites = [.spine]; o.pixelSpacing = 2; o.sliceThickness = 2; o.age = 70; o.patientSex = "F"
        let s = try SpinePhantomFixture.make(o).get()
        let calibration = try InternalCalibration.calibrate(s.hu, method: .effectiveEnergy, kVp: 120)
        let truthLine = try #require(s.phantom.truth.calibration.first { $0.material == "K2HPO4" })
        print(String(format: "2 mm phantom: internal line HU = %.2f + %.4f·ρ vs phantom %.2f + %.4f·ρ (slope %+.2f %%)",
                     calibration.line.intercept, calibration.line.slope, truthLine.intercept, truthLine.slope,
                     100 * (calibration.line.slope / truthLine.slope - 1)))
        let rows = try SpinePhantomTests.measureAgainstTruth(s, calibration: calibration)
        let labels = s.phantom.labels, density = s.phantom.density
        for r in rows {
            let v = try #require(PhantomLabel.vertebraLevels.firstIndex(of: r.level))
            let core = PhantomLabel.vertebra(v, .bodyTrabecular)
            let whole = try #require(s.phantom.truth.vertebrae.first { $0.level == r.level }?.meanTrabecularDensity)
            // Truth over core voxels whose 26 neighbours are all core or vein: the shell's partial volume removed.
            let deep = Self.meanOverDeepCore(density, labels, core: core, vein: PhantomLabel.vertebra(v, .basivertebralVein))
            print(String(format: "2 mm %@: vBMD %.1f, truth over the VOI %.1f (%+.2f %%), truth over deep core voxels %.1f, whole-core truth mean %.1f (%+.1f %% vs the VOI truth)",
                         r.level, r.measured, r.truth, 100 * (r.measured / r.truth - 1), deep, whole, 100 * (whole / r.truth - 1)))
            #expect(abs(r.measured / r.truth - 1) < 0.05, "\(r.level)")
            // The cause of the apparent −19 %: the whole-core mean is far above the core's interior.
            #expect(whole > 1.1 * deep, "\(r.level)")
        }
        #expect(Set(rows.map(\.level)).isSuperset(of: ["L1", "L2"]))
    }

    /// Mean truth density over core voxels whose 26 neighbours are all core (or basivertebral vein).
    static func meanOverDeepCore(_ density: Volume<Float>, _ labels: Volume<UInt8>, core: UInt8, vein: UInt8) -> Double {
        let n = labels.dims
        var sum = 0.0, count = 0
        for k in 1..<(n.z - 1) { for j in 1..<(n.y - 1) { for i in 1..<(n.x - 1) where labels.voxels[labels.grid.linearIndex(i, j, k)] == core {
            var interior = true
            for dk in -1...1 { for dj in -1...1 { for di in -1...1 {
                let l = labels.voxels[labels.grid.linearIndex(i + di, j + dj, k + dk)]
                if l != core && l != vein { interior = false }
            } } }
            if interior { sum += Double(density.voxels[labels.grid.linearIndex(i, j, k)]); count += 1 }
        } } }
        return count > 0 ? sum / Double(count) : .nan
    }
}
