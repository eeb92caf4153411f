// The spine pipeline on a real abdominal CT, scored against TotalSegmentator's labels (a model's
// output made elsewhere: Wasserthal et al. 2023, Apache-2.0 / CC BY 4.0).
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
@testable import Anatomy
import TestSupport

@Suite("Spine on the real abdomen-3mm CT")
struct SpineAbdomenTests {
    @Test("T12, L1, L2 found and named; Dice and surface distance vs TotalSegmentator",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func abdomen() throws {
        let ct = try NIfTI.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_ct_sm.nii.gz")).asFloat()
        let ref = try NIfTI.read(contentsOf: TestPaths.shared("ct/abdomen-3mm/example_seg.nii.gz")).asLabels()
        let table = try TotalSegmentatorLabels(contentsOf: TestPaths.shared("ct/totalsegmentator-total-labels.tsv"))
        let spine = try #require(SpineSegmenter().segment(hu: ct))
        print("levels:", spine.vertebrae.map { "\($0.ordinal):\($0.level?.name ?? "?") n=\($0.voxels.count) cut=\($0.cutByFieldOfView)" },
              spine.levels.anchor, spine.levels.confidence, spine.levels.ribsPerOrdinal, spine.findings)
        #expect(spine.levels.anchor == .lowestRib)
        #expect(spine.vertebrae.map { $0.level } == [.L2, .L1, .T12])
        for name in ["T12", "L1", "L2"] {
            let level = try #require(VertebralLevel(name: name))
            let v = try #require(spine.vertebrae.first { $0.level == level }, "\(name) not found")
            var ours = Mask.empty(on: ct.grid)
            for i in v.voxels { ours.voxels[i] = 1 }
            let id = try #require(table.id(of: "vertebrae_\(name)"))
            let theirs = ref.map { $0 == id ? UInt8(1) : 0 }
            let dice = OverlapMetrics.dice(ours, theirs), msd = OverlapMetrics.meanSurfaceDistance(ours, theirs)
            print("\(name): Dice \(String(format: "%.3f", dice)) MSD \(String(format: "%.2f", msd)) mm ours \(ours.setCount) ref \(theirs.setCount)")
            // Issue target: Dice ≥ 0.90 (docs/validation.md).
            #expect(dice >= 0.90, "\(name) Dice \(dice)")
            #expect(msd <= 2.0, "\(name) MSD \(msd)")
        }
    }
}
