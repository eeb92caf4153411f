// Separable Gaussian smoothing with sigma in millimetres (per-axis kernels on anisotropic grids).
import OpenBCTCore
import Foundation

public enum GaussianSmoothing {
    /// Smooths `volume` with an isotropic Gaussian of standard deviation `sigma` mm (kernel cut at
    /// 3σ, edges replicated). An axis whose spacing exceeds 2σ is left alone: its kernel would be a
    /// single tap.
    public static func smooth(_ volume: Volume<Float>, sigma: Double) -> Volume<Float> {
        var data = volume.voxels
        let n = volume.grid.dims, sp = volume.grid.spacing
        let strides = [1, n.x, n.x * n.y], lengths = [n.x, n.y, n.z]
        for axis in 0..<3 {
            let s = sigma / sp[axis]
            guard s >= 0.5, lengths[axis] > 1 else { continue }
            let radius = Int((3 * s).rounded(.up))
            let raw = (-radius...radius).map { Float(exp(-0.5 * Double($0 * $0) / (s * s))) }
            let total = raw.reduce(0, +)
            let kernel = raw.map { $0 / total }
            let len = lengths[axis], stride = strides[axis]
            let lines = volume.grid.count / len
            data.withUnsafeMutableBufferPointer { buf in
                let p = SendablePointer(buf.baseAddress!)
                parallelChunks(lines, minimumChunk: 256) { range in
                    var line = [Float](repeating: 0, count: len)
                    for l in range {
                        // Line l's start: for axis 0 rows, else decompose around the axis.
                        let start: Int
                        switch axis {
                        case 0: start = l * n.x
                        case 1: start = (l % n.x) + (l / n.x) * n.x * n.y
                        default: start = l
                        }
                        for t in 0..<len { line[t] = p[start + t * stride] }
                        for t in 0..<len {
                            var acc: Float = 0
                            for (m, w) in kernel.enumerated() {
                                let u = min(max(t + m - radius, 0), len - 1)
                                acc += w * line[u]
                            }
                            p[start + t * stride] = acc
                        }
                    }
                }
            }
        }
        return Volume(grid: volume.grid, voxels: data)
    }
}
