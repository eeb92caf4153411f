// A hip requested on a scan that holds none: the digital phantom's spine-only coverage (sacral
// promontory to T12, with the iliac crests in its lowest slices) segmented for hip and spine.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
import Phantom

@Suite("A requested hip absent from the scan")
struct HipAbsentTests {
    @Test("spine-only phantom, hip and spine requested: no femur (unusable, a finding), the vertebrae as with the spine alone")
    func spineOnly() throws {
        var o = PhantomOptions()
        o.sites = [.spine]; o.pixelSpacing = 2; o.sliceThickness = 2
        let ph = try PhantomGenerator(o).generate()
        let hu = ph.hu.map { Float($0) }
        let both = AnatomySegmenter().segment(hu: hu, sites: [.hip, .spine])
        let alone = AnatomySegmenter().segment(hu: hu, sites: [.spine])
        print(both.result.femurs.map(\.side), both.result.findings.filter { $0.site == .hip })
        #expect(both.result.femurs.isEmpty)
        #expect(both.result.findings.contains { $0.kind == .noFemurFound && !$0.usable })
        #expect(!both.result.findings.contains { $0.kind == .onlyOneFemur })
        #expect(!both.labels.voxels.contains { AnatomyLabel.name(of: $0)?.hasPrefix("pelvis") == true })
        #expect(both.result.vertebrae.map(\.level) == alone.result.vertebrae.map(\.level))
        #expect(both.result.vertebrae.map(\.level).contains("L1"))
        for (a, b) in zip(both.result.vertebrae, alone.result.vertebrae) {
            let count = { (s: AnatomySegmentation, label: UInt8) in s.labels.voxels.reduce(0) { $0 + ($1 == label ? 1 : 0) } }
            #expect(count(both, a.bodyLabel) == count(alone, b.bodyLabel), "\(a.level ?? "?") body")
        }
    }
}
