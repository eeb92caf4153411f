// What the scanner adds to the ideal image: blur by the point-spread function (Gaussian in-plane,
// slice-profile broadening in z), metal streaks, and spatially correlated noise.
import Dispatch
import Foundation
import OpenBCTCore

enum ScannerModel {
    /// A normalised sampled Gaussian of standard deviation `sigma` (in samples), nil when negligible.
    static func gaussianKernel(sigma: Double) -> [Float]? {
        guard sigma > 0.2 else { return nil }
        let r = Int((3 * sigma).rounded(.up))
        let w = (-r...r).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let s = w.reduce(0, +)
        return w.map { Float($0 / s) }
    }

    /// Convolves `count` lines of `length` samples (first sample of line l at `start(l)`, step
    /// `stride`) with `kernel`, replicating the edge samples.
    static func convolveLines(_ data: UnsafeMutablePointer<Float>, count: Int, length: Int, stride: Int,
                              start: (Int) -> Int, kernel: [Float], scratch: UnsafeMutablePointer<Float>) {
        let r = kernel.count / 2
        for l in 0..<count {
            let s = start(l)
            for t in 0..<length { scratch[t] = data[s + t * stride] }
            kernel.withUnsafeBufferPointer { kp in
                for t in 0..<length {
                    var acc: Float = 0
                    if t >= r && t + r < length {
                        for q in 0..<kp.count { acc += kp[q] * scratch[t - r + q] }
                    } else {
                        for q in 0..<kp.count { acc += kp[q] * scratch[min(max(t - r + q, 0), length - 1)] }
                    }
                    data[s + t * stride] = acc
                }
            }
        }
    }

    /// Blurs in-plane with `sigmaXY` and along z with `sigmaZ` (both in voxels).
    static func blur(_ v: inout Volume<Float>, sigmaXY: Double, sigmaZ: Double) {
        let n = v.dims
        let kxy = gaussianKernel(sigma: sigmaXY), kz = gaussianKernel(sigma: sigmaZ)
        v.voxels.withUnsafeMutableBufferPointer { buf in
            let p = SendablePointer(buf.baseAddress!)
            if let kxy {
                DispatchQueue.concurrentPerform(iterations: n.z) { k in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(n.x, n.y))
                    defer { scratch.deallocate() }
                    let slice = k * n.x * n.y
                    convolveLines(p.base, count: n.y, length: n.x, stride: 1, start: { slice + $0 * n.x }, kernel: kxy, scratch: scratch)
                    convolveLines(p.base, count: n.x, length: n.y, stride: n.x, start: { slice + $0 }, kernel: kxy, scratch: scratch)
                }
            }
            if let kz, n.z > 1 {
                DispatchQueue.concurrentPerform(iterations: n.y) { j in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: n.z)
                    defer { scratch.deallocate() }
                    convolveLines(p.base, count: n.x, length: n.z, stride: n.x * n.y, start: { j * n.x + $0 }, kernel: kz, scratch: scratch)
                }
            }
        }
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
                let white = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let wide = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(n.x, n.y))
                defer { white.deallocate(); wide.deallocate(); scratch.deallocate() }
                var rng = RandomStream(seed: seed, stream: UInt64(k))
                for t in 0..<plane { white[t] = rng.normal() }
                wide.update(from: white, count: plane)
                for (data, kernel) in [(white, ka), (wide, kb)] {
                    convolveLines(data, count: n.y, length: n.x, stride: 1, start: { $0 * n.x }, kernel: kernel, scratch: scratch)
                    convolveLines(data, count: n.x, length: n.y, stride: n.x, start: { $0 }, kernel: kernel, scratch: scratch)
                }
                let slice = p.base + k * plane
                for t in 0..<plane { slice[t] += gain * (white[t] - mix * wide[t]) }
            }
        }
    }
}
