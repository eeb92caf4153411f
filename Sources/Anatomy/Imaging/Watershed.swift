// Marker-controlled watershed by priority flooding (Meyer's algorithm) with a bucket queue.
import OpenBCTCore

public enum Watershed {
    /// Grows the labelled `markers` (0 = unlabelled) over the voxels of `domain`, highest `relief`
    /// first: each voxel takes the label of the region that reaches it along the path whose lowest
    /// relief value is highest, so regions meet in the valleys (discs, joint spaces). Equal relief is
    /// flooded first-in first-out, so a flat relief gives the geodesic Voronoi partition.
    ///
    /// - Parameters:
    ///   - relief: per-voxel height, quantised to integers in `levels` (values outside are clamped).
    ///   - markers: seed labels; their voxels keep their label.
    ///   - domain: voxels that may be labelled (markers outside it still seed).
    ///   - connectivity: neighbourhood of the flood.
    public static func flood(relief: [Float], levels: ClosedRange<Int>, markers: Volume<Int32>, domain: Mask,
                             connectivity: Connectivity = .six) -> Volume<Int32> {
        let grid = markers.grid, n = grid.dims
        precondition(relief.count == grid.count && domain.grid.dims == n)
        var out = markers.voxels
        let offsets: [SIMD3<Int>] = neighbourOffsets(connectivity)
        let bucketCount = levels.upperBound - levels.lowerBound + 1
        var buckets = [[Int32]](repeating: [], count: bucketCount)
        var heads = [Int](repeating: 0, count: bucketCount)
        @inline(__always) func bucket(_ idx: Int) -> Int {
            let v = relief[idx]
            let q = v.isFinite ? Int(v.rounded()) : levels.lowerBound
            return min(max(q, levels.lowerBound), levels.upperBound) - levels.lowerBound
        }
        var queued = [Bool](repeating: false, count: grid.count)
        var proposed = [Int32](repeating: 0, count: grid.count)   // label of the front that queued a voxel
        // Seeds: unlabelled domain neighbours of every marker voxel.
        var top = -1
        func pushNeighbours(of idx: Int, cap: Int) {
            let i = idx % n.x, j = (idx / n.x) % n.y, k = idx / (n.x * n.y)
            for o in offsets {
                let ii = i + o.x, jj = j + o.y, kk = k + o.z
                guard ii >= 0, jj >= 0, kk >= 0, ii < n.x, jj < n.y, kk < n.z else { continue }
                let q = ii + n.x * (jj + n.y * kk)
                guard !queued[q], out[q] == 0, domain.voxels[q] != 0 else { continue }
                queued[q] = true
                proposed[q] = out[idx]
                let b = min(bucket(q), cap)   // never flood "uphill" back above the current level
                buckets[b].append(Int32(q))
                top = max(top, b)
            }
        }
        for idx in 0..<grid.count where out[idx] != 0 { pushNeighbours(of: idx, cap: bucketCount - 1) }
        while top >= 0 {
            if heads[top] == buckets[top].count {
                buckets[top].removeAll(keepingCapacity: false); heads[top] = 0; top -= 1; continue
            }
            let q = Int(buckets[top][heads[top]]); heads[top] += 1
            out[q] = proposed[q]
            pushNeighbours(of: q, cap: top)
        }
        return Volume(grid: grid, voxels: out)
    }

    static func neighbourOffsets(_ c: Connectivity) -> [SIMD3<Int>] {
        var o: [SIMD3<Int>] = []
        for dk in -1...1 { for dj in -1...1 { for di in -1...1 {
            let m = abs(di) + abs(dj) + abs(dk)
            if m == 0 || (c == .six && m != 1) { continue }
            o.append(SIMD3(di, dj, dk))
        } } }
        return o
    }
}
