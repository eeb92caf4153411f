// Connected-component labelling (6- or 26-connectivity) by a two-pass union-find scan.
import OpenBCTCore

/// Which neighbours touch: faces only (6) or faces, edges and corners (26).
public enum Connectivity: Sendable { case six, twentySix }

/// The labelled components of a mask: labels 1…count, sorted by decreasing size.
public struct Components: Sendable {
    /// Per-voxel component label (0 = background).
    public var labels: Volume<Int32>
    /// Voxel count of component `c` at index `c − 1`.
    public var sizes: [Int]
    public var count: Int { sizes.count }

    /// Labels `mask` into components.
    public init(_ mask: Mask, connectivity: Connectivity = .twentySix) {
        let n = mask.grid.dims
        var parent: [Int32] = [0]  // union-find forest over provisional labels; 0 unused
        @inline(__always) func find(_ x: Int32) -> Int32 {
            var r = x
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var y = x
            while parent[Int(y)] != r { let next = parent[Int(y)]; parent[Int(y)] = r; y = next }
            return r
        }
        // Backward neighbours (already visited in scan order).
        var offsets: [SIMD3<Int>] = []
        for dk in -1...0 { for dj in -1...1 { for di in -1...1 {
            let o = SIMD3(di, dj, dk)
            if dk == 0 && (dj > 0 || (dj == 0 && di >= 0)) { continue }
            let manhattan = abs(di) + abs(dj) + abs(dk)
            if connectivity == .six && manhattan != 1 { continue }
            offsets.append(o)
        } } }
        var lab = [Int32](repeating: 0, count: mask.voxels.count)
        mask.voxels.withUnsafeBufferPointer { m in
            for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
                let idx = i + n.x * (j + n.y * k)
                guard m[idx] != 0 else { continue }
                var current: Int32 = 0
                for o in offsets {
                    let ii = i + o.x, jj = j + o.y, kk = k + o.z
                    guard ii >= 0, jj >= 0, kk >= 0, ii < n.x, jj < n.y else { continue }
                    let l = lab[ii + n.x * (jj + n.y * kk)]
                    guard l != 0 else { continue }
                    if current == 0 { current = find(l) } else {
                        let a = find(l), b = find(current)
                        if a != b { parent[Int(max(a, b))] = min(a, b); current = min(a, b) }
                    }
                }
                if current == 0 { current = Int32(parent.count); parent.append(current) }
                lab[idx] = current
            } } }
        }
        // Resolve roots, count, and renumber by decreasing size.
        var rootSize = [Int](repeating: 0, count: parent.count)
        for i in 0..<lab.count where lab[i] != 0 { let r = find(lab[i]); lab[i] = r; rootSize[Int(r)] += 1 }
        let roots = (1..<parent.count).filter { rootSize[$0] > 0 }.sorted { rootSize[$0] > rootSize[$1] || (rootSize[$0] == rootSize[$1] && $0 < $1) }
        var newLabel = [Int32](repeating: 0, count: parent.count)
        for (c, r) in roots.enumerated() { newLabel[r] = Int32(c + 1) }
        for i in 0..<lab.count where lab[i] != 0 { lab[i] = newLabel[Int(lab[i])] }
        labels = Volume(grid: mask.grid, voxels: lab)
        sizes = roots.map { rootSize[$0] }
    }

    /// The mask of one component (1-based label).
    public func mask(of label: Int32) -> Mask { labels.map { $0 == label ? 1 : 0 } }
}
