// Spine vBMD on the digital phantom: known density, so the measured mean over each VOI is compared
// with the truth density over the same voxels. The phantom's HU model and the calibration share
// physics (methods.md §10): these are consistency checks, not accuracy claims.
import Anatomy
import Calibration
import Densitometry
import Eligibility
import OpenBCTCore
import Phantom
import Testing

@Suite("Spine vBMD on the digital phantom", .serialized)
struct SpinePhantomTests {
    /// vBMD of every vertebra on `density`, and on the truth density over the same VOIs.
    static func measureAgainstTruth(_ s: SegmentedPhantom, calibration: Calibration) throws -> [(level: String, measured: Double, truth: Double)] {
        let density = calibration.apply(s.hu)
        let result = try SpineDensitometry.measure(density: density, labels: s.segmentation.labels, anatomy: s.segmentation.result, hu: s.hu)
        let truth = try SpineDensitometry.measure(density: s.phantom.density, labels: s.segmentation.labels, anatomy: s.segmentation.result)
        return zip(result.vertebrae, truth.vertebrae).compactMap { m, t in
            guard let level = m.level, let a = m.vBMD, let b = t.vBMD else { return nil }
            return (level, a, b)
        }
    }

    @Test("phantom (rod) calibration: vBMD of T12–L3 within 2 % of the truth over the same VOI")
    func phantomCalibrated() throws {
        let s = try SpinePhantomFixture.withRods.get()
        let calibration = try PhantomCalibration.calibrate(s.hu, phantom: SpinePhantomFixture.rodDefinition(s.phantom))
        let rows = try Self.measureAgainstTruth(s, calibration: calibration)
        for r in rows { print(String(format: "phantom-calibrated %@: vBMD %.1f, truth %.1f mg/cm³ (%+.2f %%)", r.level, r.measured, r.truth, 100 * (r.measured / r.truth - 1))) }
        #expect(Set(rows.map(\.level)).isSuperset(of: ["L1", "L2"]))
        for r in rows { #expect(abs(r.measured / r.truth - 1) < 0.02, "\(r.level)") }
    }

    @Test("phantomless (internal) calibration on a scan without rods: vBMD within 5 % of the truth")
    func phantomless() throws {
        let s = try SpinePhantomFixture.withoutRods.get()
        let calibration = try InternalCalibration.calibrate(s.hu, method: .effectiveEnergy, kVp: 120)
        let rows = try Self.measureAgainstTruth(s, calibration: calibration)
        for r in rows { print(String(format: "phantomless %@: vBMD %.1f, truth %.1f mg/cm³ (%+.2f %%)", r.level, r.measured, r.truth, 100 * (r.measured / r.truth - 1))) }
        #expect(Set(rows.map(\.level)).isSuperset(of: ["L1", "L2"]))
        for r in rows { #expect(abs(r.measured / r.truth - 1) < 0.05, "\(r.level)") }
    }

    @Test("phantom vs phantomless calibration on the same scan: site vBMD within 5 %")
    func phantomVersusPhantomless() throws {
        let s = try SpinePhantomFixture.withRods.get()
        let rods = try PhantomCalibration.calibrate(s.hu, phantom: SpinePhantomFixture.rodDefinition(s.phantom))
        let tissues = try InternalCalibration.calibrate(s.hu, method: .effectiveEnergy, kVp: 120)
        let a = try SpineDensitometry.measure(density: rods.apply(s.hu), labels: s.segmentation.labels, anatomy: s.segmentation.result)
        let b = try SpineDensitometry.measure(density: tissues.apply(s.hu), labels: s.segmentation.labels, anatomy: s.segmentation.result)
        let va = try #require(a.site?.vBMD), vb = try #require(b.site?.vBMD)
        print(String(format: "site L1–L2: phantom %.1f, phantomless %.1f mg/cm³ (%+.2f %%)", va, vb, 100 * (vb / va - 1)))
        #expect(a.site?.levels == ["L1", "L2"])
        #expect(abs(vb / va - 1) < 0.05)
    }

    @Test("the VOI holds trabecular bone only: ≥ 99 % of its voxels are core (no cortex, no basivertebral vein)")
    func voiClearOfCortexAndVein() throws {
        let s = try SpinePhantomFixture.withRods.get()
        // Mark each VOI by measuring an indicator volume per truth class: mean of (label == class) = its fraction.
        let labels = s.phantom.labels
        for part in [PhantomLabel.VertebraPart.bodyTrabecular, .bodyCortex, .basivertebralVein] {
            let indicator = Volume(grid: labels.grid, voxels: labels.voxels.map { l -> Float in
                guard l >= PhantomLabel.vertebraBase, l < PhantomLabel.vertebraBase + 24 else { return 0 }
                return (l - PhantomLabel.vertebraBase) % 4 == part.rawValue ? 1 : 0
            })
            let r = try SpineDensitometry.measure(density: indicator, labels: s.segmentation.labels, anatomy: s.segmentation.result)
            for v in r.vertebrae where v.usable {
                let fraction = try #require(v.vBMD)
                print(String(format: "%@ VOI: %.2f %% %@ (%d voxels, %.0f mm³)", v.level ?? "?", 100 * fraction, "\(part)", v.voi!.voxelCount, v.voi!.volumeMM3))
                if part == .bodyTrabecular { #expect(fraction >= 0.99) } else { #expect(fraction <= 0.005) }
            }
        }
    }

    @Test("site value: mean of L1 and L2, class by Keaveny 2020; with L1 unusable the nearest fallback (T12) stands in")
    func siteValueAndFallback() throws {
        let s = try SpinePhantomFixture.withRods.get()
        let calibration = try PhantomCalibration.calibrate(s.hu, phantom: SpinePhantomFixture.rodDefinition(s.phantom))
        let density = calibration.apply(s.hu)
        var anatomy = s.segmentation.result
        let r = try SpineDensitometry.measure(density: density, labels: s.segmentation.labels, anatomy: anatomy, hu: s.hu)
        let l1 = try #require(r.vertebrae.first { $0.level == "L1" }?.vBMD), l2 = try #require(r.vertebrae.first { $0.level == "L2" }?.vBMD)
        let site = try #require(r.site)
        #expect(abs(site.vBMD - (l1 + l2) / 2) < 1e-9)
        #expect(site.classification == SpineBMDClass(vBMD: site.vBMD))
        #expect(r.opportunisticL1 != nil)
        // L1 cut by the field of view: not measured, T12 replaces it (fallback order L1, L2, T12, L3).
        for i in anatomy.vertebrae.indices where anatomy.vertebrae[i].level == "L1" { anatomy.vertebrae[i].cutByFieldOfView = true }
        let fallback = try SpineDensitometry.measure(density: density, labels: s.segmentation.labels, anatomy: anatomy)
        #expect(fallback.site?.levels == ["T12", "L2"])
        #expect(fallback.vertebrae.first { $0.level == "L1" }?.vBMD == nil)
        #expect(fallback.site?.notes.isEmpty == false)
    }

    @Test("eligibility on the phantom: unenhanced aorta found in front of the spine, spine accepted; no header → findings")
    func eligibilityOnPhantom() throws {
        let s = try SpinePhantomFixture.withRods.get()
        let report = Eligibility.evaluate(sites: [.spine], hu: s.hu, labels: s.segmentation.labels, anatomy: s.segmentation.result, acquisition: nil)
        print("phantom contrast: \(report.contrast.summary)")
        #expect(report.contrast.status == .absent)
        let spine = try #require(report[.spine])
        #expect(spine.accepted, "\(spine.reasons)")
        #expect(spine.outcome(.coverage)?.status == .pass)
        #expect(spine.outcome(.metal)?.status == .pass)
        #expect(spine.outcome(.fieldOfView)?.status == .pass)
        #expect(spine.outcome(.kvp)?.status == .notVerifiable)
    }
}

@Suite("Contrast on the digital phantom")
struct ContrastPhantomTests {
    @Test("arterial-phase phantom: the enhanced aorta in front of the spine is found, the spine refused for contrast")
    func enhanced() throws {
        var o = SpinePhantomFixture.options(rods: .none, contrast: true)
        o.pixelSpacing = 1.5; o.sliceThickness = 2; o.zCoverage = [180, 300]
        let s = try SpinePhantomFixture.make(o).get()
        let report = Eligibility.evaluate(sites: [.spine, .hip], hu: s.hu, labels: s.segmentation.labels, anatomy: s.segmentation.result, acquisition: nil)
        print("enhanced phantom: \(report.contrast.summary)")
        #expect(report.contrast.status == .present)
        #expect(report[.spine]?.outcome(.contrast)?.status == .fail)
        #expect(report[.spine]?.accepted == false)
        #expect(report[.hip]?.outcome(.contrast)?.status == .flagged)
    }

    /// The pipeline's partial-site case: a spine-only scan segmented for hip + spine. The hip segmenter labels
    /// L1 as pelvis, L1's body label keeps a few posterior voxels on its centroid slice, and the pre-vertebral
    /// box started inside the body: trabecular bone (195 HU, as uniform as blood) read as an enhanced aorta and
    /// the spine was refused. The disc search now keeps clear of every labelled bone voxel.
    @Test("spine-only 2 mm phantom segmented for hip + spine: no contrast; the blood disc lies in soft tissue, not bone")
    func noFalseContrastAtTwoMillimetres() throws {
        var o = PhantomOptions()
        o.sites = [.spine]; o.pixelSpacing = 2; o.sliceThickness = 2; o.age = 70; o.patientSex = "F"
        let phantom = try PhantomGenerator(o).generate()
        let hu = phantom.hu.map { Float($0) }
        let segmentation = AnatomySegmenter().segment(hu: hu, sites: [.hip, .spine])
        let finding = ContrastDetector().assess(hu: hu, headerAgent: nil, labels: segmentation.labels, anatomy: segmentation.result)
        print("2 mm spine phantom, hip + spine segmentation: \(finding.summary)")
        #expect(finding.status == .absent, "\(finding.summary)")
        let region = try #require(finding.bloodRegion)
        // The phantom's truth at the disc centre: soft tissue or vessel (codes below the bones' 30).
        let c = hu.grid.continuousIndex(physical: region.centre)
        let truth = phantom.labels.voxels[hu.grid.linearIndex(Int(c.x.rounded()), Int(c.y.rounded()), Int(c.z.rounded()))]
        #expect(truth < PhantomLabel.femurLeftCortical, "truth label \(truth) at the disc centre")
    }
}

@Suite("Metal on the digital phantom")
struct MetalPhantomTests {
    @Test("left hip implant: metal in the axial sections of the femurs refuses the hip (measured on the pixels)")
    func hipImplant() throws {
        var o = PhantomOptions()
        o.sites = [.hip]; o.pixelSpacing = 2; o.sliceThickness = 2; o.rods = .none; o.zCoverage = [-95, 60]; o.metal = .left
        let phantom = try PhantomGenerator(o).generate()
        let hu = phantom.hu.map { Float($0) }
        let segmentation = AnatomySegmenter().segment(hu: hu, sites: [.hip])
        let facts = SiteImageFacts.measure(site: .hip, hu: hu, labels: segmentation.labels, anatomy: segmentation.result)
        print("implant phantom: \(facts.metalVoxels) metal voxels in \(facts.metalSections.count) of \(facts.boneSections) femur sections")
        #expect(facts.boneSections > 0)
        #expect(!facts.metalSections.isEmpty)
        let report = Eligibility.evaluate(sites: [.hip], hu: hu, labels: segmentation.labels, anatomy: segmentation.result, acquisition: nil)
        #expect(report[.hip]?.outcome(.metal)?.status == .fail)
        #expect(report[.hip]?.accepted == false)
    }
}
