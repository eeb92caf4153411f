// Exact Euclidean distance transform on anisotropic grids (Felzenszwalb & Huttenlocher 2012, the
// separable lower-envelope-of-parabolas algorithm; Saito & Toriwaki's decomposition into 1-D passes).
import OpenBCTCore

public enum DistanceTransform {
    /// Squared Euclidean distance (mm²) from every voxel centre to the nearest set voxel of `features`.
    /// Voxels with no feature anywhere in the grid get `Float.infinity`. Exact, O(N), both cores.
    public static func squaredDistance(to features: Mask) -> [Float] {
        let n = features.grid.dims, sp = features.grid.spacing
        var d = [Float](repeating: 0, count: features.voxels.count)
        features.voxels.withUnsafeBufferPointer { src in
            d.withUnsafeMutableBufferPointer { buf in
                let m = SendableConstPointer(src.baseAddress!), p = SendablePointer(buf.baseAddress!)
                // Along x the input is binary: each voxel's nearest feature of its row, no envelope needed.
                rows(m, p, count: n.y * n.z, length: n.x, spacing: sp.x)
                // Then y (lines indexed by i, k) and z (i, j) on the previous pass's squared distances.
                pass(p, lines: n.x * n.z, length: n.y, stride: n.x, spacing: sp.y) { line in line % n.x + n.x * n.y * (line / n.x) }
                pass(p, lines: n.x * n.y, length: n.z, stride: n.x * n.y, spacing: sp.z) { line in line }
            }
        }
        return d
    }

    /// Euclidean distance (mm) from every set voxel of `mask` to the nearest unset voxel (0 outside
    /// the mask) — the "depth" of each voxel inside its object.
    public static func depth(inside mask: Mask) -> [Float] {
        squaredDistance(to: mask.inverted).map { $0.squareRoot() }
    }

    /// The first pass: per row of `length` voxels, the squared distance (mm²) to the nearest feature voxel of the
    /// row (∞ when it has none) — what the lower envelope gives for heights 0 and ∞, by one sweep each way.
    private static func rows(_ m: SendableConstPointer<UInt8>, _ d: SendablePointer<Float>, count: Int, length: Int, spacing s: Double) {
        parallelChunks(count, minimumChunk: 64) { range in
            for row in range {
                let src = m.base + row * length, out = d.base + row * length
                // Forward: the nearest feature at or before t; backward: keep the nearer of it and the one after.
                var last = -1
                for t in 0..<length {
                    if src[t] != 0 { last = t }
                    out[t] = last < 0 ? .infinity : squared(t, last, s)
                }
                var next = -1
                for t in stride(from: length - 1, through: 0, by: -1) {
                    if src[t] != 0 { next = t }
                    if next >= 0 { out[t] = min(out[t], squared(t, next, s)) }
                }
            }
        }
    }

    /// ((q − p)·s)² as the envelope computes it (positions scaled first), so both passes round alike.
    @inline(__always)
    private static func squared(_ q: Int, _ p: Int, _ s: Double) -> Float {
        let qs = Double(q) * s, ps = Double(p) * s
        return Float((qs - ps) * (qs - ps))
    }

    /// A pass along lines of `length` voxels `stride` apart, line `l` starting at voxel `start(l)`.
    private static func pass(_ d: SendablePointer<Float>, lines: Int, length: Int, stride: Int, spacing: Double,
                             start: @escaping @Sendable (Int) -> Int) {
        guard length > 1 else { return }
        parallelChunks(lines, minimumChunk: 64) { range in
            var f = [Double](repeating: 0, count: length)
            var out = [Double](repeating: 0, count: length)
            var v = [Int](repeating: 0, count: length)
            var z = [Double](repeating: 0, count: length + 1)
            for line in range {
                let first = d.base + start(line)
                var anyFinite = false
                for t in 0..<length {
                    let x = Double(first[t * stride])
                    f[t] = x; if x.isFinite { anyFinite = true }
                }
                guard anyFinite else { continue }
                lowerEnvelope(f: f, spacing: spacing, v: &v, z: &z, out: &out)
                for t in 0..<length { first[t * stride] = Float(out[t]) }
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
