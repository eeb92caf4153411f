// Phantomless calibration regions on the digital phantom, whose tissues have known composition: the
// visceral fat of the abdominal cavity is found inside the abdominal wall (not connected to the
// subcutaneous layer) and reads the phantom's adipose HU. Consistency check (methods.md §10).
import Calibration
import OpenBCTCore
import Phantom
import Testing

@Suite("Internal calibration regions on the digital phantom")
struct InternalRegionsPhantomTests {
    @Test("visceral fat found inside the abdominal wall (≥ 10 mm²), at the adipose HU; reported, not fitted")
    func visceralFat() throws {
        let s = try SpinePhantomFixture.withoutRods.get()
        let calibration = try InternalCalibration.calibrate(s.hu, method: .effectiveEnergy, kVp: 120)
        for r in calibration.regions + (calibration.checkRegions ?? []) {
            print(String(format: "phantom %@: median %.1f HU, MAD %.1f, n=%d, %.0f mm², table %.1f HU, residual %.1f",
                         r.name, r.statistics.median, r.statistics.mad, r.statistics.count, r.areaMM2, r.referenceHU ?? .nan, r.residualHU ?? .nan))
        }
        let visceral = try #require(calibration.checkRegions?.first { $0.name.hasPrefix("visceral fat") })
        #expect(visceral.areaMM2 >= 10)
        #expect(!calibration.regions.contains { $0.name.hasPrefix("visceral") })
        // Every visceral disc lies in the phantom's visceral-fat label, none in the subcutaneous one.
        let centre = s.hu.grid.continuousIndex(physical: visceral.centre)
        let label = s.phantom.labels.voxels[s.hu.grid.linearIndex(Int(centre.x.rounded()), Int(centre.y.rounded()), Int(centre.z.rounded()))]
        #expect(label == PhantomLabel.visceralFat, "label \(label) at the reported centre")
        // The phantom's fat is ICRU adipose at the true effective energy (70 keV at 120 kVp).
        let adipose = XRayAttenuation.hounsfield(XRayAttenuation.adiposeTissue, keV: 70)
        #expect(abs(visceral.statistics.median - adipose) < 5, "median \(visceral.statistics.median) vs \(adipose)")
        #expect(abs(visceral.residualHU ?? .infinity) < 5)
    }
}
