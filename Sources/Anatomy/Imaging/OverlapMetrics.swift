// Agreement between two masks: Dice and the symmetric mean surface distance.
import OpenBCTCore

public enum OverlapMetrics {
    /// Dice coefficient 2|A∩B| / (|A|+|B|) (1 when both are empty).
    public static func dice(_ a: Mask, _ b: Mask) -> Double {
        precondition(a.grid.dims == b.grid.dims)
        var both = 0, na = 0, nb = 0
        for i in a.voxels.indices {
            let x = a.voxels[i] != 0, y = b.voxels[i] != 0
            if x { na += 1 }; if y { nb += 1 }; if x && y { both += 1 }
        }
        return na + nb == 0 ? 1 : 2 * Double(both) / Double(na + nb)
    }

    /// Symmetric mean surface distance (mm): the mean, over the surface voxels of both masks, of the
    /// distance to the other mask's surface. Surface voxels are set voxels with an unset 6-neighbour.
    /// Infinity when one mask is empty.
    public static func meanSurfaceDistance(_ a: Mask, _ b: Mask) -> Double {
        let sa = surface(a), sb = surface(b)
        guard sa.setCount > 0, sb.setCount > 0 else { return .infinity }
        let da = DistanceTransform.squaredDistance(to: sa), db = DistanceTransform.squaredDistance(to: sb)
        var total = 0.0, count = 0
        for i in sa.voxels.indices {
            if sa.voxels[i] != 0 { total += Double(db[i]).squareRoot(); count += 1 }
            if sb.voxels[i] != 0 { total += Double(da[i]).squareRoot(); count += 1 }
        }
        return total / Double(count)
    }

    /// Set voxels with at least one unset (or out-of-grid) face neighbour.
    public static func surface(_ m: Mask) -> Mask {
        let n = m.grid.dims
        var out = Mask.empty(on: m.grid)
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
            let idx = i + n.x * (j + n.y * k)
            guard m.voxels[idx] != 0 else { continue }
            var edge = false
            for (di, dj, dk) in [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)] {
                let ii = i + di, jj = j + dj, kk = k + dk
                if !m.grid.contains(ii, jj, kk) || m.voxels[ii + n.x * (jj + n.y * kk)] == 0 { edge = true; break }
            }
            if edge { out.voxels[idx] = 1 }
        } } }
        return out
    }
}
