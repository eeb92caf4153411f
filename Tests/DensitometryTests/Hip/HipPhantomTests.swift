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
    /// Hips only, 1 mm voxels, no rods; the scan reaches 135 mm below the head centres (the phantom's hip
    /// coverage: ≥ 40 mm of shaft below the lesser trochanters, the tube Anatomy measures their rise against)
    /// so the total hip fits. Generated and segmented once for both tests.
    static let shared: Result<(PhantomCase, HipSegmentation), any Error> = Result {
        var o = PhantomOptions()
        o.sites = [.hip]; o.pixelSpacing = 1; o.sliceThickness = 1; o.rods = .none; o.zCoverage = [-135, 45]
        let ph = try PhantomGenerator(o).generate()
        return (ph, FemurSegmenter().segment(hu: ph.hu.map { Float($0) }))
    }

    @Test("both hips: pose undoes the anteversion, regions lie between head and shaft, aBMD physiological, BMC consistent with the truth")
    func phantomHips() throws {
        let (ph, hip) = try HipPhantomTests.shared.get()
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
        let (ph, hip) = try HipPhantomTests.shared.get()
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
    @Test("a femur cut by the field of view between the neck box and the total hip's distal edge: total hip and intertrochanter invalid, the neck still reported")
    func cutByFieldOfView() throws {
        let (ph, hip) = try HipPhantomTests.shared.get()
        let g = ph.density.grid, slab = g.dims.x * g.dims.y
        for femur in hip.femurs {
            // Where the full femur's neck box ends below and its total hip ends: cut the scan halfway.
            let (full, _) = HipDensitometry.measureFemur(density: ph.density, voxels: femur.voxels, side: femur.side, landmarks: femur.landmarks)
            let geometry = try #require(full.geometry), pose = try #require(full.pose), distal = try #require(geometry.distalEdgeY)
            let half = geometry.neckBoxWidthMM / 2
            let boxLow = [(-half, geometry.neckBoxLowS), (half, geometry.neckBoxLowS), (-half, geometry.neckBoxHighS), (half, geometry.neckBoxHighS)]
                .map { geometry.planePoint(t: geometry.neckBoxCentreT + $0.0, s: $0.1).y }.min()!
            try #require(boxLow - distal > 15, "the phantom leaves room for a cut between the neck box and the distal edge")
            let zCut = pose.headCenter.z + (boxLow + distal) / 2 / pose.up.z
            let k0 = Int(g.continuousIndex(physical: Vec3(0, 0, zCut)).z.rounded())
            let cropped = ph.density.cropped(lower: SIMD3(0, 0, k0), upper: g.dims)
            let voxels = femur.voxels.filter { $0 / slab >= k0 }.map { $0 - k0 * slab }
            let (result, _) = HipDensitometry.measureFemur(density: cropped, voxels: voxels, side: femur.side, landmarks: femur.landmarks)
            print("\(femur.side) cut at z = \(zCut) mm (neck box down to \(boxLow), distal edge \(distal) below the head centre): \(result.regions.map { "\($0.region.displayName) \($0.valid ? "valid" : "invalid: \($0.invalidReason ?? "")")" })")
            #expect(result.cutByFieldOfView)
            #expect(result.region(.femoralNeck)?.valid == true)
            #expect(result.region(.femoralNeck)?.aBMDGPerCM2 == full.region(.femoralNeck)?.aBMDGPerCM2)
            #expect(result.region(.totalHip)?.valid == false)
            #expect(result.region(.intertrochanter)?.valid == false)
        }
    }

    @Test("sides an automatic segmentation reports cut (no distal cut plane); imported ones rely on the boundary test")
    func sidesCut() {
        let left = FemurSummary(side: .left, label: 1, volumeMM3: 1, landmarks: nil, distalCut: nil)
        let right = FemurSummary(side: .right, label: 2, volumeMM3: 1, landmarks: nil,
                                 distalCut: Plane(point: .zero, normal: Vec3(0, 0, 1)))
        var seg = SegmentationResult(source: "automatic", sites: [.hip], labelTable: [], vertebrae: [], levels: nil,
                                     femurs: [left, right], findings: [], spineOptions: nil, femurOptions: nil)
        #expect(HipDensitometry.sidesCutByFieldOfView(seg) == [.left])
        seg.source = "labels.nii.gz"
        #expect(HipDensitometry.sidesCutByFieldOfView(seg).isEmpty)
    }
}
