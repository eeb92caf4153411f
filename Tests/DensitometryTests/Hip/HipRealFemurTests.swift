// Hip densitometry on the real proximal femur of ../shared/data/fe-reference/femur_left_mini
// (parosol-py fixtures, GPL-2.0-or-later; derived from an Ogo/FAIM bundle): its calibrated density
// (mg/cm³ K2HPO4) and its femur label (made elsewhere). Landmarks come from Anatomy's automatic path
// on an HU image made from that density by a known line, inside soft tissue (as in AnatomyTests'
// FemurRealTests; the import path's landmarks fail on this mask, see docs/validation.md).
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
import Anatomy
@testable import Densitometry
import TestSupport

@Suite("Hip densitometry on the real femur_left_mini")
struct HipRealFemurTests {
    @Test("a real femur: pose, neck box on the neck, neck aBMD in the adult range; the fixture's cut near the lesser trochanter invalidates the total hip",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func realFemur() throws {
        let density = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/density.nii.gz")).asFloat()
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz")).asLabels()
        // The fixture's box inside a body of muscle with an 8 mm fat rim, 110 voxels beyond it toward
        // the side the head points to, 10 elsewhere; HU = −2 + 1.22·ρ inside the box [U: a typical
        // 120 kVp line]. In the fixture's frame the head lies toward LPS +x of the shaft, so the
        // automatic path names it a right femur; aBMD does not depend on the side (only the image's
        // left–right orientation does).
        let g = density.grid, n = g.dims, padLow = 110, padHigh = 10, padY = 10
        let grid = ImageGrid(dims: SIMD3(n.x + padLow + padHigh, n.y + 2 * padY, n.z), spacing: g.spacing,
                             origin: g.physicalPoint(index: Vec3(Double(-padLow), Double(-padY), 0)), direction: g.direction)
        var hu = Volume<Float>(grid: grid, repeating: 40), rho = Volume<Float>(grid: grid, repeating: 0)
        var reference: [Int] = []
        for k in 0..<n.z { for j in 0..<grid.dims.y { for i in 0..<grid.dims.x {
            let v = grid.linearIndex(i, j, k), si = i - padLow, sj = j - padY
            if g.contains(si, sj, k) {
                rho.voxels[v] = density[si, sj, k]; hu.voxels[v] = -2 + 1.22 * density[si, sj, k]
                if labels[si, sj, k] == 2 { reference.append(v) }
            } else if min(Double(min(i, grid.dims.x - 1 - i)) * g.spacing.x, Double(min(j, grid.dims.y - 1 - j)) * g.spacing.y) < 8 {
                hu.voxels[v] = -100
            }
        } } }
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
