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

    /// Fills holes slice by slice in the axial (k) planes, keeping a hole only when `accept` says so.
    /// `accept` receives the hole's voxel linear indices; the spine uses it to fill marrow but not the
    /// spinal canal (a ring of bone around CSF, which is darker than marrow).
    public static func fillAxialSlices(_ mask: Mask, accept: ([Int]) -> Bool) -> Mask {
        let n = mask.grid.dims
        var out = mask
        let sliceGrid = ImageGrid(dims: SIMD3(n.x, n.y, 1))
        for k in 0..<n.z {
            let base = n.x * n.y * k
            let slice = Mask(grid: sliceGrid, voxels: Array(mask.voxels[base ..< base + n.x * n.y]).map { $0 == 0 ? 1 : 0 })
            let holes = Components(slice, connectivity: .six)
            guard holes.count > 0 else { continue }
            var border = [Bool](repeating: false, count: holes.count + 1)
            for i in 0..<n.x { border[Int(holes.labels.voxels[i])] = true; border[Int(holes.labels.voxels[i + n.x * (n.y - 1)])] = true }
            for j in 0..<n.y { border[Int(holes.labels.voxels[n.x * j])] = true; border[Int(holes.labels.voxels[n.x - 1 + n.x * j])] = true }
            var members = [[Int]](repeating: [], count: holes.count + 1)
            for p in 0..<(n.x * n.y) { let l = Int(holes.labels.voxels[p]); if l != 0 && !border[l] { members[l].append(base + p) } }
            for l in 1...holes.count where !border[l] && !members[l].isEmpty && accept(members[l]) {
                for idx in members[l] { out.voxels[idx] = 1 }
            }
        }
        return out
    }
}
