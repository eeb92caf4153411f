// The whole body: every structure placed from the options, evaluated in priority order
// (implant, bones, discs, soft tissue, then what lies outside the skin), with culling helpers that
// let the rasterizer skip structures far from a tile.
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
        field = BoneDensityField(scale: o.trabecularScale,
                                 cortexThicknessScale: o.boneQuality?.cortexThicknessScale ?? 1,
                                 corticalDensityScale: o.boneQuality?.corticalDensityScale ?? 1,
                                 texture: ValueNoise(seed: o.seed ^ 0x7AB, cell: 11))
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

    /// The structures that can matter near a point or in a box, as bit masks (no allocation in the
    /// hot loop). `bones` bits, in priority order: implant 0, femurs 1–2, hip bones 3–4, sacrum 5,
    /// vertebrae 6–11, ribs 12–15 (bit = `PointSample.part`). `vessels`: `SoftTissue` vessel index.
    struct ActiveSet: Sendable {
        var bones: UInt32 = 0
        var vessels: UInt32 = 0
    }

    static let implantBit = 0, femurBit = 1, hipBit = 3, sacrumBit = 5, vertebraBit = 6, ribBit = 12, ribEnd = 16

    /// Structures whose bounding boxes touch `box`.
    func active(in box: Bounds) -> ActiveSet {
        func hit(_ b: Bounds) -> Bool { all(box.upper .>= b.lower) && all(box.lower .<= b.upper) }
        var s = ActiveSet()
        for (i, f) in femurs.enumerated() where hit(f.bounds) { s.bones |= 1 << (Self.femurBit + i) }
        for (i, h) in hipBones.enumerated() where hit(h.bounds) { s.bones |= 1 << (Self.hipBit + i) }
        if hit(sacrum.bounds) { s.bones |= 1 << Self.sacrumBit }
        for (i, v) in vertebrae.enumerated() where hit(v.bounds) { s.bones |= 1 << (Self.vertebraBit + i) }
        for (i, r) in ribs.enumerated() where hit(r.bounds) { s.bones |= 1 << (Self.ribBit + i) }
        if let implant, hit(implant.bounds) { s.bones |= 1 << Self.implantBit }
        s.vessels = softTissue.vessels(touching: box)
        return s
    }

    /// Narrows `set` to the structures whose surface comes within `radius` of `centre` (their
    /// distance functions are lower bounds of the true distance, so nothing nearer is dropped).
    func refine(_ set: ActiveSet, near centre: Vec3, radius: Double) -> ActiveSet {
        var out = ActiveSet(bones: 0, vessels: softTissue.vessels(set.vessels, near: centre, radius: radius))
        var m = set.bones
        while m != 0 {
            let bit = m.trailingZeroBitCount
            m &= m - 1
            if partDistance(bit, centre) < radius { out.bones |= 1 << bit }
        }
        return out
    }

    /// Distance to the outer surface of bone part `bit` (see `ActiveSet`).
    func partDistance(_ bit: Int, _ p: Vec3) -> Double {
        switch bit {
        case Self.femurBit ..< Self.hipBit: femurs[bit - Self.femurBit].distance(p)
        case Self.hipBit ..< Self.sacrumBit: hipBones[bit - Self.hipBit].distance(p)
        case Self.sacrumBit: sacrum.distance(p)
        case Self.vertebraBit ..< Self.ribBit:
            outerDistance(vertebra: bit - Self.vertebraBit, p)
        case Self.ribBit ..< Self.ribEnd: ribs[bit - Self.ribBit].distance(p)
        default: implant!.outerDistance(p)
        }
    }

    private func outerDistance(vertebra i: Int, _ p: Vec3) -> Double {
        let v = vertebrae[i], q = v.local(p)
        return min(min(v.bodyDistance(q), v.posteriorDistance(q)), v.discDistance(p, toward: i + 1 < vertebrae.count ? vertebrae[i + 1] : nil))
    }

    /// The content at p; `nearest` gets (a lower bound of) the distance to the closest anatomical
    /// interface, `textureNearest` to the closest bowel-content texture boundary. With
    /// `deferDensity`, trabecular points carry a NaN solute (see `BoneDensityField.deferred`).
    @inline(__always)
    func sample(_ p: Vec3, _ act: ActiveSet, _ nearest: inout Double, texture textureNearest: inout Double,
                deferDensity: Bool = false) -> PointSample {
        var field = self.field
        field.deferred = deferDensity
        var m = act.bones
        while m != 0 {
            let bit = m.trailingZeroBitCount
            m &= m - 1
            let found: PointSample?
            switch bit {
            case Self.femurBit ..< Self.hipBit: found = femurs[bit - Self.femurBit].sample(p, field, &nearest)
            case Self.hipBit ..< Self.sacrumBit: found = hipBones[bit - Self.hipBit].sample(p, field, &nearest)
            case Self.sacrumBit: found = sacrum.sample(p, field, &nearest)
            case Self.vertebraBit ..< Self.ribBit: found = vertebrae[bit - Self.vertebraBit].sample(p, field, &nearest)
            case Self.ribBit ..< Self.ribEnd: found = ribs[bit - Self.ribBit].sample(p, field, &nearest)
            default: found = implant!.sample(p, &nearest)
            }
            if var s = found { s.part = UInt8(bit); return s }
        }
        var v = act.bones >> Self.vertebraBit & 0x3F
        while v != 0 {
            let i = v.trailingZeroBitCount
            v &= v - 1
            let d = vertebrae[i].discDistance(p, toward: i + 1 < vertebrae.count ? vertebrae[i + 1] : nil)
            nearest = min(nearest, abs(d))
            if d < 0 { return PointSample(PhantomLabel.disc, .disc) }
        }
        if let s = softTissue.sample(p, vessels: act.vessels, &nearest, texture: &textureNearest) { return s }
        return support.sample(p, &nearest)
    }

    /// The sagittal/axial extent (z range, mm) each site needs.
    static func zRange(_ site: PhantomOptions.Site) -> ClosedRange<Double> {
        switch site {
        case .hip: -135 ... 110    // ≥ 40 mm below the lesser trochanters (distal edge ≈ −90) to the iliac crests
        case .spine: 70 ... 285    // sacral promontory to T12
        }
    }
}
