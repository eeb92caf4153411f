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
        var lab = [Int32](repeating: 0, count: mask.voxels.count)
        let tableSize = mask.voxels.withUnsafeBufferPointer { m in
            lab.withUnsafeMutableBufferPointer { ComponentRoots.label(m, dims: mask.grid.dims, connectivity: connectivity, into: $0) }
        }
        // Count, and renumber by decreasing size (ties: first in scan order).
        var rootSize = [Int](repeating: 0, count: tableSize)
        for l in lab where l != 0 { rootSize[Int(l)] += 1 }
        let roots = (1..<tableSize).filter { rootSize[$0] > 0 }.sorted { rootSize[$0] > rootSize[$1] || (rootSize[$0] == rootSize[$1] && $0 < $1) }
        var newLabel = [Int32](repeating: 0, count: tableSize)
        for (c, r) in roots.enumerated() { newLabel[r] = Int32(c + 1) }
        lab.withUnsafeMutableBufferPointer { l in
            newLabel.withUnsafeBufferPointer { map in for i in l.indices where l[i] != 0 { l[i] = map[Int(l[i])] } }
        }
        labels = Volume(grid: mask.grid, voxels: lab)
        sizes = roots.map { rootSize[$0] }
    }

    /// The mask of one component (1-based label).
    public func mask(of label: Int32) -> Mask { labels.map { $0 == label ? 1 : 0 } }
}

/// The union-find engine behind `Components` and the per-slice hole filling, on raw buffers so it
/// can run on reused storage without per-call volumes.
enum ComponentRoots {
    /// Gives every foreground voxel of `mask` (dims `n`, i fastest) its component's root label: the
    /// component's first provisional label in scan order (roots are not consecutive). Returns the
    /// size of the root table (labels lie in 1..<size).
    static func label(_ mask: UnsafeBufferPointer<UInt8>, dims n: SIMD3<Int>, connectivity: Connectivity,
                      into lab: UnsafeMutableBufferPointer<Int32>) -> Int {
        // Backward neighbours (already visited in scan order): (di, dj, dk, linear offset).
        var offsets: [SIMD4<Int>] = []
        for dk in -1...0 { for dj in -1...1 { for di in -1...1 {
            if dk == 0 && (dj > 0 || (dj == 0 && di >= 0)) { continue }
            if connectivity == .six && abs(di) + abs(dj) + abs(dk) != 1 { continue }
            offsets.append(SIMD4(di, dj, dk, di + n.x * (dj + n.y * dk)))
        } } }
        var capacity = 1024, used = 1   // parent[0] unused
        var parent = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer { parent.deallocate() }
        parent[0] = 0
        offsets.withUnsafeBufferPointer { offs in
            for k in 0..<n.z { for j in 0..<n.y {
                let row = n.x * (j + n.y * k)
                for i in 0..<n.x {
                    let idx = row + i
                    guard mask[idx] != 0 else { lab[idx] = 0; continue }
                    var current: Int32 = 0
                    for o in offs {
                        let ii = i + o.x, jj = j + o.y
                        guard ii >= 0, jj >= 0, ii < n.x, jj < n.y, k + o.z >= 0 else { continue }
                        let l = lab[idx + o.w]
                        guard l != 0 else { continue }
                        if current == 0 { current = find(l, parent) } else {
                            let a = find(l, parent)
                            if a != current { parent[Int(max(a, current))] = min(a, current); current = min(a, current) }
                        }
                    }
                    if current == 0 {
                        if used == capacity {
                            let grown = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * capacity)
                            grown.update(from: parent, count: used)
                            parent.deallocate(); parent = grown; capacity *= 2
                        }
                        current = Int32(used); parent[used] = current; used += 1
                    }
                    lab[idx] = current
                }
            } }
        }
        for i in lab.indices where lab[i] != 0 { lab[i] = find(lab[i], parent) }
        return used
    }

    /// The root of `x`, compressing the path to it.
    @inline(__always) static func find(_ x: Int32, _ parent: UnsafeMutablePointer<Int32>) -> Int32 {
        var r = x
        while parent[Int(r)] != r { r = parent[Int(r)] }
        var y = x
        while parent[Int(y)] != r { let next = parent[Int(y)]; parent[Int(y)] = r; y = next }
        return r
    }
}
