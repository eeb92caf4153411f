import Anatomy
import FE
import OpenBCTCore
import Phantom
import Testing
@testable import Pipeline

/// The FE stage builds each bone's model from the CT cropped to that bone (`SiteCrop`); the model must be
/// the one the whole CT gives.
@Suite("site crop")
struct SiteCropTests {
    @Test("the box of a label set: its voxels' index range widened by the margin, clamped to the grid")
    func box() throws {
        let grid = ImageGrid(dims: SIMD3(10, 8, 6))
        var labels = Volume<UInt8>(grid: grid)
        labels[2, 3, 1] = 7; labels[5, 6, 4] = 7; labels[9, 0, 5] = 9
        let b = try #require(SiteCrop.box(of: [7], in: labels, margin: SIMD3(1, 1, 1)))
        #expect(b.lower == SIMD3(1, 2, 0) && b.upper == SIMD3(7, 8, 6))
        let both = try #require(SiteCrop.box(of: [7, 9], in: labels, margin: .zero))
        #expect(both.lower == SIMD3(2, 0, 1) && both.upper == SIMD3(10, 7, 6))
        #expect(SiteCrop.box(of: [3], in: labels, margin: .zero) == nil)
    }

    @Test("femur and vertebra models built from the cropped CT equal those built from the whole CT (phantom, 2 mm)")
    func sameModels() throws {
        var o = PhantomOptions()
        o.sites = [.hip, .spine]; o.pixelSpacing = 2; o.sliceThickness = 2
        let p = try PhantomGenerator(o).generate()
        let anatomy = AnatomyStage.segment(p.hu.map { Float($0) }, sites: [.hip, .spine])
        let femur = try #require(anatomy.result.femurs.first)
        let hip = HipLoadCase(kind: .sidewaysFall, femurLabels: [Int32(femur.label)], voxelSize: 3,
                              materials: .ogoCompatible(law: StrengthStage.hipLaw))
        let frame = try StrengthStage.feFrame(try #require(femur.landmarks))
        let femurCrop = SiteCrop.crop(density: p.density, labels: anatomy.labels, to: [femur.label])
        #expect(femurCrop.labels.grid.count < anatomy.labels.grid.count / 4)
        try expectSame(try hip.build(density: p.density, labels: anatomy.labels, femurFrame: frame),
                       try hip.build(density: femurCrop.density, labels: femurCrop.labels, femurFrame: frame))

        let vc = VertebralCompression(mode: .clinical, bodyLabel: Int32(AnatomyLabel.body(.L1)), posteriorLabels: [Int32(AnatomyLabel.posterior(.L1))],
                                      caps: CapGeometry(conforming: true), voxelSize: 3, materials: .ogoCompatible(law: StrengthStage.spineLaw))
        let bodyCrop = SiteCrop.crop(density: p.density, labels: anatomy.labels, to: [AnatomyLabel.body(.L1)])
        try expectSame(try vc.build(density: p.density, labels: anatomy.labels),
                       try vc.build(density: bodyCrop.density, labels: bodyCrop.labels))
        // The mean bone density (interval's calibration component) over the same voxels.
        #expect(StrengthStage.meanDensity(p.density, anatomy.labels, [femur.label])
                == StrengthStage.meanDensity(femurCrop.density, femurCrop.labels, [femur.label]))
    }

    /// Same lattice, elements, materials and boundary conditions; moduli equal to float rounding (the
    /// cropped grid's origin is the whole grid's, recomputed).
    func expectSame(_ a: LoadCaseModel, _ b: LoadCaseModel) throws {
        #expect(a.model.dims == b.model.dims && a.model.elements == b.model.elements && a.model.materialID == b.model.materialID)
        #expect(length(a.model.origin - b.model.origin) < 1e-9)
        let worst = zip(a.model.youngsModulus, b.model.youngsModulus).map { abs(Double($0) - Double($1)) / max(1, Double($0)) }.max() ?? 0
        #expect(worst < 1e-5, "largest relative modulus difference \(worst)")
        #expect(a.model.constraints == b.model.constraints)
        #expect(a.summary.referenceLength == b.summary.referenceLength)
    }
}
