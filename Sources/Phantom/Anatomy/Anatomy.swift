// The whole body: every structure placed from the options, evaluated in priority order
// (implant, bones, discs, soft tissue, then what lies outside the skin).
import Foundation
import OpenBCTCore

/// The phantom's analytic anatomy in LPS millimetres (patient supine, femoral head centres at
/// z = 0, lumbar spine above).
struct Anatomy: Sendable {
    let femurs: [Femur]
    let hipBones: [HipBone]
    let sacrum = Sacrum()
    /// T12 … L5 (index = `PhantomLabel` level).
    let vertebrae: [Vertebra]
    let ribs: [Rib]
    let implant: HipImplant?
    let softTissue: SoftTissue
    let support: PatientSupport
    let field: BoneDensityField

    /// Femoral head centre x (± mm from the midline).
    static let headOffset = 88.0

    init(options o: PhantomOptions) {
        field = BoneDensityField(scale: o.trabecularScale, texture: ValueNoise(seed: o.seed ^ 0x7AB, cell: 11))
        var femurs: [Femur] = [], hips: [HipBone] = []
        var implant: HipImplant? = nil
        for left in [true, false] {
            let side: PhantomOptions.Side = left ? .left : .right
            let head = Vec3(left ? Self.headOffset : -Self.headOffset, 0, 0)
            hips.append(HipBone(left: left, headCentre: head, cavityRadius: o.femoralHeadRadius + o.jointSpace))
            if o.missingFemur == side { continue }
            let femur = Femur(left: left, headCentre: head, headRadius: o.femoralHeadRadius,
                              neckShaftAngle: o.neckShaftAngle, anteversion: o.anteversion, resected: o.metal == side)
            femurs.append(femur)
            if o.metal == side { implant = HipImplant(femur: femur) }
        }
        self.femurs = femurs; hipBones = hips; self.implant = implant
        // Body sizes (semi-axes, height) grow caudally; transverse processes longest at L3.
        let a = [21.5, 23, 24, 25, 25.5, 26], b = [16, 16.5, 17, 17.5, 18, 18]
        let reach = [12.0, 20, 26, 32, 28, 24]
        vertebrae = (0..<6).map { v in
            let centreZ = 97 + 35 * Double(5 - v)
            return Vertebra(level: v, centreZ: centreZ, a: a[v], b: b[v], height: v == 0 ? 25 : 26, transverseReach: reach[v])
        }
        let arc = min(1, o.bodySize)
        ribs = [true, false].flatMap { left in
            [Rib(left: left, attachmentZ: 272, sweep: 1.25, arcScale: arc), Rib(left: left, attachmentZ: 307, sweep: 1.7, arcScale: arc)]
        }
        softTissue = SoftTissue(size: o.bodySize, seed: o.seed)
        support = PatientSupport(backY: softTissue.backY, rodMaterial: o.rods, densities: o.rodDensities)
    }

    /// The structures that can matter anywhere in a box (one image row, grown by the voxel size).
    struct ActiveSet {
        var femurs: [Int] = [], hipBones: [Int] = [], vertebrae: [Int] = [], ribs: [Int] = []
        var sacrum = false, implant = false
    }

    func active(in box: Bounds) -> ActiveSet {
        func hit(_ b: Bounds) -> Bool { all(box.upper .>= b.lower) && all(box.lower .<= b.upper) }
        var s = ActiveSet()
        s.femurs = femurs.indices.filter { hit(femurs[$0].bounds) }
        s.hipBones = hipBones.indices.filter { hit(hipBones[$0].bounds) }
        s.vertebrae = vertebrae.indices.filter { hit(vertebrae[$0].bounds) }
        s.ribs = ribs.indices.filter { hit(ribs[$0].bounds) }
        s.sacrum = hit(sacrum.bounds)
        s.implant = implant.map { hit($0.bounds) } ?? false
        return s
    }

    /// The content at p; `nearest` gets (a lower bound of) the distance to the closest interface.
    @inline(__always)
    func sample(_ p: Vec3, _ act: ActiveSet, _ nearest: inout Double) -> PointSample {
        if act.implant, let s = implant!.sample(p, &nearest) { return s }
        for i in act.femurs { if let s = femurs[i].sample(p, field, &nearest) { return s } }
        for i in act.hipBones { if let s = hipBones[i].sample(p, field, &nearest) { return s } }
        if act.sacrum, let s = sacrum.sample(p, field, &nearest) { return s }
        for i in act.vertebrae { if let s = vertebrae[i].sample(p, field, &nearest) { return s } }
        for i in act.ribs { if let s = ribs[i].sample(p, field, &nearest) { return s } }
        for i in act.vertebrae {
            let d = vertebrae[i].discDistance(p, toward: i + 1 < vertebrae.count ? vertebrae[i + 1] : nil)
            nearest = min(nearest, abs(d))
            if d < 0 { return PointSample(PhantomLabel.disc, .disc) }
        }
        if let s = softTissue.sample(p, &nearest) { return s }
        return support.sample(p, &nearest)
    }

    /// The sagittal/axial extent (z range, mm) each site needs.
    static func zRange(_ site: PhantomOptions.Site) -> ClosedRange<Double> {
        switch site {
        case .hip: -95 ... 110     // below the lesser trochanters to the iliac crests
        case .spine: 70 ... 285    // sacral promontory to T12
        }
    }
}
