// Naming the vertebrae. The rule (docs/anatomy.md):
//  1. A rib is a bone structure outside the vertebrae, smaller than 80 cm³, reaching farther than
//     75 mm (`ribReachMM`) from the body axis, and long: its mean section at most
//     `ribMaxSectionToDisc` × its inscribed disc (not a plate: an iliac wing cut by the scan's end);
//     it belongs to the vertebra it touches most (within 5 mm).
//     The lowest rib-bearing vertebra is T12 — counted so only when a rib-free vertebra below it is
//     seen over `ribFreeNeighbourMinMM`; otherwise (a short thoracic slab) the names are provisional,
//     confidence 0.3, with a finding.
//     Rib-bearing vertebrae form one unbroken run down from the top of the chain (from the vertebra
//     below it when the top one is cut by the field of view and shows no rib): a "rib" below a
//     rib-free vertebra is anatomically impossible — a sliver of iliac crest — and is dropped
//     (`ribLikeOtherBone`), with confidence at most 0.6 and a finding.
//  2. The lowest piece of the body column being 2.5 × the median body volume (sacrum with the iliac
//     bone the opening keeps), or a large bone structure (≥ 80 cm³: an ilium) touching the lowest
//     vertebra, makes it the sacrum; the vertebra above it is L5.
//  3. Both anchors present: they must be 6 apart (T12…L5 + sacrum); otherwise transitional anatomy
//     (lumbarisation / sacralisation or 11 or 13 rib pairs) is flagged and the sacrum count is kept
//     for lumbar levels, the rib count for thoracic. One anchor: counted from it, lower confidence.
//     No anchor: vertebrae stay unnamed (ordinal only). One anchor: a `levelUncertain` finding.
import OpenBCTCore

/// Which anchor named the levels and how sure the naming is.
public struct LevelAssignment: Sendable, Codable, Equatable {
    public enum Anchor: String, Sendable, Codable { case ribsAndSacrum, lowestRib, sacrum, none }
    public var anchor: Anchor
    /// 0…1: 0.95 both anchors agree; 0.8 bilateral 12th rib only; 0.7 sacrum only; 0.6 a unilateral
    /// rib only; 0.5 when the anchors disagree (transitional anatomy); 0.3 ribs only, with no rib-free
    /// vertebra seen below the lowest rib-bearing one; 0 unnamed; at most 0.6 when rib-like bone below a
    /// rib-free vertebra was dropped (`ribLikeOtherBone`). [U]
    public var confidence: Double
    /// Level per chain ordinal (inferior first); nil entries are unnamed.
    public var levels: [VertebralLevel?]
    /// Ordinals of the rib-bearing vertebrae and how many ribs (sides) each carries.
    public var ribsPerOrdinal: [Int: Int]
    /// Ordinals and counts of structures that passed the rib test but lie on a vertebra below a
    /// rib-free one (not in the run of rib-bearing vertebrae from the top): judged other bone (a
    /// sliver of iliac crest), not counted as ribs.
    public var ribLikeOtherBone: [Int: Int]
    public var sacrumOrdinal: Int?
    public var findings: [Finding]

    public func level(ofOrdinal o: Int) -> VertebralLevel? { o < levels.count ? levels[o] : nil }

    static let ribMaxVolumeMM3 = 80_000.0
    static let contactMM = 5.0
    /// Confidence cap when rib-like structures below a rib-free vertebra were dropped. [U]
    static let droppedRibConfidence = 0.6

    /// - Parameters:
    ///   - seenHeightsMM: per ordinal, how tall a part of the vertebra's body the scan shows.
    ///   - topIsCut: the top vertebra of the chain is cut by the field of view (its ribs may lie above the scan).
    static func assign(vertebraLabels: Volume<Int32>, vertebraCount: Int, otherLabel: Int32, filledBone: Mask,
                       axis: BodyAxis, lowestIsSacrum: Bool, seenHeightsMM: [Double], topIsCut: Bool,
                       options: SpineOptions) -> LevelAssignment {
        let grid = filledBone.grid, n = grid.dims
        // Structures: bone not in any vertebra.
        var rest = filledBone
        for i in rest.voxels.indices where vertebraLabels.voxels[i] != 0 && vertebraLabels.voxels[i] != otherLabel { rest.voxels[i] = 0 }
        let structures = Components(rest, connectivity: .twentySix)
        // Vertebra labels grown 5 mm into the surroundings (geodesic nearest vertebra).
        var vertebraOnly = vertebraLabels
        for i in vertebraOnly.voxels.indices where vertebraOnly.voxels[i] == otherLabel { vertebraOnly.voxels[i] = 0 }
        let anyVertebra = vertebraOnly.map { $0 != 0 ? UInt8(1) : 0 }
        let near = DistanceTransform.squaredDistance(to: anyVertebra).map { $0 <= Float(contactMM * contactMM) ? UInt8(1) : 0 }
        let grown = Watershed.flood(relief: [Float](repeating: 0, count: grid.count), levels: 0...0, markers: vertebraOnly,
                                    domain: Mask(grid: grid, voxels: near))
        // Inside each structure, the distance to its surface: the largest is its inscribed radius.
        let depth = DistanceTransform.squaredDistance(to: rest.map { $0 != 0 ? UInt8(0) : 1 })
        // Per structure: size, lateral reach, extent, inscribed radius and contacts per vertebra.
        var maxLateral = [Double](repeating: 0, count: structures.count + 1)
        var lower = [Vec3](repeating: Vec3(repeating: .infinity), count: structures.count + 1)
        var upper = [Vec3](repeating: Vec3(repeating: -.infinity), count: structures.count + 1)
        var maxDepthSquared = [Float](repeating: 0, count: structures.count + 1)
        var side = [Double](repeating: 0, count: structures.count + 1)
        var contacts = [[Int]](repeating: [Int](repeating: 0, count: vertebraCount + 1), count: structures.count + 1)
        for idx in 0..<grid.count {
            let s = Int(structures.labels.voxels[idx]); guard s != 0 else { continue }
            let p = grid.physicalPoint(index: indexVector(idx, n))
            let dx = p.x - axis.center(atZ: p.z).x
            maxLateral[s] = max(maxLateral[s], abs(dx)); side[s] += dx
            lower[s] = pointwiseMin(lower[s], p); upper[s] = pointwiseMax(upper[s], p)
            maxDepthSquared[s] = max(maxDepthSquared[s], depth[idx])
            let v = Int(grown.voxels[idx]); if v > 0 && v <= vertebraCount { contacts[s][v] += 1 }
        }
        var ribs = [Int: Int](), ribSides = [Int: Set<Bool>]()
        var iliumTouchesLowest = false
        for s in stride(from: 1, through: structures.count, by: 1) {
            guard let owner = (1...max(1, vertebraCount)).max(by: { contacts[s][$0] < contacts[s][$1] }), contacts[s][owner] > 0 else { continue }
            let volume = Double(structures.sizes[s - 1]) * grid.voxelVolume
            // A rib is a long bone: its mean section along its extent is about its inscribed disc; a plate
            // (an iliac wing the scan's end cut below 80 cm³) is many times wider than it is thick.
            let radius = Double(maxDepthSquared[s]).squareRoot(), extent = length(upper[s] - lower[s])
            let isRod = volume / max(extent, 1e-9) <= options.ribMaxSectionToDisc * Double.pi * radius * radius
            if volume >= ribMaxVolumeMM3 {
                if owner == 1 { iliumTouchesLowest = true }
            } else if maxLateral[s] > options.ribReachMM, isRod, !(lowestIsSacrum && owner == 1) {
                ribs[owner - 1, default: 0] += 1; ribSides[owner - 1, default: []].insert(side[s] > 0)
            }
        }
        let run = topRun(of: ribs, vertebraCount: vertebraCount, topIsCut: topIsCut)
        let dropped = ribs.filter { !run.contains($0.key) }
        for o in dropped.keys { ribs[o] = nil; ribSides[o] = nil }
        let lowestRib = ribs.keys.min()
        let sacrum: Int? = (iliumTouchesLowest || lowestIsSacrum) && vertebraCount >= 2 ? 0 : nil
        var findings: [Finding] = []
        var levels = [VertebralLevel?](repeating: nil, count: vertebraCount)
        func name(from anchorOrdinal: Int, as level: VertebralLevel) {
            for o in 0..<vertebraCount { levels[o] = level.offset(by: anchorOrdinal - o) }
        }
        var anchor = Anchor.none, confidence = 0.0
        var uncertainty: String?, anchorsDisagree = false
        switch (lowestRib, sacrum) {
        case let (r?, s?):
            anchor = .ribsAndSacrum
            for o in 0..<vertebraCount where o > s { levels[o] = VertebralLevel.L5.offset(by: s + 1 - o) }
            levels[s] = .sacrum
            let lumbar = r - s - 1
            if lumbar == 5 { confidence = 0.95 } else {
                confidence = 0.5; anchorsDisagree = true
                for o in (r)..<vertebraCount { levels[o] = VertebralLevel.T12.offset(by: r - o) }
                findings.append(Finding(.transitionalAnatomy, site: .spine,
                    "\(lumbar) rib-free vertebrae between the lowest rib-bearing vertebra and the sacrum (expected 5): transitional anatomy; lumbar levels counted from the sacrum, thoracic from the ribs"))
            }
        case let (r?, nil):
            anchor = .lowestRib
            name(from: r, as: .T12)
            if r > 0 && seenHeightsMM[r - 1] >= options.ribFreeNeighbourMinMM {
                confidence = (ribSides[r]?.count ?? 0) >= 2 ? 0.8 : 0.6
            } else {
                // Nothing shows that the ribs end here: the scan may end above T12's neighbour count.
                confidence = 0.3
                uncertainty = "the lowest rib-bearing vertebra in the scan has no rib-free vertebra below it seen over \(Int(options.ribFreeNeighbourMinMM)) mm: the rib-bearing vertebrae are thoracic, but their numbers cannot be counted; named as if the lowest were T12 (confidence 0.3): check them"
            }
        case let (nil, s?):
            anchor = .sacrum
            levels[s] = .sacrum
            for o in 0..<vertebraCount where o > s { levels[o] = VertebralLevel.L5.offset(by: s + 1 - o) }
            confidence = 0.7
        case (nil, nil):
            findings.append(Finding(.levelsUnnamed, site: .spine, usable: false,
                "neither a rib-bearing vertebra nor the sacrum is in the field of view: vertebrae are numbered, not named"))
        }
        if !dropped.isEmpty {
            if anchor != .none { confidence = min(confidence, droppedRibConfidence) }
            let names = dropped.keys.sorted().map { o in levels[o]?.name ?? "vertebra #\(o)" }.joined(separator: ", ")
            findings.append(Finding(.levelUncertain, site: .spine,
                "rib-like bone on \(names) below a rib-free vertebra is not a rib (ribs form one run down from the top of the spine; likely a sliver of iliac crest): judged other bone and not counted; confidence \(confidence): check the levels"))
        }
        // One anchor only (nothing checks its count), or the two disagree: docs/anatomy.md, level rule 4.
        switch anchor {
        case .lowestRib, .sacrum:
            let (used, missing) = anchor == .sacrum ? ("the sacrum", "no rib-bearing vertebra") : ("the lowest rib-bearing vertebra", "no sacrum")
            findings.append(Finding(.levelUncertain, site: .spine,
                uncertainty ?? "vertebral levels counted from \(used) alone (\(missing) in the field of view to check the count), confidence \(confidence): check them"))
        case .ribsAndSacrum where anchorsDisagree:
            findings.append(Finding(.levelUncertain, site: .spine,
                "the lowest rib-bearing vertebra and the sacrum disagree, confidence \(confidence): check the levels"))
        default: break
        }
        return LevelAssignment(anchor: anchor, confidence: confidence, levels: levels, ribsPerOrdinal: ribs,
                               ribLikeOtherBone: dropped, sacrumOrdinal: sacrum, findings: findings)
    }

    /// The ordinals of the one run of rib-bearing vertebrae the anatomy allows: from the top of the
    /// chain down while each vertebra bears ribs (a lumbar rib on L1 continues T12's run). The top
    /// vertebra, when cut by the field of view and showing no rib, does not break it: its ribs may
    /// leave it above the scan.
    static func topRun(of ribs: [Int: Int], vertebraCount: Int, topIsCut: Bool) -> Set<Int> {
        var o = vertebraCount - 1
        if topIsCut && ribs[o] == nil { o -= 1 }
        var run = Set<Int>()
        while o >= 0, ribs[o] != nil { run.insert(o); o -= 1 }
        return run
    }
}
