// Hip densitometry on the digital phantom (Phantom module): automatic segmentation and landmarks,
// the phantom's true density. Its anatomy is analytic, so these are consistency checks (methods.md §10).
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
@testable import Densitometry
import Phantom

@Suite("Hip densitometry on the digital phantom")
struct HipPhantomTests {
    /// Hips only, 1 mm voxels, no rods; the scan reaches 110 mm below the head centres (past the
    /// lesser trochanters) so the total hip fits.
    static func phantom() throws -> PhantomCase {
        var o = PhantomOptions()
        o.sites = [.hip]; o.pixelSpacing = 1; o.sliceThickness = 1; o.rods = .none; o.zCoverage = [-110, 45]
        return try PhantomGenerator(o).generate()
    }

    @Test("both hips: pose undoes the anteversion, regions lie between head and shaft, aBMD physiological, BMC consistent with the truth")
    func phantomHips() throws {
        let ph = try HipPhantomTests.phantom()
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.count == 2)
        let start = Date()
        var necks: [Side: Double] = [:]
        for femur in hip.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == femur.side.rawValue })
            let (result, image) = HipDensitometry.measureFemur(density: ph.density, voxels: femur.voxels, side: femur.side,
                                                               landmarks: femur.landmarks, flaggedCut: femur.distalCut == nil)
            let pose = try #require(result.pose), g = try #require(result.geometry)
            _ = try #require(image)
            print("\(femur.side): rotation \(pose.internalRotationDeg)° (anteversion \(truth.anteversion)°), neck box t \(g.neckBoxCentreT) mm (head r \(g.headRadiusMM), shaft at \(g.shaftCrossingT)), narrowest \(g.narrowestNeckWidthMM) mm")
            for r in result.regions {
                print("  \(r.region.displayName): valid \(r.valid) \(r.invalidReason ?? "") area \(r.areaCM2) cm² BMC \(r.bmcG) g aBMD \(r.aBMDGPerCM2) g/cm² T \(r.tScore.display)")
            }
            // The pose from the found landmarks matches the pose from the phantom's true axes (the
            // rotation that puts the true neck axis in the image plane) within the landmark error.
            let trueShaft = Line(point: truth.neckShaftIntersection, direction: truth.shaftAxis)
            let trueLandmarks = FemurLandmarks(headCenter: truth.headCentre, headRadiusMM: truth.headRadius, headFitRMSMM: 0,
                                               neckAxis: Line(point: truth.headCentre, direction: truth.neckAxis), shaftAxis: trueShaft,
                                               neckShaftAngleDeg: truth.neckShaftAngle, greaterTrochanter: truth.greaterTrochanter,
                                               lesserTrochanterLevel: nil, frame: FemurFrame(headCenter: truth.headCentre, shaftAxis: trueShaft))
            let truePose = try #require(DXAPose(landmarks: trueLandmarks, side: femur.side))
            print("  true-axis rotation \(truePose.internalRotationDeg)°, beam angle to the true pose's \(acos(min(1, abs(dot(pose.beam, truePose.beam)))) * 180 / .pi)°")
            // Anatomy's neck axis (head centre → centroid of the narrowest section) is a few degrees
            // off the phantom's analytic axis; DXA positioning itself varies by more.
            #expect(abs(pose.internalRotationDeg - truePose.internalRotationDeg) < 5)
            #expect(truePose.internalRotationDeg > 0)   // the phantom's neck is anteverted
            // The neck box lies on the neck, off the head sphere and medial of the shaft axis; the
            // narrowest chord is narrower than the head.
            #expect(g.neckBoxCentreT - g.neckBoxWidthMM / 2 >= g.headRadiusMM - 1e-9)
            #expect(g.neckBoxCentreT + g.neckBoxWidthMM / 2 <= g.shaftCrossingT + 1e-9)
            #expect(g.narrowestNeckWidthMM > g.headRadiusMM && g.narrowestNeckWidthMM < 2 * g.headRadiusMM)
            for region in HipRegion.allCases {
                let r = try #require(result.region(region))
                #expect(r.valid, "\(femur.side) \(region.displayName): \(r.invalidReason ?? "")")
                #expect(r.aBMDGPerCM2 > 0.4 && r.aBMDGPerCM2 < 1.5)
            }
            // Total hip = neck + trochanter + intertrochanter, in BMC and area.
            let th = result.region(.totalHip)!
            let parts = [HipRegion.femoralNeck, .trochanter, .intertrochanter].compactMap { result.region($0) }
            #expect(abs(parts.map(\.bmcG).reduce(0, +) - th.bmcG) < 1e-9 * th.bmcG)
            #expect(abs(parts.map(\.areaCM2).reduce(0, +) - th.areaCM2) < 1e-9)
            necks[femur.side] = result.region(.femoralNeck)?.aBMDGPerCM2
        }
        print("measure, both femurs: \(Date().timeIntervalSince(start)) s")
        // The phantom's femurs are mirror images with the same density model: neck aBMD within 5 %.
        if let l = necks[.left], let r = necks[.right] { #expect(abs(l - r) / l < 0.05) }
    }

    @Test("the projected mineral of the true femur labels equals their voxels' mineral and approaches the phantom's sub-voxel mass")
    func phantomMineralMass() throws {
        let ph = try HipPhantomTests.phantom()
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        var options = HipOptions(); options.mineral = .k2hpo4
        for femur in hip.femurs {
            let codes: ClosedRange<UInt8> = femur.side == .left ? 30...32 : 33...35
            let voxels = ph.labels.voxels.indices.filter { codes.contains(ph.labels.voxels[$0]) }
            let (result, _) = HipDensitometry.measureFemur(density: ph.density, voxels: voxels, side: femur.side,
                                                           landmarks: femur.landmarks, options: options)
            let voxelMass = voxels.reduce(0.0) { $0 + max(0, Double(ph.density.voxels[$1])) } * ph.density.grid.voxelVolume / 1e6
            let truth = try #require(ph.truth.mineralMass["femur_\(femur.side.rawValue)"]) / 1000
            print("\(femur.side): projected \(result.femurBMCG) g, label voxels \(voxelMass) g, phantom truth \(truth) g")
            #expect(abs(result.femurBMCG - voxelMass) / voxelMass < 1e-6)
            // The labels hold whole voxels whose centre is bone; the rim's partial voxels are left out.
            #expect(abs(result.femurBMCG - truth) / truth < 0.05)
        }
    }
}
