// The tabulated attenuation against NIST's own compound tables, which were computed elsewhere.
import Testing
import OpenBCTCore

@Suite("X-ray attenuation")
struct XRayAttenuationTests {
    /// NIST X-Ray Mass Attenuation Coefficients, Table 4 (Hubbell & Seltzer), µ/ρ in cm²/g.
    static let nistTable4: [(AttenuatingMaterial, [(keV: Double, mu: Double)])] = [
        (XRayAttenuation.water, [(20, 0.8096), (30, 0.3756), (40, 0.2683), (50, 0.2269), (60, 0.2059),
                                 (80, 0.1837), (100, 0.1707), (150, 0.1505)]),
        (XRayAttenuation.skeletalMuscle, [(20, 0.8205), (30, 0.3783), (40, 0.2685), (50, 0.2262), (60, 0.2048),
                                          (80, 0.1823), (100, 0.1693), (150, 0.1492)]),
        (XRayAttenuation.corticalBone, [(20, 4.001), (30, 1.331), (40, 0.6655), (50, 0.4242), (60, 0.3148),
                                        (80, 0.2229), (100, 0.1855), (150, 0.1480)]),
    ]

    @Test("mixture-rule µ/ρ of water, muscle and cortical bone match NIST Table 4 within 1.5 %")
    func compoundsMatchNIST() {
        for (material, rows) in Self.nistTable4 {
            for row in rows {
                let mu = material.massAttenuation(keV: row.keV)
                #expect(abs(mu / row.mu - 1) < 0.015, "\(material.name) at \(row.keV) keV: \(mu) vs NIST \(row.mu)")
            }
        }
    }

    @Test("µ/ρ of one composition is the same to the last bit in every copy (sums in element order, not a dictionary's)")
    func repeatable() {
        // Each copy gets its own dictionary storage, and Swift seeds a table's iteration order from its address.
        let copies = (0..<32).map { _ in
            AttenuatingMaterial(name: "bone", density: 1.92, massFractions: Dictionary(uniqueKeysWithValues: Array(XRayAttenuation.corticalBone.massFractions)),
                                source: "copy")
        }
        let reference = copies[0].massAttenuation(keV: 62.5)
        #expect(copies.allSatisfy { $0.massAttenuation(keV: 62.5).bitPattern == reference.bitPattern })
    }

    @Test("interpolation is log-log between table energies and respects the iodine K edge")
    func interpolation() {
        // Halfway in log energy between 60 and 80 keV the value is the geometric mean.
        let e = (60.0 * 80.0).squareRoot()
        let expected = (0.2059 * 0.1837).squareRoot()
        #expect(abs(XRayAttenuation.water.massAttenuation(keV: e) / expected - 1) < 0.002)
        #expect(Element.I.massAttenuation(keV: 33.0) < 7)
        #expect(Element.I.massAttenuation(keV: 33.3) > 35)
    }

    @Test("HU of water is 0, air about −1000, fat negative; the mineral slope falls with energy")
    func hounsfield() {
        for kVp in [80.0, 100, 120, 140] {
            let e = XRayAttenuation.effectiveEnergy(kVp: kVp)
            #expect(abs(XRayAttenuation.hounsfield(XRayAttenuation.water, keV: e)) < 1e-9)
            #expect(abs(XRayAttenuation.hounsfield(XRayAttenuation.air, keV: e) + 999) < 1)
            let fat = XRayAttenuation.hounsfield(XRayAttenuation.adiposeTissue, keV: e)
            #expect(fat < -50 && fat > -160)
            // Lower kVp → larger mineral slope (photoelectric effect).
            #expect(XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.k2hpo4, keV: e)
                    > XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.k2hpo4, keV: e + 10))
        }
    }
}
