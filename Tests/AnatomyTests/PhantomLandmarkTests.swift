// Landmarks, levels and robustness on the digital phantom (h/phantom): an analytic anatomy with
// exact truth. Its HU model shares no code with the segmentation; its numbers are consistency checks.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
import Phantom

/// A small phantom for CI time: hips only, no rods, 2 mm voxels unless `edit` says otherwise.
func smallPhantom(_ edit: (inout PhantomOptions) -> Void = { _ in }) throws -> PhantomCase {
    var o = PhantomOptions()
    o.sites = [.hip]; o.pixelSpacing = 2; o.sliceThickness = 2; o.rods = .none; o.zCoverage = [-95, 60]
    edit(&o)
    return try PhantomGenerator(o).generate()
}

/// Angle (degrees) between two directions, sign-free.
func angleDeg(_ a: Vec3, _ b: Vec3) -> Double { acos(min(1, abs(dot(normalize(a), normalize(b))))) * 180 / .pi }

@Suite("Hip landmarks on the digital phantom")
struct PhantomLandmarkTests {
    @Test("head centres ≤ 1 mm, shaft and neck axes ≤ 2° of the truth (1.6 mm voxels)")
    func landmarks() throws {
        let ph = try smallPhantom { $0.pixelSpacing = 1.6; $0.sliceThickness = 1.6 }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.count == 2)
        for f in hip.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == f.side.rawValue })
            let l = try #require(f.landmarks, "\(f.side) femur has no landmarks: \(f.findings)")
            let error = length(l.headCenter - truth.headCentre)
            let shaft = angleDeg(l.shaftAxis.direction, truth.shaftAxis), neck = angleDeg(l.neckAxis.direction, truth.neckAxis)
            print("\(f.side): head centre error \(error) mm, r \(l.headRadiusMM) (truth \(truth.headRadius)), shaft \(shaft)°, neck \(neck)°, NSA \(l.neckShaftAngleDeg) (truth \(truth.neckShaftAngle))")
            #expect(error <= 1.0)
            #expect(abs(l.headRadiusMM - truth.headRadius) <= 1.5)
            #expect(shaft <= 2 && neck <= 2)
            #expect(abs(l.neckShaftAngleDeg - truth.neckShaftAngle) <= 3)
            // The frame's x points from the shaft toward the head (medial), z up the shaft.
            #expect(dot(l.frame.x, truth.headCentre - l.shaftAxis.point) > 0 && l.frame.z.z > 0.9)
        }
    }
}

@Suite("Robustness on the digital phantom")
struct PhantomRobustnessTests {
    /// Both femurs found, heads within `tolerance` mm of the truth; returns the run's findings.
    func bothFemurs(_ ph: PhantomCase, tolerance: Double) throws -> [Finding] {
        let seg = AnatomySegmenter().segment(hu: ph.hu.map { Float($0) }, sites: [.hip])
        #expect(seg.result.femurs.count == 2, "\(seg.result.findings)")
        for f in seg.result.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == f.side.rawValue })
            let l = try #require(f.landmarks)
            #expect(length(l.headCenter - truth.headCentre) <= tolerance, "\(f.side) head centre")
        }
        return seg.result.findings
    }

    @Test("one femur missing: the other is segmented and a finding says so")
    func oneFemurMissing() throws {
        let ph = try smallPhantom { $0.missingFemur = .right }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.map(\.side) == [.left])
        #expect(hip.findings.contains { $0.kind == .onlyOneFemur })
    }

    @Test("heavy noise (40 HU): both heads within 1.5 mm")
    func noise() throws {
        _ = try bothFemurs(try smallPhantom { $0.noiseHU = 40 }, tolerance: 1.5)
    }

    /// Other noise draws: the head, not the long neck's base (36 mm off before coverage decided), is
    /// chosen, and fitted as closely as seed 1's. (Before the fits used the bone's edge instead of the
    /// threshold surface's voxel centres, seeds 2 and 3 reached 1.64–1.80 mm and were checked for the
    /// choice only, within a tenth of the radius; docs/anatomy.md.)
    @Test("heavy noise (40 HU), other seeds: the head sphere is chosen, centres within 1.5 mm", arguments: [UInt64(2), 3])
    func noiseOtherSeeds(seed: UInt64) throws {
        _ = try bothFemurs(try smallPhantom { $0.noiseHU = 40; $0.seed = seed }, tolerance: 1.5)
    }

    @Test("5 mm slices: the hip is reported unusable (coarse slices), nothing crashes")
    func thickSlices() throws {
        let ph = try smallPhantom { $0.sliceThickness = 5 }
        let seg = AnatomySegmenter().segment(hu: ph.hu.map { Float($0) }, sites: [.hip])
        #expect(seg.result.findings.contains { $0.kind == .coarseSlices && !$0.usable })
    }

    @Test("osteoporotic density (half the trabecular density): both heads within 1.5 mm")
    func osteoporotic() throws {
        _ = try bothFemurs(try smallPhantom { $0.boneDensityScale = 0.5 }, tolerance: 1.5)
    }

    @Test("a right hip implant: metal is reported next to the right femur, the left head is still found, nothing crashes")
    func metal() throws {
        let ph = try smallPhantom { $0.metal = .right }
        let seg = AnatomySegmenter().segment(hu: ph.hu.map { Float($0) }, sites: [.hip])
        #expect(seg.result.findings.contains { $0.kind == .metalNearBone && $0.message.contains("right femur") })
        // The streaks add votes off the head (the most-voted peak was 17.8 mm off); the head is the best-covered sphere.
        let left = try #require(seg.result.femurs.first { $0.side == .left }?.landmarks)
        let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == "left" })
        #expect(length(left.headCenter - truth.headCentre) <= 1.5)
    }

    @Test("spine levels: sacrum, L5 … T12 named from both anchors")
    func spineLevels() throws {
        // From below the sacrum's top (at the hips' level + 74 mm) to T12.
        let ph = try spinePhantom(zCoverage: [10, 290], sliceThickness: 2.5)
        let spine = try #require(SpineSegmenter().segment(hu: ph.hu.map { Float($0) }))
        let expected: [VertebralLevel] = [.sacrum] + ph.truth.vertebrae.map { VertebralLevel(name: $0.level)! }.sorted().reversed()
        print(spine.vertebrae.map { $0.level?.name ?? "?" }, spine.levels.anchor, spine.levels.confidence)
        #expect(spine.vertebrae.map(\.level) == expected)
        #expect(spine.levels.anchor == .ribsAndSacrum && spine.levels.confidence >= 0.95)
        #expect(!spine.findings.contains { $0.kind == .levelUncertain })
        // In the lordosis the spinous processes of L3–L5 went to the vertebra above (their arch
        // seeds were sought along LPS z, not the body's tilted axis) and L2's and L5's own spinous tips
        // seeded their upper neighbours: L2–L5 Dice 0.817 / 0.758 / 0.728 / 0.808 here; now 0.845 /
        // 0.836 / 0.849 / 0.871 (docs/validation.md `## Anatomy`).
        try expectLevelsMatchTruth(spine, ph)
    }

    @Test("spine levels without the sacrum (the default spine coverage, z 70–285): L5 … T12 named from the 12th ribs, not the cut iliac wings; level uncertain")
    func spineLevelsWithoutSacrum() throws {
        // The scan starts at the sacral promontory and cuts the iliac wings to about 80 cm³ each, the
        // volume that told an ilium from a rib: at 2 mm slices (as at the CLI's 1.25 mm) under it, taken
        // for L4's ribs, they named L5 … T12 as L1 … T8; at 2.5 mm slices over it, named right by chance.
        let ph = try spinePhantom(zCoverage: nil, sliceThickness: 2.0)
        let spine = try #require(SpineSegmenter().segment(hu: ph.hu.map { Float($0) }))
        let expected: [VertebralLevel] = ph.truth.vertebrae.map { VertebralLevel(name: $0.level)! }.sorted().reversed()
        print(spine.vertebrae.map { $0.level?.name ?? "?" }, spine.levels.anchor, spine.levels.confidence, spine.levels.ribsPerOrdinal)
        #expect(spine.vertebrae.map(\.level) == expected)
        #expect(spine.levels.anchor == .lowestRib && spine.levels.ribsPerOrdinal.keys.sorted() == [expected.count - 1])
        // One anchor: nothing checks the count, and a finding says so.
        #expect(spine.levels.confidence < 0.95 && spine.findings.contains { $0.kind == .levelUncertain })
        try expectLevelsMatchTruth(spine, ph)
    }

    @Test("spine levels with the scan ending in the iliac crests: the rod-shaped crest sliver on L4 is not a rib (ribs run unbroken from the top); T12 still named from the 12th ribs", arguments: [110.0, 122.0])
    func spineLevelsAboveCrestSliver(scanStartZ: Double) throws {
        // The crests' top lies near z 134 (HipBone's wing shell): a scan starting at z 122 (110) keeps
        // their top 12 (24) mm, a long rod reaching past 75 mm from the axis and touching L4. Before
        // the contiguity rule it was L4's "ribs" and named L4 … T12 as T12 … T8 (L5 … T12 as L1 … T8).
        let ph = try spinePhantom(zCoverage: [scanStartZ, 285], sliceThickness: 2.0)
        let spine = try #require(SpineSegmenter().segment(hu: ph.hu.map { Float($0) }))
        let all: [VertebralLevel] = ph.truth.vertebrae.map { VertebralLevel(name: $0.level)! }.sorted().reversed()
        print(scanStartZ, spine.vertebrae.map { $0.level?.name ?? "?" }, spine.levels.confidence, spine.levels.ribsPerOrdinal, spine.levels.ribLikeOtherBone)
        #expect(spine.vertebrae.count >= 5)
        #expect(spine.vertebrae.map(\.level) == Array(all.suffix(spine.vertebrae.count)))
        let top = spine.vertebrae.count - 1
        #expect(spine.levels.anchor == .lowestRib && spine.levels.ribsPerOrdinal.keys.sorted() == [top])
        // The crest is reported as other bone on a lumbar vertebra, and the confidence says so.
        #expect(spine.levels.ribLikeOtherBone.count == 1 && spine.levels.ribLikeOtherBone.keys.allSatisfy { $0 < top - 1 })
        #expect(spine.levels.confidence <= 0.6)
        #expect(spine.findings.contains { $0.kind == .levelUncertain && $0.message.contains("not a rib") })
    }

    @Test("rib contiguity: the one run of rib-bearing vertebrae runs down from the top of the chain (or from below a cut, rib-free top)")
    func ribRunFromTop() {
        #expect(LevelAssignment.topRun(of: [4: 2, 0: 2], vertebraCount: 5, topIsCut: false) == [4])
        #expect(LevelAssignment.topRun(of: [4: 2, 3: 1, 1: 2], vertebraCount: 5, topIsCut: false) == [4, 3])
        #expect(LevelAssignment.topRun(of: [3: 2, 0: 2], vertebraCount: 5, topIsCut: true) == [3])
        // A whole, rib-free top vertebra: no rib below it can be one.
        #expect(LevelAssignment.topRun(of: [3: 2, 0: 2], vertebraCount: 5, topIsCut: false).isEmpty)
        #expect(LevelAssignment.topRun(of: [2: 2], vertebraCount: 5, topIsCut: true).isEmpty)
    }

    /// A spine-only phantom (1.6 mm pixels, no rods) over `zCoverage` (nil: the default).
    func spinePhantom(zCoverage: [Double]?, sliceThickness: Double) throws -> PhantomCase {
        var o = PhantomOptions()
        o.sites = [.spine]; o.zCoverage = zCoverage; o.pixelSpacing = 1.6; o.sliceThickness = sliceThickness; o.rods = .none
        return try PhantomGenerator(o).generate()
    }

    /// Each of the truth's vertebrae is named and its vertebra's Dice against the truth's labels of that
    /// level (body cortex, core, posterior elements, vein) is at least 0.82.
    func expectLevelsMatchTruth(_ spine: SpineSegmentation, _ ph: PhantomCase) throws {
        for (v, truthLevel) in ph.truth.vertebrae.enumerated() {
            let level = try #require(VertebralLevel(name: truthLevel.level))
            let ours = try #require(spine.vertebrae.first { $0.level == level }, "no vertebra named \(level.name)")
            var mask = Mask.empty(on: ph.labels.grid)
            for i in ours.voxels { mask.voxels[i] = 1 }
            let codes = PhantomLabel.vertebra(v, .bodyCortex)...PhantomLabel.vertebra(v, .basivertebralVein)
            let dice = OverlapMetrics.dice(mask, ph.labels.map { codes.contains($0) ? UInt8(1) : 0 })
            print("\(level.name) Dice vs truth \(String(format: "%.3f", dice))")
            #expect(dice >= 0.82, "\(level.name) Dice \(dice)")
        }
    }
}
