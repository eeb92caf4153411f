// The quadratic phantom response with per-size partial-volume scales: exact recovery, inverse, refusals.
import Calibration
import Foundation
import OpenBCTCore
import Testing

@Suite("Quadratic phantom response")
struct QuadraticResponseTests {
    /// Rods read HU = bg + s_g·(f(ρ) − bg), f = 30 + 1.2·ρ + 3e-4·ρ², s = (1, 0.72), a different bg per rod.
    static let truth = (a: 30.0, b: 1.2, c: 3e-4, scales: [1.0, 0.72])
    static func points() -> [QuadraticResponse.Point] {
        let spec: [(Double, Double, Int)] = [(200, 71, 0), (400, 78, 0), (800, 74, 0), (200, 69, 1), (400, 80, 1), (800, 75, 1)]
        return spec.map { ρ, bg, g in
            let f = truth.a + truth.b * ρ + truth.c * ρ * ρ
            return .init(density: ρ, hu: bg + truth.scales[g] * (f - bg), backgroundHU: bg, group: g)
        }
    }

    @Test("noiseless rods of two sizes: a, b, c and the scale recovered; every rod exact leave-one-out")
    func exactRecovery() throws {
        let points = Self.points()
        let r = try QuadraticResponse(fitting: points)
        #expect(abs(r.a - Self.truth.a) < 1e-7 && abs(r.b - Self.truth.b) < 1e-9 && abs(r.c - Self.truth.c) < 1e-12)
        #expect(abs(r.groupScales[1] - 0.72) < 1e-10 && r.groupScales[0] == 1)
        #expect(r.residuals.allSatisfy { abs($0) < 1e-8 })
        // Five rods still determine the four parameters: each left-out rod is recovered exactly.
        for i in points.indices {
            var others = points; others.remove(at: i)
            let p = points[i]
            let loo = try QuadraticResponse(fitting: others).density(hu: p.hu, backgroundHU: p.backgroundHU, group: p.group)
            #expect(abs(loo - p.density) < 1e-6)
        }
    }

    @Test("inverse: round trip on the increasing branch, clamped at the turning point; a straight line when c = 0")
    func inverse() throws {
        var r = try QuadraticResponse(fitting: Self.points())
        for ρ in stride(from: -1500.0, through: 3000, by: 50) {
            #expect(abs(r.inverse(r.value(at: ρ)) - ρ) < 1e-8 * max(1, abs(ρ)))
        }
        // f turns at ρ = −b/2c = −2000 (HU 30 − 1200 = −1170): lower HU read the turning density.
        #expect(abs(r.turningDensity! + 2000) < 1e-6)
        #expect(abs(r.inverse(-1500) + 2000) < 1e-6)
        // Concave: increasing below its turning point (+2000 here), clamped above.
        r.c = -3e-4
        for ρ in stride(from: -500.0, through: 1900, by: 50) { #expect(abs(r.inverse(r.value(at: ρ)) - ρ) < 1e-8 * max(1, abs(ρ))) }
        #expect(abs(r.inverse(5000) - 2000) < 1e-6)
        r.c = 0
        #expect(abs(r.inverse(30 + 1.2 * 250) - 250) < 1e-12)
    }

    @Test("refused: too few rods for the parameters, two densities only, a response that decreases over the rods")
    func refusals() {
        let points = Self.points()
        // Two groups: 4 parameters; 3 rods are too few.
        #expect(throws: CalibrationError.self) { try QuadraticResponse(fitting: Array(points[0..<2]) + [points[3]]) }
        // Curvature needs three densities.
        #expect(throws: CalibrationError.self) { try QuadraticResponse(fitting: points.filter { $0.density != 800 }) }
        // A group index with no rod.
        #expect(throws: CalibrationError.self) { try QuadraticResponse(fitting: points.map { var p = $0; if p.group == 1 { p.group = 2 }; return p }) }
        // One size, four rods, HU falling with density.
        let falling = [100.0, 200, 300, 400].map { QuadraticResponse.Point(density: $0, hu: 500 - $0 - 1e-4 * $0 * $0, backgroundHU: 0, group: 0) }
        #expect(throws: CalibrationError.self) { try QuadraticResponse(fitting: falling) }
    }

    @Test("detected rods of two sizes on a quadratic synthetic phantom: both groups used, every rod exact leave-one-out, apply inverts the curve")
    func detectedTwoSizes() throws {
        // f(ρ) = 20 + 1.3·ρ + 2e-4·ρ² on a 0 HU background; no blur, so both sizes read f (scale 1).
        let f = { (ρ: Double) in 20 + 1.3 * ρ + 2e-4 * ρ * ρ }
        let densities: [Double] = [200, 400, 800]
        let large: [(Double, Double)] = [(20, 32), (64, 32), (108, 32)], small: [(Double, Double)] = [(20, 96), (64, 96), (108, 96)]
        let grid = ImageGrid(dims: SIMD3(128, 128, 3), spacing: Vec3(0.5, 0.5, 2))
        var scan = Volume<Float>(grid: grid, repeating: 0)
        for (centres, radius) in [(large, 2.5), (small, 1.5)] {
            for (ρ, c) in zip(densities, centres) {
                for k in 0..<3 { for j in 0..<128 { for i in 0..<128 where hypot((Double(i) - c.0) * 0.5, (Double(j) - c.1) * 0.5) <= radius {
                    scan[i, j, k] = Float(f(ρ))
                } } }
            }
        }
        let phantom = PhantomDefinition(name: "synthetic HA", equivalent: .hydroxyapatite, rods: densities.map { .init(density: $0) })
        let c = try PhantomCalibration.calibrate(scan, phantom: phantom, response: .quadratic)
        #expect(c.method == .phantomQuadratic)
        #expect(c.regions.count == 6)
        #expect(Set(c.regions.compactMap(\.sizeGroup)) == [0, 1])
        let response = try #require(c.response)
        #expect(abs(response.c - 2e-4) < 1e-9 && abs(response.groupScales[1] - 1) < 1e-6)
        for r in c.regions { #expect(abs(r.leaveOneOutError ?? .infinity) < 1e-3) }
        let density = c.apply(scan)
        let index = scan.voxels.firstIndex(of: Float(f(400)))!
        #expect(abs(Double(density.voxels[index]) - DensityConversion.k2hpo4(fromHydroxyapatite: 400)) < 1e-2)
        // The linear response keeps one size group, as before.
        #expect(try PhantomCalibration.calibrate(scan, phantom: phantom).regions.count == 3)
    }
}
