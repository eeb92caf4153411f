// The same scan segmented twice gives the same landmarks to the last bit. Swift seeds each hash table's
// iteration order from its storage address, so a fit over a dictionary's entries rounds differently from run to
// run; the femur's shaft-axis fit did until 2026-11-30 (docs/analysis.md, Performance).
import Testing
import OpenBCTCore
@testable import Anatomy

@Suite("Repeatable segmentation")
struct RepeatabilityTests {
    @Test("four segmentations of one hip give bit-identical femur landmarks")
    func hipLandmarks() throws {
        let hu = try smallPhantom().hu.map { Float($0) }
        let runs = (0..<4).map { _ in FemurSegmenter().segment(hu: hu).femurs.map(\.landmarks) }
        #expect(runs[0].count == 2 && runs[0].allSatisfy { $0 != nil })
        for run in runs.dropFirst() { #expect(run == runs[0], "landmarks differ between two segmentations of the same scan") }
    }
}
