// Exact Euclidean distance transform on anisotropic grids (Felzenszwalb & Huttenlocher 2012, the
// separable lower-envelope-of-parabolas algorithm; Saito & Toriwaki's decomposition into 1-D passes).
import OpenBCTCore

public enum DistanceTransform {
    /// Squared Euclidean distance (mm²) from every voxel centre to the nearest set voxel of `features`.
    /// Voxels with no feature anywhere in the grid get `Float.infinity`. Exact, O(N), both cores.
    public static func squaredDistance(to features: Mask) -> [Float] {
        let n = features.grid.dims, sp = features.grid.spacing
        let big: Float = .infinity
        var d = features.voxels.map { $0 != 0 ? Float(0) : big }
        d.withUnsafeMutableBufferPointer { buf in
            let p = SendablePointer(buf.baseAddress!)
            // Pass along x (lines indexed by j,k), then y (i,k), then z (i,j).
            pass(p, lines: n.y * n.z, length: n.x, spacing: sp.x) { line, t in line * n.x + t }
            pass(p, lines: n.x * n.z, length: n.y, spacing: sp.y) { line, t in
                let i = line % n.x, k = line / n.x
                return i + n.x * (t + n.y * k)
            }
            pass(p, lines: n.x * n.y, length: n.z, spacing: sp.z) { line, t in line + n.x * n.y * t }
        }
        return d
    }

    /// Euclidean distance (mm) from every set voxel of `mask` to the nearest unset voxel (0 outside
    /// the mask) — the "depth" of each voxel inside its object.
    public static func depth(inside mask: Mask) -> [Float] {
        squaredDistance(to: mask.inverted).map { $0.squareRoot() }
    }

    private static func pass(_ d: SendablePointer<Float>, lines: Int, length: Int, spacing: Double,
                             index: @escaping @Sendable (Int, Int) -> Int) {
        guard length > 1 else { return }
        parallelChunks(lines, minimumChunk: 64) { range in
            var f = [Double](repeating: 0, count: length)
            var out = [Double](repeating: 0, count: length)
            var v = [Int](repeating: 0, count: length)
            var z = [Double](repeating: 0, count: length + 1)
            for line in range {
                var anyFinite = false
                for t in 0..<length {
                    let x = Double(d[index(line, t)])
                    f[t] = x; if x.isFinite { anyFinite = true }
                }
                guard anyFinite else { continue }
                lowerEnvelope(f: f, spacing: spacing, v: &v, z: &z, out: &out)
                for t in 0..<length { d[index(line, t)] = Float(out[t]) }
            }
        }
    }

    /// 1-D squared distance transform of sampled function `f` at positions `t·spacing`.
    @inline(__always)
    private static func lowerEnvelope(f: [Double], spacing s: Double, v: inout [Int], z: inout [Double],
                                      out: inout [Double]) {
        let n = f.count
        var k = -1
        @inline(__always) func intersection(_ q: Int, _ p: Int) -> Double {
            let qs = Double(q) * s, ps = Double(p) * s
            return ((f[q] + qs * qs) - (f[p] + ps * ps)) / (2 * (qs - ps))
        }
        // Parabolas of infinite height never enter the envelope.
        for q in 0..<n where f[q].isFinite {
            if k < 0 { k = 0; v[0] = q; z[0] = -.infinity; z[1] = .infinity; continue }
            var x = intersection(q, v[k])
            while x <= z[k] { k -= 1; x = intersection(q, v[k]) }   // z[0] = −∞ stops it
            k += 1; v[k] = q; z[k] = x; z[k + 1] = .infinity
        }
        var j = 0
        for q in 0..<n {
            let qs = Double(q) * s
            while z[j + 1] < qs { j += 1 }
            let ps = Double(v[j]) * s
            out[q] = (qs - ps) * (qs - ps) + f[v[j]]
        }
    }
}
