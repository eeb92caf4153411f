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
        let na = n[a], nb = n[b]
        var out = mask
        let sliceGrid = ImageGrid(dims: SIMD3(na, nb, 1))
        var background = [UInt8](repeating: 0, count: na * nb)
        var linear = [Int](repeating: 0, count: na * nb)
        for s in 0..<n[normalAxis] {
            for v in 0..<nb { for u in 0..<na {
                let idx = s * stride[normalAxis] + u * stride[a] + v * stride[b]
                linear[u + na * v] = idx
                background[u + na * v] = mask.voxels[idx] == 0 ? 1 : 0
            } }
            let holes = Components(Mask(grid: sliceGrid, voxels: background), connectivity: .six)
            guard holes.count > 0 else { continue }
            var border = [Bool](repeating: false, count: holes.count + 1)
            for u in 0..<na { border[Int(holes.labels.voxels[u])] = true; border[Int(holes.labels.voxels[u + na * (nb - 1)])] = true }
            for v in 0..<nb { border[Int(holes.labels.voxels[na * v])] = true; border[Int(holes.labels.voxels[na - 1 + na * v])] = true }
            var members = [[Int]](repeating: [], count: holes.count + 1)
            for p in 0..<(na * nb) { let l = Int(holes.labels.voxels[p]); if l != 0 && !border[l] { members[l].append(linear[p]) } }
            for l in 1...holes.count where !border[l] && !members[l].isEmpty && accept(members[l]) {
                for idx in members[l] { out.voxels[idx] = 1 }
            }
        }
        return out
    }
}
