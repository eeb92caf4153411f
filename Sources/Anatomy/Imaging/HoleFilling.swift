// Hole filling: background regions that do not reach the grid border are inside the object.
import OpenBCTCore

public enum HoleFilling {
    /// Fills every enclosed cavity of the mask in 3-D (background 6-connected to no border voxel).
    public static func fill3D(_ mask: Mask) -> Mask {
        let background = Components(mask.inverted, connectivity: .six)
        let n = mask.grid.dims
        var touchesBorder = [Bool](repeating: false, count: background.count + 1)
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x
            where i == 0 || j == 0 || k == 0 || i == n.x - 1 || j == n.y - 1 || k == n.z - 1 {
            touchesBorder[Int(background.labels[i, j, k])] = true
        } } }
        var out = mask
        for i in 0..<out.voxels.count where out.voxels[i] == 0 && !touchesBorder[Int(background.labels.voxels[i])] {
            out.voxels[i] = 1
        }
        return out
    }

    /// Fills holes slice by slice in the planes normal to image axis `normalAxis` (0 = i, 1 = j,
    /// 2 = k: axial slices), keeping a hole only when `accept` says so. `accept` receives the hole's
    /// voxel linear indices; the spine uses it to fill marrow but not the spinal canal (a ring of bone
    /// around CSF, which is darker than marrow).
    public static func fillSlices(_ mask: Mask, normalAxis: Int = 2, accept: ([Int]) -> Bool = { _ in true }) -> Mask {
        let n = mask.grid.dims
        // In-plane axes (a fastest) and the linear stride of each axis.
        let (a, b) = normalAxis == 0 ? (1, 2) : normalAxis == 1 ? (0, 2) : (0, 1)
        let stride = SIMD3(1, n.x, n.x * n.y)
        let na = n[a], nb = n[b], plane = na * nb
        var out = mask
        // One slice's background, its component roots and their linear indices, reused slice after slice.
        var background = [UInt8](repeating: 0, count: plane)
        var linear = [Int](repeating: 0, count: plane)
        var roots = [Int32](repeating: 0, count: plane)
        var inner: [Int] = []
        for s in 0..<n[normalAxis] {
            var foreground = 0
            mask.voxels.withUnsafeBufferPointer { m in
                for v in 0..<nb { for u in 0..<na {
                    let idx = s * stride[normalAxis] + u * stride[a] + v * stride[b]
                    linear[u + na * v] = idx
                    background[u + na * v] = m[idx] == 0 ? 1 : 0
                    foreground += Int(m[idx] != 0 ? 1 : 0)
                } }
            }
            guard foreground > 0 else { continue }
            let tableSize = background.withUnsafeBufferPointer { bg in
                roots.withUnsafeMutableBufferPointer { ComponentRoots.label(bg, dims: SIMD3(na, nb, 1), connectivity: .six, into: $0) }
            }
            // Background components that touch the slice's edge are outside; the others are holes.
            var border = [Bool](repeating: false, count: tableSize)
            for u in 0..<na { border[Int(roots[u])] = true; border[Int(roots[u + na * (nb - 1)])] = true }
            for v in 0..<nb { border[Int(roots[na * v])] = true; border[Int(roots[na - 1 + na * v])] = true }
            inner.removeAll(keepingCapacity: true)
            for p in 0..<plane where roots[p] != 0 && !border[Int(roots[p])] { inner.append(p) }
            guard !inner.isEmpty else { continue }
            // Group the hole voxels by root, each hole in scan order (a counting sort).
            var first = [Int](repeating: 0, count: tableSize + 1)
            for p in inner { first[Int(roots[p]) + 1] += 1 }
            for r in 0..<tableSize { first[r + 1] += first[r] }
            var grouped = [Int](repeating: 0, count: inner.count), next = first
            for p in inner { let r = Int(roots[p]); grouped[next[r]] = linear[p]; next[r] += 1 }
            for r in 1..<tableSize where first[r + 1] > first[r] {
                let hole = Array(grouped[first[r]..<first[r + 1]])
                if accept(hole) { for idx in hole { out.voxels[idx] = 1 } }
            }
        }
        return out
    }
}
