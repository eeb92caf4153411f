// Landmarks and robustness on the digital phantom (h/phantom): an analytic anatomy with exact truth.
// Its HU model shares no code with the segmentation; its numbers are consistency checks.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
import Phantom

@Suite("Hip landmarks on the digital phantom")
struct PhantomLandmarkTests {
    /// A small hip-only phantom (2 mm voxels, no rods) for CI time.
    func phantom(_ edit: (inout PhantomOptions) -> Void = { _ in }) throws -> PhantomCase {
        var o = PhantomOptions()
        o.sites = [.hip]; o.pixelSpacing = 2; o.sliceThickness = 2; o.rods = .none; o.zCoverage = [-95, 60]
        edit(&o)
        return try PhantomGenerator(o).generate()
    }

    @Test("both femoral head centres within 1 mm of the truth, radius within 1.5 mm")
    func headCentres() throws {
        let ph = try phantom()
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.count == 2)
        for f in hip.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == f.side.rawValue })
            let l = try #require(f.landmarks, "\(f.side) femur has no landmarks: \(f.findings)")
            let error = length(l.headCenter - truth.headCentre)
            print("\(f.side): head centre error \(error) mm, r \(l.headRadiusMM) (truth \(truth.headRadius)), NSA \(l.neckShaftAngleDeg) (truth \(truth.neckShaftAngle))")
            #expect(error <= 1.0)
            #expect(abs(l.headRadiusMM - truth.headRadius) <= 1.5)
            // The frame's x points from the shaft toward the head (medial), z up the shaft.
            #expect(dot(l.frame.x, truth.headCentre - l.shaftAxis.point) > 0 && l.frame.z.z > 0.9)
        }
    }

    @Test("one femur missing: the other is segmented and a finding says so")
    func oneFemurMissing() throws {
        let ph = try phantom { $0.missingFemur = .right }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.map(\.side) == [.left])
        #expect(hip.findings.contains { $0.kind == .onlyOneFemur })
    }
}
