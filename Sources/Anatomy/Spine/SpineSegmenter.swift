// The spine pipeline: bone mask → vertebral body chain → watershed of the bone into vertebrae →
// levels → body / posterior elements, trabecular cores and landmarks.
import OpenBCTCore

/// One segmented vertebra on the CT grid.
public struct SegmentedVertebra: Sendable {
    /// Position in the chain, 0 = most inferior.
    public var ordinal: Int
    /// The level, when the levels could be named.
    public var level: VertebralLevel?
    /// Linear indices (CT grid) of the whole vertebra, its body and its posterior elements.
    public var voxels: [Int]
    public var bodyVoxels: [Int]
    public var posteriorVoxels: [Int]
    /// Linear indices of the trabecular core (the body eroded away from its cortex).
    public var coreVoxels: [Int]
    /// True when the vertebra touches the first or last slice: it is cut by the field of view.
    public var cutByFieldOfView: Bool
    public var landmarks: VertebraLandmarks?
}

/// What the spine segmentation found.
public struct SpineSegmentation: Sendable {
    /// Vertebrae, inferior first.
    public var vertebrae: [SegmentedVertebra]
    public var levels: LevelAssignment
    public var findings: [Finding]
}

/// Segments the thoracolumbar spine of an HU volume whose slices (k) are axial.
public struct SpineSegmenter: Sendable {
    public var options: SpineOptions
    public init(options: SpineOptions = SpineOptions()) { self.options = options }

    /// Segments `hu`. Returns nil when no spine is in the field of view.
    public func segment(hu: Volume<Float>) -> SpineSegmentation? {
        guard let box = localise(hu) else { return nil }
        let roi = hu.cropped(lower: box.lower, upper: box.upper)
        guard var result = segmentROI(roi, fullGrid: hu.grid, offset: box.lower) else { return nil }
        result.vertebrae.sort { $0.ordinal < $1.ordinal }
        return result
    }

    /// How far (mm) below its top the spine box takes in the sacrum.
    static let sacrumDepthMM = 60.0

    /// The index box holding the spine (body chain plus lateral room for processes and rib heads),
    /// found on a coarse copy when the CT is fine.
    func localise(_ hu: Volume<Float>) -> (lower: SIMD3<Int>, upper: SIMD3<Int>)? {
        let g = hu.grid
        let factor = SIMD3<Int>((0..<3).map { max(1, Int((options.localisationSpacingMM / g.spacing[$0]).rounded(.up))) })
        var coarse = hu
        if factor != SIMD3(1, 1, 1) {
            let dims = SIMD3<Int>((0..<3).map { max(1, g.dims[$0] / factor[$0]) })
            let spacing = Vec3((0..<3).map { g.spacing[$0] * Double(factor[$0]) })
            let origin = g.physicalPoint(index: Vec3((0..<3).map { Double(factor[$0] - 1) / 2 }))
            coarse = hu.resampled(to: ImageGrid(dims: dims, spacing: spacing, origin: origin, direction: g.direction), interpolation: .linear)
        }
        let bone = BoneMask(hu: coarse, thresholds: options.bone)
        let filled = fillMarrow(bone)
        guard let chain = BodyChain.find(filledBone: filled, intensity: bone.smoothed, options: options) else { return nil }
        // Margins: lateral and AP room for transverse and spinous processes and rib heads.
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        for (o, p) in chain.pieces.enumerated() {
            // Of the sacrum (fused with the ilia) only its top is needed to recognise it again.
            let bottom = o == 0 && chain.startsWithSacrum ? max(p.zRange.lowerBound, p.zRange.upperBound - SpineSegmenter.sacrumDepthMM) : p.zRange.lowerBound
            lo.z = min(lo.z, bottom); hi.z = max(hi.z, p.zRange.upperBound)
            if o == 0 && chain.startsWithSacrum { continue }
            lo.x = min(lo.x, p.centroid.x); lo.y = min(lo.y, p.centroid.y)
            hi.x = max(hi.x, p.centroid.x); hi.y = max(hi.y, p.centroid.y)
        }
        // LPS: −y is anterior (the body's front needs little room), +y posterior (spinous processes,
        // rib angles), x both sides for transverse processes and ribs out to the rib reach.
        lo -= Vec3(options.ribReachMM + 15, 45, 30); hi += Vec3(options.ribReachMM + 15, 100, 30)
        var ilo = SIMD3<Int>(repeating: .max), ihi = SIMD3<Int>(repeating: .min)
        for c in 0..<8 {
            let p = Vec3(c & 1 == 0 ? lo.x : hi.x, c & 2 == 0 ? lo.y : hi.y, c & 4 == 0 ? lo.z : hi.z)
            let idx = g.continuousIndex(physical: p)
            let f = SIMD3<Int>(Int(idx.x.rounded(.down)), Int(idx.y.rounded(.down)), Int(idx.z.rounded(.down)))
            ilo = pointwiseMin(ilo, f); ihi = pointwiseMax(ihi, f &+ 2)
        }
        ilo = pointwiseMax(ilo, .zero); ihi = pointwiseMin(ihi, g.dims)
        guard all(ihi .> ilo) else { return nil }
        return (ilo, ihi)
    }

    /// The bone mask with marrow-filled axial holes (not the canal).
    func fillMarrow(_ bone: BoneMask) -> Mask {
        let smoothed = bone.smoothed.voxels, minHU = options.marrowMinHU
        return HoleFilling.fillSlices(bone.mask, normalAxis: 2) { hole in
            hole.reduce(Float(0)) { $0 + smoothed[$1] } / Float(hole.count) >= minHU
        }
    }

    func segmentROI(_ roi: Volume<Float>, fullGrid: ImageGrid, offset: SIMD3<Int>) -> SpineSegmentation? {
        let grid = roi.grid, n = grid.dims
        let bone = BoneMask(hu: roi, thresholds: options.bone)
        let filled = fillMarrow(bone)
        guard var chain = BodyChain.find(filledBone: filled, intensity: bone.smoothed, options: options) else { return nil }
        let axis = BodyAxis(chain: chain, grid: grid)
        chain.addPartialEnds(filledBone: filled) { k in k + offset.z < 0 || k + offset.z >= fullGrid.dims.z }

        // The column's direction at each body, from the bodies the field of view does not cut.
        let isScanEnd = { (k: Int) in k + offset.z == 0 || k + offset.z == fullGrid.dims.z - 1 }
        let whole = chain.pieces.map { piece in !piece.voxels.contains { isScanEnd($0 / (n.x * n.y)) } }
        let axes = chain.pieces.indices.map { o in chain.axis(at: o) { whole[$0] } }
        // Markers: each body piece (label ordinal+1), shrunk so it does not touch the discs; bone far
        // lateral to the axis seeds "other bone" (ribs, ilium).
        let other = Int32(chain.pieces.count + 1)
        var markers = Volume<Int32>(grid: grid, repeating: 0)
        let shrink = min(grid.spacing.x, grid.spacing.y) * 1.5
        for (o, piece) in chain.pieces.enumerated() {
            guard let region = MaskRegion(voxels: piece.voxels, parent: grid, marginMM: shrink + grid.spacing.max()) else { continue }
            for idx in region.parentIndices(of: Morphology.erode(region.mask, radius: shrink)) { markers.voxels[idx] = Int32(o + 1) }
        }
        // What leaned on a body (a contrast-filled aorta) belongs to no vertebra.
        for idx in chain.leaning where markers.voxels[idx] == 0 { markers.voxels[idx] = other }
        // The neural arch of each vertebra seeds it too (not the sacrum's).
        for (o, piece) in chain.pieces.enumerated() where !(o == 0 && chain.startsWithSacrum) {
            for idx in ArchSeeds.seeds(for: piece, axis: axes[o], filledBone: filled) where markers.voxels[idx] == 0 { markers.voxels[idx] = Int32(o + 1) }
        }
        // The spinous tip of the vertebra above, far behind each body's upper half, seeds that vertebra;
        // above the top of the chain (a body cut by the field of view, or none in it) it is "other bone":
        // its arch attaches outside the scan, and the vertebra below must not take it.
        for (o, piece) in chain.pieces.enumerated() where !(o == 0 && chain.startsWithSacrum) {
            let above = o + 1 < chain.pieces.count ? Int32(o + 2) : other
            for idx in ArchSeeds.superiorNeighbourSeeds(for: piece, axis: axes[o], filledBone: filled, isScanEnd: isScanEnd) where markers.voxels[idx] == 0 { markers.voxels[idx] = above }
        }
        for idx in 0..<grid.count where filled.voxels[idx] != 0 && markers.voxels[idx] == 0 {
            let p = grid.physicalPoint(index: indexVector(idx, n))
            if abs(p.x - axis.center(atZ: p.z).x) > options.lateralLimitMM { markers.voxels[idx] = other }
        }
        // Flood the bone by intensity capped at the bodies' median: bright cortex cannot carry one
        // region around another, and the fronts meet in the dark discs and joint spaces.
        var bodyHU: [Float] = []
        for piece in chain.pieces { for v in piece.voxels { bodyHU.append(bone.smoothed.voxels[v]) } }
        bodyHU.sort()
        let cap = bodyHU[bodyHU.count / 2]
        let relief = bone.smoothed.voxels.map { min($0, cap) }
        var flooded = Watershed.flood(relief: relief, levels: -1100...Int(cap.rounded()), markers: markers, domain: filled)
        for o in chain.pieces.indices { VertebraSolidifier.solidify(&flooded, label: Int32(o + 1)) }
        // The partial-volume rim: vertebra voxels facing soft tissue (not a neighbouring vertebra)
        // below `bone.surfaceHU` are outside.
        var vertebraMask = flooded.map { $0 != 0 && $0 != other ? UInt8(1) : 0 }
        bone.trimSurface(&vertebraMask, thresholds: options.bone)
        for i in flooded.voxels.indices where vertebraMask.voxels[i] == 0 && flooded.voxels[i] != other { flooded.voxels[i] = 0 }
        // The disc the marrow fill took for marrow, beyond each body's endplates.
        DiscLayer.trim(&flooded, bodies: chain.pieces, skipFirst: chain.startsWithSacrum, intensity: bone.smoothed, options: options)

        // The top vertebra cut by the scan may carry its ribs above it (level rule 1).
        let topLabel = Int32(chain.pieces.count)
        let topIsCut = flooded.voxels.indices.contains { flooded.voxels[$0] == topLabel && isScanEnd($0 / (n.x * n.y)) }
        let levels = LevelAssignment.assign(vertebraLabels: flooded, vertebraCount: chain.pieces.count, otherLabel: other,
                                            filledBone: filled, axis: axis, lowestIsSacrum: chain.startsWithSacrum,
                                            seenHeightsMM: chain.pieces.map { $0.zRange.upperBound - $0.zRange.lowerBound },
                                            topIsCut: topIsCut, options: options)
        // Ribs articulate with thoracic vertebrae only: on those, and on vertebrae left unnamed, a rib
        // that left the scan before the lateral limit is taken back from its islands (`RibIslands`).
        let ribBearing = chain.pieces.indices.filter { o in
            if o == 0 && chain.startsWithSacrum { return false }
            guard let level = levels.level(ofOrdinal: o) else { return true }
            return level <= .T12
        }.map { Int32($0 + 1) }
        RibIslands.detach(&flooded, vertebrae: Set(ribBearing), markers: markers, other: other, relief: relief,
                          levels: -1100...Int(cap.rounded()), axis: axis, minLateralMM: options.ribIslandMinLateralMM)

        var vertebrae: [SegmentedVertebra] = []
        var perLabel = [[Int]](repeating: [], count: chain.pieces.count + 2)
        for (i, l) in flooded.voxels.enumerated() where l != 0 { perLabel[Int(l)].append(i) }
        for o in chain.pieces.indices {
            let local = perLabel[o + 1]
            guard !local.isEmpty else { continue }
            let cut = local.contains { isScanEnd($0 / (n.x * n.y)) }
            let anatomy = VertebraAnatomy(voxels: local, body: chain.pieces[o].voxels, grid: grid,
                                          coreErosionMM: options.coreErosionMM)
            func toFull(_ v: [Int]) -> [Int] {
                v.map { idx in
                    let i = idx % n.x + offset.x, j = (idx / n.x) % n.y + offset.y, k = idx / (n.x * n.y) + offset.z
                    return fullGrid.linearIndex(i, j, k)
                }
            }
            vertebrae.append(SegmentedVertebra(ordinal: o, level: nil, voxels: toFull(local), bodyVoxels: toFull(anatomy.body),
                                               posteriorVoxels: toFull(anatomy.posterior), coreVoxels: toFull(anatomy.core),
                                               cutByFieldOfView: cut, landmarks: cut ? nil : anatomy.landmarks))
        }
        for i in vertebrae.indices { vertebrae[i].level = levels.level(ofOrdinal: vertebrae[i].ordinal) }
        var findings = levels.findings
        for v in vertebrae where v.cutByFieldOfView {
            findings.append(Finding(.vertebraCutByFieldOfView, site: .spine,
                                    "\(v.level?.name ?? "vertebra #\(v.ordinal)") is cut by the field of view: segmented inside it only, no landmarks"))
        }
        return SpineSegmentation(vertebrae: vertebrae, levels: levels, findings: findings)
    }
}

/// The centre line of the body column: per-slice centroid of the chain, linearly interpolated in z
/// and held constant beyond its ends.
struct BodyAxis: Sendable {
    var samples: [(z: Double, center: Vec3)]

    init(chain: BodyChain, grid: ImageGrid) {
        var sums: [Int: (Vec3, Int)] = [:]
        let n = grid.dims
        for piece in chain.pieces { for v in piece.voxels {
            let k = v / (n.x * n.y)
            let p = grid.physicalPoint(index: indexVector(v, n))
            let s = sums[k] ?? (.zero, 0)
            sums[k] = (s.0 + p, s.1 + 1)
        } }
        samples = sums.map { (z: $0.value.0.z / Double($0.value.1), center: $0.value.0 / Double($0.value.1)) }
            .sorted { $0.z < $1.z }
    }

    func center(atZ z: Double) -> Vec3 {
        guard let first = samples.first, let last = samples.last else { return .zero }
        if z <= first.z { return first.center }
        if z >= last.z { return last.center }
        var lo = 0, hi = samples.count - 1
        while hi - lo > 1 { let mid = (lo + hi) / 2; if samples[mid].z <= z { lo = mid } else { hi = mid } }
        let a = samples[lo], b = samples[hi]
        let t = (z - a.z) / max(1e-9, b.z - a.z)
        return a.center + (b.center - a.center) * t
    }
}
