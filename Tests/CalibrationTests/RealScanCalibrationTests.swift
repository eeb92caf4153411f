// Calibration on real scans nobody here made: the QRM phantom and the TotalSegmentator abdomen.
import Calibration
import DICOM
import Foundation
import ImageFormats
import OpenBCTCore
import TestSupport
import Testing

@Suite("Calibration on real scans")
struct RealScanCalibrationTests {
    static func qrm() throws -> LoadedCT {
        let catalog = try SeriesScanner.scan(TestPaths.shared("phantom/qrm-thorax/series"))
        return try CTSeriesLoader.load(try catalog.pick(nil))
    }

    @Test("QRM: the 3 and 5 mm HA inserts are found; the 5 mm 200 mg/cm³ insert measured leave-one-out",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func qrmPhantom() throws {
        let ct = try Self.qrm()
        let rods = RodDetector().detect(in: ct.volume)
        for r in rods { print(String(format: "QRM rod: (%.1f, %.1f) slice %d  d %.2f mm  bg %.0f  contrast %.0f", r.ci, r.cj, r.peakSlice, r.diameterMM, r.backgroundHU, r.contrastHU)) }
        let calibration = try PhantomCalibration.calibrate(ct.volume, phantom: .qrmCardiacCalcification)
        for region in calibration.regions {
            print(String(format: "QRM %@: mean %.1f HU (n=%d), fitted %.1f, leave-one-out %.1f mg HA/cm³",
                         region.name, region.statistics.mean, region.statistics.count,
                         region.fittedDensity ?? .nan, region.leaveOneOutDensity ?? .nan))
        }
        print("QRM line: HU = \(calibration.line.intercept) + \(calibration.line.slope)·ρ_HA, r² \(calibration.line.rSquared ?? .nan)")
        #expect(calibration.regions.count == 3)
        #expect((calibration.line.rSquared ?? 0) > 0.95)
        for note in calibration.provenance.notes { print("QRM note: \(note)") }
        let rod200 = try #require(calibration.regions.first { $0.referenceDensity == 200 })
        let loo = try #require(rod200.leaveOneOutDensity)
        // Extrapolated from the 400 and 800 inserts along a convex response (HU per mg 1.40 between 200 and 400,
        // 1.56 between 400 and 800, the same in the 3 mm group; Tests/Python/qrm_insert_response.py): the 200 reads
        // high. The target (5 %) is not reached; docs/calibration.md gives the evidence.
        #expect(abs(loo - 200) / 200 < 0.15)
        // The 400, the only insert inside the others' range, is interpolated.
        let rod400 = try #require(calibration.regions.first { $0.referenceDensity == 400 }?.leaveOneOutDensity)
        #expect(abs(rod400 - 400) / 400 < 0.05)
        // The report says the response is not linear.
        #expect(calibration.provenance.notes.contains { $0.hasPrefix("HU per mg/cm³ between adjacent rods") })
    }
}

@Suite("Quadratic calibration on the real QRM phantom")
struct QRMQuadraticCalibrationTests {
    @Test("QRM: quadratic response over the 5 and 3 mm groups; all six inserts leave-one-out; numpy agrees on the arithmetic and on pydicom ROIs",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func quadraticLeaveOneOut() throws {
        let ct = try RealScanCalibrationTests.qrm()
        let c = try PhantomCalibration.calibrate(ct.volume, phantom: .qrmCardiacCalcification, response: .quadratic)
        let response = try #require(c.response)
        print(String(format: "QRM quadratic: HU = %.3f + %.5f·ρ + %.4e·ρ², scales %@", response.a, response.b, response.c,
                     response.groupScales.map { String(format: "%.4f", $0) }.joined(separator: ", ")))
        for r in c.regions {
            print(String(format: "QRM quadratic %@: mean %.1f HU, bg %.1f, residual %+.2f HU, in-sample %.1f, leave-one-out %.1f (%+.1f %%)",
                         r.name, r.statistics.mean, r.backgroundHU ?? .nan, r.residualHU ?? .nan, r.fittedDensity ?? .nan,
                         r.leaveOneOutDensity ?? .nan, 100 * (r.leaveOneOutError ?? .nan) / r.referenceDensity!))
        }
        for note in c.provenance.notes { print("QRM quadratic note: \(note)") }
        #expect(c.regions.count == 6)
        #expect(c.regions.allSatisfy { $0.leaveOneOutDensity != nil })
        // The curve does not rescue the 5 mm 200 (+14 %, linear +11.5 %): the 3 mm rods are about twice as curved
        // relative to their slope as the 5 mm ones, so a shared curvature does not hold (docs/calibration.md).
        // The premise (HU_g = bg·(1 − s_g) + s_g·f(ρ): the same c/b in every size) tested on each size's own exact curve.
        let relativeCurvature = try (0...1).map { group -> Double in
            let own = c.regions.filter { $0.sizeGroup == group }.map {
                QuadraticResponse.Point(density: $0.referenceDensity!, hu: $0.statistics.mean, backgroundHU: 0, group: 0)
            }
            let q = try QuadraticResponse(fitting: own)
            print(String(format: "QRM size group %d alone: HU = %.1f + %.4f·ρ + %.4e·ρ², c/b = %.3e per mg/cm³", group, q.a, q.b, q.c, q.c / q.b))
            return q.c / q.b
        }
        #expect(relativeCurvature[1] > 1.5 * relativeCurvature[0])
        let rod200 = try #require(c.regions.first { $0.sizeGroup == 0 && $0.referenceDensity == 200 })
        #expect((0.08...0.20).contains(rod200.leaveOneOutError! / 200))

        // What BMD and FE would see: K2HPO4 density at bone HU, straight line (5 mm rods) vs the curve, and the
        // ratio of the femur modulus E = 10500·ρ_ash^2.29 (methods.md §10) the two give.
        let linear = try PhantomCalibration.calibrate(ct.volume, phantom: .qrmCardiacCalcification)
        for hu in [50.0, 100, 200, 300, 600, 1000, 1500] {
            let l = linear.density(hu: hu), q = c.density(hu: hu)
            let modulus = pow(DensityConversion.ash(fromK2HPO4: q) / DensityConversion.ash(fromK2HPO4: l), 2.29)
            print(String(format: "QRM HU %4.0f: ρ_K linear %.1f, quadratic %.1f mg/cm³ (%+.1f %%); femur modulus ×%.3f", hu, l, q, 100 * (q / l - 1), modulus))
        }
        // The density volume is the curve's inverse voxel by voxel.
        let slab = Volume<Float>(grid: ImageGrid(dims: SIMD3(4, 1, 1), spacing: Vec3(1, 1, 1)), voxels: [-1000, 100, 400, 1500])
        for (hu, ρ) in zip(slab.voxels, c.apply(slab).voxels) { #expect(abs(Double(ρ) - c.density(hu: Double(hu))) < 1e-3 * max(1, abs(Double(ρ)))) }

        // The same ROI values through numpy (variable projection, a different algorithm): same fit, same leave-one-out.
        let folder = try TestPaths.temporaryDirectory("qrm-quadratic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rods = c.regions.map { r -> [String: Any] in
            ["group": r.sizeGroup!, "density": r.referenceDensity!, "hu": r.statistics.mean, "bg": r.backgroundHU!]
        }
        let pointsFile = folder.appendingPathComponent("points.json")
        try JSONSerialization.data(withJSONObject: ["reference": 0, "rods": rods]).write(to: pointsFile)
        let numpy = try Self.decode(try ExternalTool.python("qrm_quadratic_calibration.py", ["--points", pointsFile.path]))
        #expect(abs(numpy.fit.c - response.c) < 1e-6 * abs(response.c))
        for (r, n) in zip(c.regions, numpy.rods) {
            #expect(abs(r.leaveOneOutDensity! - n.leave_one_out!) < 1e-4)
        }

        // pydicom's own ROIs (same rule, but its own rod centres and the nominal diameter in the ROI radius: 0.9 mm for
        // the 3 mm rods, where openbct takes 0.3 × each detected diameter, 3.1 mm on average): a 1-degree-of-freedom fit amplifies those few HU,
        // so agreement is within 3 percentage points, with the same sign everywhere.
        let independent = try Self.decode(try ExternalTool.python("qrm_quadratic_calibration.py", [TestPaths.shared("phantom/qrm-thorax/series").path]))
        for n in independent.rods {
            let ours = try #require(c.regions.first { $0.sizeGroup == n.group && $0.referenceDensity == n.density })
            print(String(format: "QRM quadratic group %d, %g (pydicom ROIs): leave-one-out %+.1f %%, openbct %+.1f %%", n.group, n.density,
                         n.error_pct!, 100 * ours.leaveOneOutError! / n.density))
            #expect(abs(n.error_pct! - 100 * ours.leaveOneOutError! / n.density) < 3)
            #expect((n.error_pct! > 0) == (ours.leaveOneOutError! > 0))
        }
    }

    struct NumpyResult: Decodable {
        struct Fit: Decodable { var a: Double; var b: Double; var c: Double }
        struct Rod: Decodable { var group: Int; var density: Double; var leave_one_out: Double?; var error_pct: Double? }
        var fit: Fit
        var rods: [Rod]
    }

    static func decode(_ json: String) throws -> NumpyResult { try JSONDecoder().decode(NumpyResult.self, from: Data(json.utf8)) }
}

@Suite("Internal calibration on the real abdomen")
struct AbdomenInternalCalibrationTests {
    static func load() throws -> (hu: Volume<Float>, labels: Volume<Int32>) {
        let hu = try ImageFile.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz")).asFloat()
        let labels = try ImageFile.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz")).asLabels()
        return (hu, labels)
    }

    @Test("abdomen-3mm: air, fat, muscle and aortic blood found (≥ 10 mm²); effective-energy fit plausible",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func internalCalibration() throws {
        let (hu, labels) = try Self.load()
        let calibration = try InternalCalibration.calibrate(hu, labels: labels, method: .effectiveEnergy, kVp: nil)
        for r in calibration.regions {
            print(String(format: "abdomen %@: median %.1f HU, MAD %.1f, n=%d, %.0f mm², table %.1f HU, residual %.1f",
                         r.name, r.statistics.median, r.statistics.mad, r.statistics.count, r.areaMM2, r.referenceHU ?? .nan, r.residualHU ?? .nan))
        }
        let e = calibration.effectiveEnergyKeV ?? .nan
        let tf = try #require(calibration.tissueFit)
        print("abdomen: E = \(e) keV, HU = \(tf.intercept) + \(tf.slope)·HU_table, r² \(tf.rSquared ?? .nan); ρ_K(200 HU) = \(calibration.density(hu: 200)) mg/cm³")
        let names = Set(calibration.regions.map(\.name))
        #expect(names.count == 4)
        // Visceral fat: found inside the abdominal wall, reported against the line, not fitted.
        let visceral = try #require(calibration.checkRegions?.first)
        print(String(format: "abdomen %@: median %.1f HU, MAD %.1f, n=%d, %.0f mm², table %.1f HU, %+.1f HU from the line (not fitted)",
                     visceral.name, visceral.statistics.median, visceral.statistics.mad, visceral.statistics.count, visceral.areaMM2,
                     visceral.referenceHU ?? .nan, visceral.residualHU ?? .nan))
        #expect(visceral.name.hasPrefix("visceral fat") && visceral.areaMM2 >= 10)
        #expect((-130 ... -60).contains(visceral.statistics.median))
        #expect(calibration.regions.allSatisfy { $0.areaMM2 >= 10 })
        // Plausible: a CT is calibrated to water/air, so the tissue line is near identity.
        #expect(abs(tf.slope - 1) < 0.1)
        #expect(abs(tf.intercept) < 30)
        #expect((tf.rSquared ?? 0) > 0.99)
        #expect((40...120).contains(e))
        // Vertebral bodies T12–L2 (TotalSegmentator v2 ids 30–32), median density: physiological range.
        let density = calibration.apply(hu)
        for id: Int32 in [30, 31, 32] {
            let values = density.voxels.indices.filter { labels.voxels[$0] == id }.map { density.voxels[$0] }
            let stats = try #require(RegionStatistics(values))
            print("abdomen label \(id): median density \(stats.median) mg/cm³ K2HPO4 (n=\(stats.count))")
            #expect((50...350).contains(stats.median))
        }
    }

    @Test("abdomen-3mm: two-point air/fat fallback maps air and fat onto their tabulated HU at 10 + kVp/2",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func twoPointAgrees() throws {
        let (hu, labels) = try Self.load()
        let full = try InternalCalibration.calibrate(hu, labels: labels, method: .effectiveEnergy, kVp: nil)
        let twoPoint = try InternalCalibration.calibrate(hu, labels: labels, method: .twoPoint, kVp: nil)
        #expect(twoPoint.method == .internalTwoPoint)
        #expect(twoPoint.regions.count == 2)
        #expect(twoPoint.effectiveEnergyKeV == 70)
        for r in twoPoint.regions { #expect(abs(r.residualHU ?? .infinity) < 1e-9) }
        // The two methods differ by their effective energy (k2HPO4's HU per mg/cm³ depends on it): reported, not asserted.
        print("abdomen ρ_K at 200 HU: effective energy (\(full.effectiveEnergyKeV!) keV) \(full.density(hu: 200)), two-point (70 keV) \(twoPoint.density(hu: 200))")
    }
}
