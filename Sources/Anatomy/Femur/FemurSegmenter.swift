// The hip pipeline: femoral shafts found in the most distal slab, the head found as the thickest
// round bone medial to the shaft and fitted with a sphere, the head cut from the acetabulum by a
// marker-controlled watershed seeded from the sphere (femur inside, pelvis beyond the joint space),
// marrow filled, distal cut below the lesser trochanter, landmarks and the femur frame.
import OpenBCTCore

/// One segmented proximal femur on the CT grid.
public struct SegmentedFemur: Sendable {
    public var side: Side
    /// Linear indices (CT grid) of the femur: cortex and filled marrow.
    public var voxels: [Int]
    /// Linear indices of the bone taken as pelvis (acetabulum side of the joint).
    public var pelvisVoxels: [Int]
    public var landmarks: FemurLandmarks?
    /// The plane of the distal cut (normal toward proximal), nil when the scan ends above it.
    public var distalCut: Plane?
    public var findings: [Finding]
}

/// What the hip segmentation found.
public struct HipSegmentation: Sendable {
    public var femurs: [SegmentedFemur]
    public var findings: [Finding]
}

/// Segments the proximal femurs of an HU volume whose slices (k) are axial.
public struct FemurSegmenter: Sendable {
    public var options: FemurOptions
    public init(options: FemurOptions = FemurOptions()) { self.options = options }

    public func segment(hu: Volume<Float>) -> HipSegmentation {
        let grid = hu.grid, n = grid.dims
        let kUp = grid.direction.c2.z >= 0
        let midlineX = BodyOutline.midlineX(hu)
        let slabSlices = max(1, min(n.z, Int((options.shaftSlabMM / grid.spacing.z).rounded(.up))))
        let slabK = kUp ? 0..<slabSlices : (n.z - slabSlices)..<n.z
        let shafts = ShaftSeeds.find(hu: hu, slices: slabK, midlineX: midlineX, options: options)
        var femurs: [SegmentedFemur] = []
        var findings: [Finding] = []
        for seed in shafts {
            let femur = FemurExtraction(hu: hu, seed: seed, midlineX: midlineX, options: options).run()
            femurs.append(femur)
            findings += femur.findings
        }
        if !femurs.isEmpty && grid.spacing.z > options.maxSliceSpacingMM {
            findings.append(Finding(.coarseSlices, site: .hip, usable: false,
                "slices \(grid.spacing.z) mm apart (more than \(options.maxSliceSpacingMM) mm): the head cannot be told from the acetabulum reliably; femur segmentation and landmarks are not usable"))
        }
        // A shaft seed without a femur (no head above it: a calibration rod) has its own finding.
        femurs.removeAll { $0.voxels.isEmpty }
        if femurs.isEmpty {
            findings.append(Finding(.noFemurFound, site: .hip, usable: false,
                "no femur (a round shaft in the most distal \(options.shaftSlabMM) mm of the scan with a head above it): the hip site is not segmented"))
        } else if femurs.count == 1 {
            findings.append(Finding(.onlyOneFemur, site: .hip,
                "only the \(femurs[0].side.rawValue) femur is in the scan"))
        }
        return HipSegmentation(femurs: femurs.sorted { $0.side.rawValue < $1.side.rawValue }, findings: findings)
    }
}

/// The patient's left–right midline: the centroid of the body (HU > −300) in LPS x.
enum BodyOutline {
    static func midlineX(_ hu: Volume<Float>) -> Double {
        let grid = hu.grid, n = grid.dims
        var sum = 0.0, count = 0
        let step = max(1, n.x / 128)
        for k in stride(from: 0, to: n.z, by: max(1, n.z / 32)) { for j in stride(from: 0, to: n.y, by: step) {
            for i in stride(from: 0, to: n.x, by: step) where hu.voxels[grid.linearIndex(i, j, k)] > -300 {
                sum += grid.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))).x; count += 1
            }
        } }
        return count > 0 ? sum / Double(count) : grid.physicalPoint(index: Vec3(grid.dims) / 2).x
    }
}

/// A femoral shaft found in the distal slab.
struct ShaftSeed {
    var side: Side
    var voxels: [Int]          // CT-grid linear indices of the shaft in the slab
    var centroid: Vec3
}

enum ShaftSeeds {
    /// Bone components of the distal slab with a shaft-sized cross-section, the largest per side.
    static func find(hu: Volume<Float>, slices: Range<Int>, midlineX: Double, options: FemurOptions) -> [ShaftSeed] {
        let grid = hu.grid
        let slab = hu.cropped(lower: SIMD3(0, 0, slices.lowerBound), upper: SIMD3(grid.dims.x, grid.dims.y, slices.upperBound))
        let bone = BoneMask(hu: slab, thresholds: options.bone).mask
        let comps = Components(bone, connectivity: .twentySix)
        let sliceArea = grid.spacing.x * grid.spacing.y
        var best: [Side: ShaftSeed] = [:]
        var members = [[Int]](repeating: [], count: comps.count + 1)
        for (i, l) in comps.labels.voxels.enumerated() where l != 0 { members[Int(l)].append(i) }
        let m = slab.grid.dims
        for c in stride(from: 1, through: comps.count, by: 1) {
            let vox = members[c]
            let area = Double(vox.count) * sliceArea / Double(slices.count)
            guard area >= options.minShaftAreaMM2 else { continue }
            let full = vox.map { grid.linearIndex($0 % m.x, ($0 / m.x) % m.y, $0 / (m.x * m.y) + slices.lowerBound) }
            let centroid = full.reduce(Vec3.zero) { $0 + grid.physicalPoint(index: indexVector($1, grid.dims)) } / Double(full.count)
            // Femoral shafts lie well lateral of the midline (a vertebra or the sacrum does not).
            guard abs(centroid.x - midlineX) >= options.minShaftOffsetFromMidlineMM else { continue }
            // A shaft is a round tube: its marrow-filled section is nearly its inscribed disc. The lowest
            // bone of a scan that starts above the hips is an iliac wing, a long curved plate.
            guard isRoundTube(vox, slab: slab.grid, options: options) else { continue }
            let side: Side = centroid.x > midlineX ? .left : .right   // LPS +x is the patient's left
            if (best[side]?.voxels.count ?? 0) < full.count { best[side] = ShaftSeed(side: side, voxels: full, centroid: centroid) }
        }
        return best.values.sorted { $0.side.rawValue < $1.side.rawValue }
    }

    /// Whether the middle axial section of `voxels` (slab-grid indices), its marrow filled, holds a disc
    /// of at least `minShaftRadiusMM` and covers at most `maxShaftSectionToDisc` times that disc's area.
    static func isRoundTube(_ voxels: [Int], slab grid: ImageGrid, options: FemurOptions) -> Bool {
        var mask = Mask.empty(on: grid)
        for v in voxels { mask.voxels[v] = 1 }
        let filled = HoleFilling.fillSlices(mask)
        let plane = grid.dims.x * grid.dims.y, k = grid.dims.z / 2
        let section = (k * plane..<(k + 1) * plane).filter { filled.voxels[$0] != 0 }
        guard !section.isEmpty else { return false }
        let r = ShaftAnalysis.inscribedCentre(of: section, grid: grid).radius
        let area = Double(section.count) * grid.spacing.x * grid.spacing.y
        return r >= options.minShaftRadiusMM && area <= options.maxShaftSectionToDisc * Double.pi * r * r
    }
}
