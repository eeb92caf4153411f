// Material presets against the published equations (methods.md §6, §10), evaluated by hand here.
import Foundation
import Testing
@testable import FE

@Suite("FE material laws")
struct MaterialLawTests {
    @Test("density measures follow methods.md §10")
    func densityMeasures() {
        #expect(DensityMeasure.qct.density(fromK2HPO4: 250) == 0.25)
        #expect(abs(DensityMeasure.ash.density(fromK2HPO4: 250) - 0.3039) < 1e-12)
        #expect(abs(DensityMeasure.apparent.density(fromK2HPO4: 250) - 0.3039 / 0.6) < 1e-12)
    }

    @Test("presets give the published moduli and yield strains")
    func presets() throws {
        // Keyak/Ogo femur at ρ_K = 500: ρ_ash = 0.5689, E = 10500·0.5689^2.29.
        let keyak = BoneMaterialLaw.femurKeyak.youngsModulus(k2hpo4: 500)
        #expect(abs(keyak - 10500 * pow(0.5689, 2.29)) < 1e-9)
        // Morgan femur: both pieces, kept discontinuous as published.
        let morgan = BoneMaterialLaw.femurMorgan
        let low = morgan.youngsModulus(k2hpo4: 100)      // ρ_app = 0.1449/0.6 = 0.2415 ≤ 0.28
        #expect(abs(low - 15010 * pow(0.1449 / 0.6, 2.18)) < 1e-9)
        let high = morgan.youngsModulus(k2hpo4: 400)     // ρ_app = 0.4629/0.6 > 0.28
        #expect(abs(high - 6850 * pow(0.4629 / 0.6, 1.49)) < 1e-9)
        let y = try #require(morgan.yieldStrains(k2hpo4: 400, modulus: high))
        let rho = 0.4629 / 0.6
        #expect(abs(Double(y[1]) - 38.5 * pow(rho, 1.48) / high) < 1e-6)   // compression, ρ > 0.355
        #expect(abs(Double(y[0]) - 22.6 * pow(rho, 1.26) / high) < 1e-6)   // tension
        // Kopperdahl: σ_yt = σ_yc·0.78/0.84.
        let kop = BoneMaterialLaw.vertebraKopperdahl
        let E = kop.youngsModulus(k2hpo4: 200)
        #expect(abs(E - 2980 * pow(0.2, 1.05)) < 1e-9)
        let ky = try #require(kop.yieldStrains(k2hpo4: 200, modulus: E))
        #expect(abs(Double(ky[1]) - 37.4 * pow(0.2, 1.39) / E) < 1e-7)
        #expect(abs(Double(ky[0] / ky[1]) - 0.78 / 0.84) < 1e-6)
        // Morgan vertebra: fixed yield strains.
        let vm = try #require(BoneMaterialLaw.vertebraMorgan.yieldStrains(k2hpo4: 200, modulus: 100))
        #expect(vm == SIMD2<Float>(0.0078, 0.0084))
        #expect(PMMAMaterial().yieldStrains == SIMD2<Float>(0.028, 0.028))
    }

    @Test("binning uses 128 equal-width bins over the density range, bin centres, then the floor")
    func binningAndFloor() {
        let densities: [Float] = [-50, 0, 640, 1280]
        let options = MaterialOptions.ogoCompatible(law: .vertebraKopperdahl)
        let m = MaterialAssignment.bone(densities: densities, options: options)
        // Clamped to −31, range −31…1280, width 1311/128; −31 → bin 0 centre, 1280 → bin 127 centre.
        let w = 1311.0 / 128
        #expect(m.binnedRange == -31...1280)
        #expect(m.youngsModulus[3] == Float(2980 * pow((1280 - w / 2) / 1000, 1.05)))
        #expect(m.youngsModulus[0] == Float(1e-4))   // bin centre −25.9 → negative → floor
        #expect(m.flooredCount == 1)
        let bin = Int((640 + 31) / w)
        #expect(m.youngsModulus[2] == Float(2980 * pow((-31 + (Double(bin) + 0.5) * w) / 1000, 1.05)))
    }

    @Test("user power laws evaluate and yield nil without a yield definition")
    func userLaw() {
        let law = BoneMaterialLaw(name: "user", measure: .qct, modulus: PiecewisePowerLaw(coefficient: 5000, exponent: 2))
        #expect(abs(law.youngsModulus(k2hpo4: 300) - 450) < 1e-9)
        #expect(law.yieldStrains(k2hpo4: 300, modulus: 450) == nil)
        #expect(law.youngsModulus(k2hpo4: -10) == 0)
    }
}
