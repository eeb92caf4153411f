// Hip densitometry on the real proximal femur of ../shared/data/fe-reference/femur_left_mini
// (parosol-py fixtures, GPL-2.0-or-later; derived from an Ogo/FAIM bundle): its calibrated density
// (mg/cm³ K2HPO4) and its femur label (made elsewhere). Landmarks come from Anatomy's automatic path
// on an HU image made from that density by a known line, inside soft tissue (`FemurTestCT`, shared with
// AnatomyTests' FemurRealTests).
import Foundation
import Testing
import OpenBCTCore
import Anatomy
@testable import Densitometry
import TestSupport

@Suite("Hip densitometry on the real femur_left_mini")
struct HipRealFemurTests {
    @Test("a real femur: pose, neck box on the neck, neck aBMD in the adult range; the fixture's cut near the lesser trochanter invalidates the total hip",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func realFemur() throws {
        // `FemurTestCT` (TestSupport) without noise: HU = −2 + 1.22·ρ inside the fixture's box, within
        // muscle with an 8 mm fat rim [U: a typical 120 kVp line]. In the fixture's frame the head lies
        // toward LPS +x of the shaft, so the automatic path names it a right femur; aBMD does not
        // depend on the side (only the image's left–right orientation does).
        let ct = try FemurTestCT(noiseHU: 0)
        let hu = ct.hu, rho = ct.density, reference = ct.referenceVoxels
        let hip = FemurSegmenter().segment(hu: hu)
        let femur = try #require(hip.femurs.first)
        let l = try #require(femur.landmarks)
        print("landmarks: head r \(l.headRadiusMM), NSA \(l.neckShaftAngleDeg)°, LT \(String(describing: l.lesserTrochanterLevel)), distal cut \(String(describing: femur.distalCut))")
        let (f, image) = HipDensitometry.measureFemur(density: rho, voxels: reference, side: femur.side, landmarks: l,
                                                      flaggedCut: femur.distalCut == nil)
        let pose = try #require(f.pose), geometry = try #require(f.geometry)
        print("pose: rotation \(pose.internalRotationDeg)°, shaft tilt \(pose.shaftTiltDeg)°; cut \(f.cutByFieldOfView); BMC \(f.femurBMCG) g; findings \(f.findings)")
        print("neck box t \(geometry.neckBoxCentreT) (head r \(geometry.headRadiusMM), shaft \(geometry.shaftCrossingT)), narrowest \(geometry.narrowestNeckWidthMM) mm")
        for r in f.regions {
            print("  \(r.region.displayName): valid \(r.valid) \(r.invalidReason ?? "") area \(r.areaCM2) cm² BMC \(r.bmcG) g aBMD \(r.aBMDGPerCM2) g/cm² T \(r.tScore.display) \(r.densityClass?.label ?? "")")
        }
        #expect(image != nil)
        // The neck box sits on the neck: off the head sphere; the narrowest chord is narrower than the head.
        #expect(geometry.neckBoxCentreT - geometry.neckBoxWidthMM / 2 >= geometry.headRadiusMM - 1e-9)
        #expect(geometry.narrowestNeckWidthMM < 2 * geometry.headRadiusMM)
        let neck = try #require(f.region(.femoralNeck))
        #expect(neck.valid)
        // Adult femoral-neck aBMD spans roughly 0.4–1.3 g/cm² (NHANES III young mean 0.858, SD 0.120).
        #expect(neck.aBMDGPerCM2 > 0.4 && neck.aBMDGPerCM2 < 1.3)
        // The femur is reported cut (the fixture ends near the lesser trochanter): no total hip.
        if femur.distalCut == nil { #expect(f.region(.totalHip)?.valid == false) }
    }
}
