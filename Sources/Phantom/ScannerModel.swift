// What the scanner adds to the ideal image: blur by the point-spread function (Gaussian in-plane,
// slice-profile broadening in z), spatially correlated noise, and the scanner's 12-bit HU range.
import Dispatch
import Foundation
import OpenBCTCore

enum ScannerModel {
    /// A normalised sampled Gaussian of `sigma` samples, nil when negligible (σ ≤ 0.2).
    static func gaussianKernel(sigma: Double) -> [Float]? {
        sigma > 0.2 ? SeparableConvolution.gaussianKernel(sigma: sigma) : nil
    }

    /// Blurs in-plane with `sigmaXY` and along z with `sigmaZ` (both in voxels).
    static func blur(_ v: inout Volume<Float>, sigmaXY: Double, sigmaZ: Double) {
        let kxy = gaussianKernel(sigma: sigmaXY)
        SeparableConvolution.convolve(&v, x: kxy, y: kxy, z: v.dims.z > 1 ? gaussianKernel(sigma: sigmaZ) : nil)
    }

    /// Adds correlated noise of standard deviation `sigmaHU`: white Gaussian noise filtered per slice by
    /// a difference of Gaussians (σ 0.7 and 2 pixels), which gives the mid-frequency-peaked noise power
    /// spectrum of filtered back-projection. Deterministic for the seed (one stream per slice).
    static func addNoise(_ v: inout Volume<Float>, sigmaHU: Double, seed: UInt64) {
        guard sigmaHU > 0 else { return }
        let n = v.dims, plane = n.x * n.y
        let ka = gaussianKernel(sigma: 0.7)!, kb = gaussianKernel(sigma: 2.0)!
        let mix: Float = 0.6
        // Standard deviation of the filter applied to unit white noise: sqrt(Σ K²), K = ga⊗ga − mix·gb⊗gb.
        var sumSq = 0.0
        let ra = ka.count / 2, rb = kb.count / 2
        for y in -rb...rb { for x in -rb...rb {
            var kv = -Double(mix) * Double(kb[x + rb]) * Double(kb[y + rb])
            if abs(x) <= ra && abs(y) <= ra { kv += Double(ka[x + ra]) * Double(ka[y + ra]) }
            sumSq += kv * kv
        } }
        let gain = Float(sigmaHU / sumSq.squareRoot())
        v.voxels.withUnsafeMutableBufferPointer { buf in
            let p = SendablePointer(buf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: n.z) { k in
                let fine = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let wide = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let work = UnsafeMutablePointer<Float>.allocate(capacity: max(plane, 2 * n.x + kb.count))
                defer { fine.deallocate(); wide.deallocate(); work.deallocate() }
                var rng = RandomStream(seed: seed, stream: UInt64(k))
                for t in 0..<plane { fine[t] = rng.normal() }
                wide.update(from: fine, count: plane)
                for (data, kernel) in [(fine, ka), (wide, kb)] {
                    SeparableConvolution.convolveRows(data, nx: n.x, ny: n.y, kernel: kernel, work: work)
                    SeparableConvolution.convolveAcross(data, lines: n.y, width: n.x, stride: n.x, kernel: kernel, copy: work)
                }
                let slice = p.base + k * plane, g = gain, gm = gain * mix
                for t in 0..<plane { slice[t] += g * fine[t] - gm * wide[t] }
            }
        }
    }

    /// Rounds to integer HU and clips to the 12-bit range −1024…3071 of a standard CT reconstruction.
    static func quantize(_ v: Volume<Float>) -> Volume<Int16> {
        var out = [Int16](repeating: 0, count: v.grid.count)
        let n = v.dims, plane = n.x * n.y
        v.voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = SendableConstPointer(src.baseAddress!), d = SendablePointer(dst.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: n.z) { k in
                    for t in (k * plane) ..< ((k + 1) * plane) {
                        d[t] = Int16(min(Float(3071), max(Float(-1024), s[t])).rounded())
                    }
                }
            }
        }
        return Volume(grid: v.grid, voxels: out)
    }
}
