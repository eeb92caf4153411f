// Finding the column of vertebral bodies: open the marrow-filled bone mask so only thick, compact
// bone survives, then chain the pieces cranio-caudally.
import OpenBCTCore

/// One vertebral body candidate: a piece of the opened bone mask.
struct BodyPiece {
    var voxels: [Int]          // linear indices on the working grid
    var centroid: Vec3         // LPS mm
    var zRange: ClosedRange<Double>   // superior (LPS z) extent, mm
}

/// The chain of vertebral bodies, inferior first.
struct BodyChain {
    var pieces: [BodyPiece]
    /// True when `pieces[0]` is the sacrum: a piece far larger than the vertebral bodies above it.
    var startsWithSacrum = false
    /// Voxels detached from the body pieces (`LeaningStructure`): bone, but of no vertebra.
    var leaning: [Int] = []

    /// Finds the longest cranio-caudal chain of opened bone pieces in `filledBone`; `intensity` is the
    /// smoothed HU on the same grid (for discs bridged inside a piece).
    static func find(filledBone: Mask, intensity: Volume<Float>, options: SpineOptions) -> BodyChain? {
        let grid = filledBone.grid
        let opened = Morphology.open(filledBone, radius: options.bodyOpeningRadiusMM)
        let comps = Components(opened, connectivity: .twentySix)
        let minVoxels = Int(options.minBodyVolumeMM3 / grid.voxelVolume)
        var members = [[Int]](repeating: [], count: comps.count + 1)
        for (i, l) in comps.labels.voxels.enumerated() where l != 0 && comps.sizes[Int(l) - 1] >= minVoxels {
            members[Int(l)].append(i)
        }
        let raw = members.filter { !$0.isEmpty }.map { piece(grid: grid, voxels: $0) }
        // Pieces of a body's height may carry a structure leaning on the body (a contrast-filled
        // aorta); taller ones are bridged bodies or the sacrum with the ilia, left whole.
        var leaning: [Int] = []
        let bodies = raw.map { p -> BodyPiece in
            guard p.zRange.upperBound - p.zRange.lowerBound <= options.maxBodyHeightMM else { return p }
            let (body, rest) = LeaningStructure.detach(p, grid: grid, options: options)
            leaning += rest
            return body
        }
        // A piece taller than one body but short of the waist rule's height may hold a bridged disc.
        var pieces = bodies.flatMap { p -> [BodyPiece] in
            let height = p.zRange.upperBound - p.zRange.lowerBound
            guard height > options.maxSingleBodyHeightMM, height <= options.maxBodyHeightMM else { return [p] }
            return BridgedDisc.split(p, intensity: intensity, options: options)
        }
            .flatMap { split($0, grid: grid, options: options) }
        pieces.sort { $0.centroid.z < $1.centroid.z }
        guard !pieces.isEmpty else { return nil }
        // Longest path by total height, linking pieces that follow each other closely.
        var best = pieces.map { $0.zRange.upperBound - $0.zRange.lowerBound }
        var previous = [Int](repeating: -1, count: pieces.count)
        for b in pieces.indices { for a in 0..<b {
            let gap = pieces[b].zRange.lowerBound - pieces[a].zRange.upperBound
            let offset = length(SIMD3(pieces[b].centroid.x - pieces[a].centroid.x, pieces[b].centroid.y - pieces[a].centroid.y, 0))
            let height = pieces[b].zRange.upperBound - pieces[b].zRange.lowerBound
            if gap > -options.chainMaxGapMM / 2, gap <= options.chainMaxGapMM, offset <= options.chainMaxOffsetMM,
               best[a] + height > best[b] {
                best[b] = best[a] + height; previous[b] = a
            }
        } }
        var end = best.indices.max { best[$0] < best[$1] }!
        var chain: [BodyPiece] = []
        while end >= 0 { chain.append(pieces[end]); end = previous[end] }
        chain.reverse()
        // Below the lumbar spine the column runs into the sacrum and the pelvis, whose opened pieces
        // are several times a vertebral body's volume: the first such piece below the bodies is the
        // sacrum, anything below it is dropped.
        var startsWithSacrum = false
        for index in chain.indices.reversed() {
            let above = chain[(index + 1)...].map { Double($0.voxels.count) }.sorted()
            if above.count >= 2, Double(chain[index].voxels.count) > options.sacrumVolumeRatio * above[above.count / 2] {
                chain.removeFirst(index)
                startsWithSacrum = true
                break
            }
        }
        if !startsWithSacrum, let sacrum = sacrumBelow(chain, among: raw, grid: grid, options: options) {
            chain.insert(sacrum, at: 0)
            startsWithSacrum = true
        }
        // A single short piece is not a spine (a femoral head or a pelvic fragment looks alike).
        if chain.count < 2 && best.max()! < options.maxBodyHeightMM { return nil }
        return BodyChain(pieces: chain, startsWithSacrum: startsWithSacrum, leaning: leaning)
    }

    /// The direction of the body column at piece `o` (unit, superior), through the centroids of whole
    /// bodies: its neighbours (itself included) when two of them are whole, else the two whole bodies
    /// nearest to it in the chain. `isWhole` says which pieces are not cut by the field of view — a cut
    /// body's centroid lies off its middle (on the thoracolumbar slab a 6 mm sliver of T11 above a
    /// cut T12 tilted the line by 15°) — and the sacrum's centroid lies in its fusion with the ilia.
    /// Without two whole bodies: LPS +z.
    func axis(at o: Int, isWhole: (Int) -> Bool) -> Vec3 {
        let whole = pieces.indices.filter { !($0 == 0 && startsWithSacrum) && isWhole($0) }
        let near = whole.filter { abs($0 - o) <= 1 }
        let pair = near.count >= 2 ? near : Array(whole.sorted { abs($0 - o) < abs($1 - o) }.prefix(2)).sorted()
        guard pair.count >= 2 else { return Vec3(0, 0, 1) }
        let d = pieces[pair.last!].centroid - pieces[pair.first!].centroid
        return d.z > 0 ? normalize(d) : Vec3(0, 0, 1)
    }

    static func piece(grid: ImageGrid, voxels: [Int]) -> BodyPiece {
        var sum = Vec3.zero, lo = Double.infinity, hi = -Double.infinity
        for v in voxels {
            let p = grid.physicalPoint(index: indexVector(v, grid.dims))
            sum += p; lo = min(lo, p.z); hi = max(hi, p.z)
        }
        return BodyPiece(voxels: voxels, centroid: sum / Double(voxels.count), zRange: lo...hi)
    }

    /// Splits a piece taller than the tallest plausible body at its narrowest axial slice (the disc
    /// that partial volume bridged), recursively; drops it when it has no such waist.
    static func split(_ p: BodyPiece, grid: ImageGrid, options: SpineOptions) -> [BodyPiece] {
        let height = p.zRange.upperBound - p.zRange.lowerBound
        guard height > options.maxBodyHeightMM else { return [p] }
        let n = grid.dims
        var area: [Int: Int] = [:]
        for v in p.voxels { area[v / (n.x * n.y), default: 0] += 1 }
        let slices = area.keys.sorted()
        guard slices.count >= 5 else { return [p] }
        let inner = slices[(slices.count / 5)...(slices.count * 4 / 5)]
        guard let cut = inner.min(by: { area[$0]! < area[$1]! }) else { return [p] }
        // Two bodies bridged across a disc narrow there; a tall piece without such a waist (a
        // calibration rod, a femoral shaft, a tube) is not a vertebral body at all.
        let areas = slices.map { area[$0]! }.sorted()
        guard Double(area[cut]!) <= 0.7 * Double(areas[areas.count / 2]) else { return [] }
        let below = p.voxels.filter { $0 / (n.x * n.y) < cut }, above = p.voxels.filter { $0 / (n.x * n.y) > cut }
        guard !below.isEmpty, !above.isEmpty else { return [p] }
        return split(piece(grid: grid, voxels: below), grid: grid, options: options)
            + split(piece(grid: grid, voxels: above), grid: grid, options: options)
    }

    /// The sacrum when the body chain did not end in it (a tilted sacrum is offset from L5, and the
    /// opening may fuse it with the ilia or cut it into tall waistless parts): an opened piece, as
    /// the opening left it, far larger than the bodies (`sacrumVolumeRatio` × their median), whose
    /// top lies just below the lowest body (at most `chainMaxGapMM` of disc between them) and whose
    /// top 15 mm lie under at least a quarter of that body's axial footprint.
    static func sacrumBelow(_ chain: [BodyPiece], among candidates: [BodyPiece], grid: ImageGrid, options: SpineOptions) -> BodyPiece? {
        guard chain.count >= 2, let lowest = chain.first else { return nil }
        let volumes = chain.map { Double($0.voxels.count) }.sorted()
        let median = volumes[volumes.count / 2]
        let n = grid.dims, slice = n.x * n.y
        let zOf = { (v: Int) in grid.physicalPoint(index: indexVector(v, n)).z }
        let footprint = Set(lowest.voxels.map { $0 % slice })
        var best: (piece: BodyPiece, overlap: Int)?
        for c in candidates where Double(c.voxels.count) > options.sacrumVolumeRatio * median {
            let gap = lowest.zRange.lowerBound - c.zRange.upperBound
            guard gap > -options.chainMaxGapMM / 2, gap <= options.chainMaxGapMM else { continue }
            let top = Set(c.voxels.lazy.filter { zOf($0) >= c.zRange.upperBound - 15 }.map { $0 % slice })
            let overlap = footprint.intersection(top).count
            if 4 * overlap >= footprint.count, overlap > best?.overlap ?? 0 { best = (c, overlap) }
        }
        return best?.piece
    }
}

@inline(__always) func indexVector(_ linear: Int, _ n: SIMD3<Int>) -> Vec3 {
    Vec3(Double(linear % n.x), Double((linear / n.x) % n.y), Double(linear / (n.x * n.y)))
}

extension BodyChain {
    /// Adds the partial vertebral bodies cut by the field of view beyond either end of the chain:
    /// walking outward along the axis, a disc (axial slices with little bone around the axis) followed
    /// by bone again means one more vertebra, too short for the opening to keep. Its bone within
    /// `radiusMM` of the axis becomes a new piece. `outsideScan(k)` tells whether working-grid slice
    /// `k` lies beyond the scan (the working grid may be a box inside it).
    mutating func addPartialEnds(filledBone: Mask, radiusMM: Double = 12, outsideScan: (Int) -> Bool) {
        let grid = filledBone.grid, n = grid.dims
        let upward = grid.direction.c2.z >= 0 ? 1 : -1   // k step toward the head
        let pixelArea = grid.spacing.x * grid.spacing.y
        let diskVoxels = Double.pi * radiusMM * radiusMM / pixelArea
        func slice(_ k: Int, around c: Vec3) -> [Int] {
            var out: [Int] = []
            let centre = grid.continuousIndex(physical: c)
            let ri = Int((radiusMM / grid.spacing.x).rounded(.up)), rj = Int((radiusMM / grid.spacing.y).rounded(.up))
            let ci = Int(centre.x.rounded()), cj = Int(centre.y.rounded())
            for j in max(0, cj - rj)...min(n.y - 1, cj + rj) { for i in max(0, ci - ri)...min(n.x - 1, ci + ri) {
                let d = (Vec3(Double(i), Double(j), centre.z) - centre) * grid.spacing
                if d.x * d.x + d.y * d.y <= radiusMM * radiusMM, filledBone[i, j, k] != 0 { out.append(grid.linearIndex(i, j, k)) }
            } }
            return out
        }
        // Nothing is added below the sacrum.
        for end in startsWithSacrum ? [pieces.count - 1] : [pieces.count - 1, 0] {
            let piece = pieces[end], step = end == 0 ? -upward : upward
            let ks = piece.voxels.map { $0 / (n.x * n.y) }
            var k = (step > 0 ? ks.max()! : ks.min()!) + step
            var sawDisc = false, collected: [Int] = []
            while k >= 0 && k < n.z {
                let voxels = slice(k, around: piece.centroid)
                let bodyLike = Double(voxels.count) >= 0.3 * diskVoxels
                if !sawDisc { if !bodyLike { sawDisc = true } } else if bodyLike { collected += voxels } else if !collected.isEmpty { break }
                k += step
            }
            // Only a piece that reaches the scan's edge is a cut vertebra; one ending in a disc inside
            // the scan would have been kept by the opening.
            guard !collected.isEmpty, outsideScan(k) else { continue }
            let extra = BodyChain.piece(grid: grid, voxels: collected)
            if end == 0 { pieces.insert(extra, at: 0) } else { pieces.append(extra) }
        }
    }
}
