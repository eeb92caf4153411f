// A femur cut short by the field of view (~70 mm below the head centre, in the trochanteric region):
// no constant-section shaft is in the scan, so the automatic shaft axis must not be trusted silently.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
import Phantom

@Suite("Hip frame on a short femur")
struct ShortFemurTests {
    @Test("a scan ending 60–80 mm below the head centres: shaft axis reported uncertain, the femur not cut at a false lesser trochanter",
          arguments: [-60.0, -70.0, -80.0])
    func shortFemur(zEnd: Double) throws {
        let ph = try smallPhantom { $0.zCoverage = [zEnd, 60] }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.count == 2)
        for f in hip.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == f.side.rawValue })
            let l = try #require(f.landmarks)
            print("z \(zEnd) \(f.side): shaft axis \(angleDeg(l.shaftAxis.direction, truth.shaftAxis))° off, NSA \(l.neckShaftAngleDeg), findings \(f.findings.map(\.kind))")
            #expect(f.findings.contains { $0.kind == .shaftAxisUncertain })
            #expect(f.findings.contains { $0.kind == .femurCutByFieldOfView } && f.distalCut == nil)
        }
    }

    @Test("the default small phantom (95 mm below the head centres) is long enough: no uncertainty finding")
    func longEnough() throws {
        let ph = try smallPhantom()
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.count == 2 && hip.femurs.allSatisfy { !$0.findings.contains { $0.kind == .shaftAxisUncertain } })
    }
}
