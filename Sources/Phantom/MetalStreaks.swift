// Metal streaks: the beam-hardening / photon-starvation error of rays through metal, reconstructed
// by filtered back-projection. Per slice, the metal path length p(θ, t) is projected on a coarse
// grid; the line-integral error −β·(µ_metal·p)² is ramp-filtered (Ram-Lak) and back-projected into
// µ, converted to HU and added to the image. Dark streaks appear along rays through long metal
// paths (between head, cup and stem), bright ones beside them.
import Dispatch
import Foundation
import OpenBCTCore

enum MetalStreaks {
    /// β [U]: the fraction of the squared metal line integral lost to beam hardening and photon
    /// starvation (≈4.5 for 30 mm of titanium, giving dark and bright streaks of a few hundred HU).
    static let beta = 0.08

    /// `metalMu` and `waterMu`: linear attenuation (1/mm) of the metal and of water.
    static func add(to hu: inout Volume<Float>, labels: Volume<UInt8>, metalLabel: UInt8, metalMu: Double, waterMu: Double) {
        let n = hu.dims, plane = n.x * n.y
        let factor = max(1, n.x / 128), nc = (n.x + factor - 1) / factor, mc = (n.y + factor - 1) / factor
        let pixel = hu.grid.spacing.x * Double(factor)
        let angles = 90, bins = Int(Double(max(nc, mc)) * 1.5) | 1, centreBin = Double(bins / 2)
        let ramp: [Double] = (0..<(2 * bins - 1)).map { i in
            let m = i - (bins - 1)
            return m == 0 ? 0.25 : (m % 2 == 0 ? 0 : -1 / (Double.pi * Double.pi * Double(m * m)))
        }
        labels.voxels.withUnsafeBufferPointer { lb in
        hu.voxels.withUnsafeMutableBufferPointer { hb in
            let lab = SendableConstPointer(lb.baseAddress!), out = SendablePointer(hb.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: n.z) { k in
                // Metal fraction on the coarse grid.
                var coarse = [Double](repeating: 0, count: nc * mc)
                var any = false
                for j in 0..<n.y { for i in 0..<n.x where lab[k * plane + j * n.x + i] == metalLabel {
                    coarse[(j / factor) * nc + i / factor] += 1 / Double(factor * factor); any = true
                } }
                guard any else { return }
                let cx = Double(nc - 1) / 2, cy = Double(mc - 1) / 2
                var recon = [Double](repeating: 0, count: nc * mc)
                var proj = [Double](repeating: 0, count: bins), filtered = [Double](repeating: 0, count: bins)
                for a in 0..<angles {
                    let th = Double.pi * Double(a) / Double(angles), c = cos(th), s = sin(th)
                    for b in 0..<bins { proj[b] = 0 }
                    for j in 0..<mc { for i in 0..<nc where coarse[j * nc + i] > 0 {
                        let t = (Double(i) - cx) * c + (Double(j) - cy) * s + centreBin
                        let b0 = Int(t.rounded(.down)), f = t - Double(b0)
                        if b0 >= 0 && b0 + 1 < bins {
                            proj[b0] += coarse[j * nc + i] * pixel * (1 - f)
                            proj[b0 + 1] += coarse[j * nc + i] * pixel * f
                        }
                    } }
                    // Error of the measured line integral (dimensionless).
                    for b in 0..<bins { proj[b] = -beta * (metalMu * proj[b]) * (metalMu * proj[b]) }
                    for b in 0..<bins {
                        var acc = 0.0
                        for q in 0..<bins where proj[q] != 0 { acc += proj[q] * ramp[b - q + bins - 1] }
                        filtered[b] = acc
                    }
                    for j in 0..<mc { for i in 0..<nc {
                        let t = (Double(i) - cx) * c + (Double(j) - cy) * s + centreBin
                        let b0 = Int(t.rounded(.down)), f = t - Double(b0)
                        if b0 >= 0 && b0 + 1 < bins { recon[j * nc + i] += filtered[b0] * (1 - f) + filtered[b0 + 1] * f }
                    } }
                }
                // Back-projection gives µ (1/mm) after dividing by the bin width; HU = 1000·Δµ/µ_water.
                let scale = Double.pi / Double(angles) / pixel * 1000 / waterMu
                // Bilinear upsampling onto the slice.
                for j in 0..<n.y {
                    let fy = min(max((Double(j) + 0.5) / Double(factor) - 0.5, 0), Double(mc - 1))
                    let j0 = min(Int(fy), mc - 2 < 0 ? 0 : mc - 2), ty = fy - Double(j0), j1 = min(j0 + 1, mc - 1)
                    for i in 0..<n.x {
                        let fx = min(max((Double(i) + 0.5) / Double(factor) - 0.5, 0), Double(nc - 1))
                        let i0 = min(Int(fx), nc - 2 < 0 ? 0 : nc - 2), tx = fx - Double(i0), i1 = min(i0 + 1, nc - 1)
                        let v = (recon[j0 * nc + i0] * (1 - tx) + recon[j0 * nc + i1] * tx) * (1 - ty)
                              + (recon[j1 * nc + i0] * (1 - tx) + recon[j1 * nc + i1] * tx) * ty
                        out[k * plane + j * n.x + i] += Float(v * scale)
                    }
                }
            }
        } }
    }
}
