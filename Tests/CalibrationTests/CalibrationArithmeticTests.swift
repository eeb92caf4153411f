// Closed-form checks of the calibration arithmetic: least squares, Mindways form, conversions, apply.
import Calibration
import Foundation
import OpenBCTCore
import Testing

@Suite("Calibration arithmetic")
struct CalibrationArithmeticTests {
    @Test("least squares against the normal equations (hand-computed)")
    func leastSquares() throws {
        // x = 0, 1, 2, 3; y = 1, 3, 4, 8: slope = Sxy/Sxx = 11/5 = 2.2, intercept = 4 − 2.2·1.5 = 0.7.
        let fit = try LinearFit([(0, 1), (1, 3), (2, 4), (3, 8)])
        #expect(abs(fit.slope - 2.2) < 1e-12)
        #expect(abs(fit.intercept - 0.7) < 1e-12)
        // Residuals 0.3, 0.1, −1.1, 0.7: SSres = 1.8; SStot = 26 → r² = 1 − 1.8/26.
        let expected = [0.3, 0.1, -1.1, 0.7]
        for (r, e) in zip(fit.residuals, expected) { #expect(abs(r - e) < 1e-12) }
        #expect(abs((fit.rSquared ?? 0) - (1 - 1.8 / 26)) < 1e-12)
        #expect(throws: CalibrationError.self) { try LinearFit([(1, 1), (1, 2)]) }
    }

    @Test("median and MAD of a known sample")
    func robustStatistics() throws {
        let s = try #require(RegionStatistics([1, 2, 3, 4, 100]))
        #expect(s.median == 3)
        #expect(abs(s.mad - 1.4826) < 1e-9)  // |x − 3| = 2,1,0,1,97 → median 1
        #expect(s.mean == 22)
    }

    @Test("conversions of methods.md §3/§10")
    func conversions() {
        #expect(abs(DensityConversion.ash(fromK2HPO4: 100) - 144.9) < 1e-12)
        #expect(abs(DensityConversion.ash(fromHydroxyapatite: 100) - 153.7) < 1e-12)
        // ρ_K from HA goes through ash: 1.06·ρ_K + 38.9 = 0.839·ρ_HA + 69.8.
        let k = DensityConversion.k2hpo4(fromHydroxyapatite: 250)
        #expect(abs(DensityConversion.ash(fromK2HPO4: k) - DensityConversion.ash(fromHydroxyapatite: 250)) < 1e-9)
        #expect(abs(DensityConversion.apparent(fromAsh: 600) - 1000) < 1e-12)
    }

    /// A 2-D "scan" with rods of known HU on a uniform background.
    static func rodSlab(rods: [(ci: Double, cj: Double, hu: Float)], radiusMM: Double, background: Float = 0) -> Volume<Float> {
        let grid = ImageGrid(dims: SIMD3(128, 128, 3), spacing: Vec3(0.5, 0.5, 2))
        var v = Volume<Float>(grid: grid, repeating: background)
        for k in 0..<3 { for j in 0..<128 { for i in 0..<128 {
            for rod in rods where hypot((Double(i) - rod.ci) * 0.5, (Double(j) - rod.cj) * 0.5) <= radiusMM { v[i, j, k] = rod.hu }
        } } }
        return v
    }

    @Test("Mindways form: user-placed rods give σ_CT = σ − 0.2174, β_CT = β + 999.6 exactly")
    func mindways() throws {
        // Rods built so that HU − ρ_water = 1.2·ρ_K − 5 (σ = 1.2, β = −5).
        let spec: [(ρK: Double, water: Double, ci: Double, cj: Double)] = [
            (0, 1010, 30, 30), (100, 1000, 90, 30), (200, 990, 30, 90), (300, 1005, 90, 90)]
        let scan = Self.rodSlab(rods: spec.map { ($0.ci, $0.cj, Float($0.water + 1.2 * $0.ρK - 5)) }, radiusMM: 5)
        let phantom = PhantomDefinition(name: "synthetic", equivalent: .k2hpo4, rods: spec.map {
            .init(density: $0.ρK, centre: scan.grid.physicalPoint(index: Vec3($0.ci, $0.cj, 1)), radiusMM: 3, waterDensity: $0.water)
        })
        let c = try PhantomCalibration.calibrate(scan, phantom: phantom)
        #expect(c.method == .mindwaysK2HPO4InWater)
        #expect(abs(c.line.slope - (1.2 - 0.2174)) < 1e-9)
        #expect(abs(c.line.intercept - (-5 + 999.6)) < 1e-6)
    }

    @Test("detected rods: densities recovered exactly leave-one-out on an exactly linear synthetic phantom; apply inverts the line")
    func detectedRods() throws {
        // HU = 20 + 1.5·ρ_HA with rods of 100, 300 and 600 mg/cm³ on a 0 HU background.
        let densities: [Double] = [100, 300, 600]
        let centres: [(Double, Double)] = [(32, 32), (96, 32), (64, 96)]
        let scan = Self.rodSlab(rods: zip(densities, centres).map { ($1.0, $1.1, Float(20 + 1.5 * $0)) }, radiusMM: 2.5)
        let detected = RodDetector().detect(in: scan)
        #expect(detected.count == 3)
        for rod in detected { #expect(abs(rod.diameterMM - 5) < 0.6) }
        let c = try PhantomCalibration.calibrate(scan, phantom: .init(name: "synthetic HA", equivalent: .hydroxyapatite,
                                                                       rods: densities.map { .init(density: $0) }))
        #expect(abs(c.line.slope - 1.5) < 1e-4 && abs(c.line.intercept - 20) < 1e-2)
        for r in c.regions { #expect(abs((r.leaveOneOutError ?? .infinity)) < 1e-2) }
        let density = c.apply(scan)
        let hu: Float = 20 + 1.5 * 300
        let expected = DensityConversion.k2hpo4(fromHydroxyapatite: 300)
        let index = scan.voxels.firstIndex(of: hu)!
        #expect(abs(Double(density.voxels[index]) - expected) < 1e-2)
    }
}
