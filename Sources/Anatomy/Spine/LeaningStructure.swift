// A thick bright structure leaning on a vertebral body — a contrast-filled aorta is bone to the
// thresholds (≈ 200 HU) and as thick as a body — survives the body opening and joins the body's piece
// where the two touch. In most slices it is a separate part of the piece's section; followed through
// those slices it is detached, and only the largest part (the body) stays.
import OpenBCTCore

enum LeaningStructure {
    /// Splits `piece` into the body and what leans on it. A piece whose axial section falls into two or
    /// more parts of at least `leaningMinAreaMM2` in at least half of its slices is divided into tracks
    /// (parts of those slices linked through shared columns); voxels of the other slices and small
    /// fragments go to the track of their column in the nearest such slice (else the nearest part).
    /// The track with the most voxels is the body; the rest is returned as `leaning`.
    static func detach(_ piece: BodyPiece, grid: ImageGrid, options: SpineOptions) -> (body: BodyPiece, leaning: [Int]) {
        let n = grid.dims, slice = n.x * n.y
        var bySlice: [Int: [Int]] = [:]
        for v in piece.voxels { bySlice[v / slice, default: []].append(v) }
        let minVoxels = max(1, Int(options.leaningMinAreaMM2 / (grid.spacing.x * grid.spacing.y)))
        var parts: [Int: [[Int]]] = [:]
        for (k, voxels) in bySlice {
            let big = planarComponents(voxels, nx: n.x).filter { $0.count >= minVoxels }
            if big.count >= 2 { parts[k] = big }
        }
        guard 2 * parts.count >= bySlice.count, !parts.isEmpty else { return (piece, []) }
        // Number the parts; link parts of successive separated slices that share a column.
        let separated = parts.keys.sorted()
        var ids: [(k: Int, index: Int)] = []
        var firstID: [Int: Int] = [:]
        for k in separated { firstID[k] = ids.count; for i in parts[k]!.indices { ids.append((k, i)) } }
        var parent = Array(ids.indices)
        func root(_ a: Int) -> Int { var a = a; while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }; return a }
        for (previous, k) in zip(separated, separated.dropFirst()) {
            var owner: [Int: Int] = [:]
            for (i, part) in parts[previous]!.enumerated() { for v in part { owner[v % slice] = firstID[previous]! + i } }
            for (i, part) in parts[k]!.enumerated() {
                for v in part { if let o = owner[v % slice] { parent[root(firstID[k]! + i)] = root(o) } }
            }
        }
        // Every voxel to a track: its own part, else its column's (or the nearest) part in the nearest separated slice.
        var columnTrack: [Int: [Int: Int]] = [:]   // slice → column → track
        var centroids: [Int: [(x: Double, y: Double, track: Int)]] = [:]
        for k in separated {
            for (i, part) in parts[k]!.enumerated() {
                let track = root(firstID[k]! + i)
                var sx = 0.0, sy = 0.0
                for v in part { columnTrack[k, default: [:]][v % slice] = track; sx += Double(v % n.x); sy += Double((v / n.x) % n.y) }
                centroids[k, default: []].append((sx / Double(part.count), sy / Double(part.count), track))
            }
        }
        var tracks: [Int: [Int]] = [:]
        for v in piece.voxels {
            let k = v / slice, column = v % slice
            let nearest = separated.min { abs($0 - k) < abs($1 - k) }!
            let track = columnTrack[nearest]![column] ?? centroids[nearest]!.min { a, b in
                let (x, y) = (Double(v % n.x), Double((v / n.x) % n.y))
                return (a.x - x) * (a.x - x) + (a.y - y) * (a.y - y) < (b.x - x) * (b.x - x) + (b.y - y) * (b.y - y)
            }!.track
            tracks[track, default: []].append(v)
        }
        // Ties go to the lower track number, not to the dictionary's (run-dependent) order.
        guard tracks.count >= 2,
              let body = tracks.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) })?.key else { return (piece, []) }
        let leaning = tracks.filter { $0.key != body }.flatMap(\.value)
        return (BodyChain.piece(grid: grid, voxels: tracks[body]!), leaning)
    }

    /// The 8-connected components of one slice's voxels (linear indices sharing k), largest first:
    /// `ComponentRoots` on the voxels' in-plane bounding box (26-connectivity in one slice is 8).
    static func planarComponents(_ voxels: [Int], nx: Int) -> [[Int]] {
        guard !voxels.isEmpty else { return [] }
        // Rows as v / nx: the slice's k only offsets them, and the box subtracts it.
        var (i0, i1, j0, j1) = (Int.max, Int.min, Int.max, Int.min)
        for v in voxels { let i = v % nx, j = v / nx; i0 = min(i0, i); i1 = max(i1, i); j0 = min(j0, j); j1 = max(j1, j) }
        let w = i1 - i0 + 1, h = j1 - j0 + 1
        var mask = [UInt8](repeating: 0, count: w * h), roots = [Int32](repeating: 0, count: w * h)
        func local(_ v: Int) -> Int { (v % nx - i0) + w * (v / nx - j0) }
        for v in voxels { mask[local(v)] = 1 }
        mask.withUnsafeBufferPointer { m in
            roots.withUnsafeMutableBufferPointer { _ = ComponentRoots.label(m, dims: SIMD3(w, h, 1), connectivity: .twentySix, into: $0) }
        }
        var byRoot: [Int32: [Int]] = [:]
        for v in voxels { byRoot[roots[local(v)], default: []].append(v) }
        // Equal sizes by their first voxel: the dictionary's own order changes from run to run.
        return byRoot.values.sorted { ($0.count, $1[0]) > ($1.count, $0[0]) }
    }
}
