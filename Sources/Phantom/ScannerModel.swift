// What the scanner adds to the ideal image: blur by the point-spread function (Gaussian in-plane,
// slice-profile broadening in z), spatially correlated noise, and the scanner's 12-bit HU range.
// Every convolution is a sum of shifted contiguous rows (axpy), which the compiler vectorises.
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

    /// `out[i] += k · src[i]` for `count` floats.
    @inline(__always) static func axpy(_ k: Float, _ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { out[i] += k * src[i] }
    }

    /// Convolves each of the `ny` rows (length `nx`) of `plane` along x, edges replicated.
    /// `work` needs `2·nx + kernel.count` floats.
    static func convolveRows(_ plane: UnsafeMutablePointer<Float>, nx: Int, ny: Int, kernel: [Float], work: UnsafeMutablePointer<Float>) {
        let r = kernel.count / 2
        let padded = work, out = work + nx + 2 * r
        for j in 0..<ny {
            let row = plane + j * nx
            for t in 0..<r { padded[t] = row[0]; padded[r + nx + t] = row[nx - 1] }
            (padded + r).update(from: row, count: nx)
            out.update(repeating: 0, count: nx)
            for (q, k) in kernel.enumerated() { axpy(k, padded + q, out, nx) }
            row.update(from: out, count: nx)
        }
    }

    /// Convolves `lines` rows of `width` floats spaced `stride` apart (a column direction: y within a
    /// slice, or z across slices) along that direction, edges replicated. `copy` needs lines·width floats.
    static func convolveAcross(_ base: UnsafeMutablePointer<Float>, lines: Int, width: Int, stride: Int, kernel: [Float],
                               copy: UnsafeMutablePointer<Float>) {
        let r = kernel.count / 2
        for l in 0..<lines { (copy + l * width).update(from: base + l * stride, count: width) }
        for l in 0..<lines {
            let out = base + l * stride
            out.update(repeating: 0, count: width)
            for (q, k) in kernel.enumerated() {
                let src = min(max(l - r + q, 0), lines - 1)
                axpy(k, copy + src * width, out, width)
            }
        }
    }

    /// Blurs in-plane with `sigmaXY` and along z with `sigmaZ` (both in voxels).
    static func blur(_ v: inout Volume<Float>, sigmaXY: Double, sigmaZ: Double) {
        let n = v.dims, plane = n.x * n.y
        let kxy = gaussianKernel(sigma: sigmaXY), kz = gaussianKernel(sigma: sigmaZ)
        v.voxels.withUnsafeMutableBufferPointer { buf in
            let p = SendablePointer(buf.baseAddress!)
            if let kxy {
                DispatchQueue.concurrentPerform(iterations: n.z) { k in
                    let work = UnsafeMutablePointer<Float>.allocate(capacity: max(plane, 2 * n.x + kxy.count))
                    defer { work.deallocate() }
                    convolveRows(p.base + k * plane, nx: n.x, ny: n.y, kernel: kxy, work: work)
                    convolveAcross(p.base + k * plane, lines: n.y, width: n.x, stride: n.x, kernel: kxy, copy: work)
                }
            }
            if let kz, n.z > 1 {
                // Process one image row (fixed j) through all slices at a time.
                DispatchQueue.concurrentPerform(iterations: n.y) { j in
                    let copy = UnsafeMutablePointer<Float>.allocate(capacity: n.z * n.x)
                    defer { copy.deallocate() }
                    convolveAcross(p.base + j * n.x, lines: n.z, width: n.x, stride: plane, kernel: kz, copy: copy)
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
                let fine = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let wide = UnsafeMutablePointer<Float>.allocate(capacity: plane)
                let work = UnsafeMutablePointer<Float>.allocate(capacity: max(plane, 2 * n.x + kb.count))
                defer { fine.deallocate(); wide.deallocate(); work.deallocate() }
                var rng = RandomStream(seed: seed, stream: UInt64(k))
                for t in 0..<plane { fine[t] = rng.normal() }
                wide.update(from: fine, count: plane)
                for (data, kernel) in [(fine, ka), (wide, kb)] {
                    convolveRows(data, nx: n.x, ny: n.y, kernel: kernel, work: work)
                    convolveAcross(data, lines: n.y, width: n.x, stride: n.x, kernel: kernel, copy: work)
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
