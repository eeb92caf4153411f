// Digital spine phantoms (h/phantom's generator: analytic anatomy, known density, noise), generated
// and segmented once per test run. T12–L3 whole at 1 mm pixels and 1.5 mm slices.
import Anatomy
import Calibration
import OpenBCTCore
import Phantom

struct SegmentedPhantom: Sendable {
    var phantom: PhantomCase
    var hu: Volume<Float>
    var segmentation: AnatomySegmentation
}

enum SpinePhantomFixture {
    static func options(rods: PhantomOptions.RodMaterial, contrast: Bool = false) -> PhantomOptions {
        var o = PhantomOptions()
        o.sites = [.spine]; o.zCoverage = [150, 300]
        o.pixelSpacing = 1.0; o.fieldOfView = 400; o.sliceThickness = 1.5
        o.rods = rods; o.contrast = contrast
        return o
    }

    static func make(_ o: PhantomOptions) -> Result<SegmentedPhantom, Error> {
        Result {
            let phantom = try PhantomGenerator(o).generate()
            let hu = phantom.hu.map { Float($0) }
            let segmentation = AnatomySegmenter().segment(hu: hu, sites: [.spine])
            return SegmentedPhantom(phantom: phantom, hu: hu, segmentation: segmentation)
        }
    }

    /// K2HPO4 rods under the patient.
    static let withRods = make(options(rods: .k2hpo4))
    /// The same anatomy without rods (phantomless is the only calibration possible).
    static let withoutRods = make(options(rods: .none))

    /// The phantom's rods as user-placed ROIs (centre from the truth, radius 60 % of the rod's, mid-slab).
    static func rodDefinition(_ p: PhantomCase) -> PhantomDefinition {
        let z = p.hu.grid.physicalPoint(index: Vec3(0, 0, Double(p.hu.dims.z / 2))).z
        return PhantomDefinition(name: "digital phantom K2HPO4 rods", equivalent: .k2hpo4,
                                 rods: p.truth.rods.map { .init(density: $0.k2hpo4Equivalent, centre: Vec3($0.centre[0], $0.centre[1], z),
                                                                radiusMM: 0.6 * $0.radius) })
    }
}
