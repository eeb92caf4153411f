// Turns the analytic anatomy into voxels: noise-free HU, truth density and labels, with partial
// volume. Each voxel is sampled at its centre; only voxels that straddle an interface (the nearest
// surface closer than half the voxel diagonal) are supersampled, so the cost stays near one sample
// per voxel.
import Dispatch
import Foundation
import OpenBCTCore

struct RasterResult: Sendable {
    /// Noise-free, unblurred HU (volume-averaged attenuation).
    var hu: Volume<Float>
    /// K2HPO4-equivalent mineral density (mg/cm³), volume-averaged.
    var density: Volume<Float>
    /// Label at each voxel centre.
    var labels: Volume<UInt8>
    /// Mineral mass (mg) by label, integrated over sub-samples.
    var massByLabel: [Double]
    /// Fraction of voxels that were supersampled.
    var supersampledFraction: Double
}

enum PhantomRasterizer {
    static func rasterize(_ anatomy: Anatomy, grid: ImageGrid, model: HounsfieldModel, supersampling: Int) -> RasterResult {
        let n = grid.dims, count = grid.count
        var hu = [Float](repeating: 0, count: count), density = [Float](repeating: 0, count: count)
        var labels = [UInt8](repeating: 0, count: count)
        let rows = n.y * n.z
        let chunks = max(1, min(rows, parallelWidth * 8))
        // Per-chunk accumulators: 256 label masses + the supersampled-voxel count.
        var partials = [Double](repeating: 0, count: chunks * 257)
        let spacing = grid.spacing, origin = grid.origin
        let half = spacing / 2
        let threshold = length(half) * 1.05
        let ns = supersampling, nz = max(1, min(7, Int((Double(ns) * spacing.z / spacing.x).rounded())))
        let subWeight = 1 / Double(ns * ns * nz)
        let voxelCm3 = grid.voxelVolume / 1000
        hu.withUnsafeMutableBufferPointer { huB in
        density.withUnsafeMutableBufferPointer { dB in
        labels.withUnsafeMutableBufferPointer { lB in
        partials.withUnsafeMutableBufferPointer { pB in
            let huP = SendablePointer(huB.baseAddress!), dP = SendablePointer(dB.baseAddress!)
            let lP = SendablePointer(lB.baseAddress!), acc = SendablePointer(pB.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let base = c * 257
                for row in (rows * c / chunks) ..< (rows * (c + 1) / chunks) {
                    let j = row % n.y, k = row / n.y
                    let y = origin.y + Double(j) * spacing.y, z = origin.z + Double(k) * spacing.z
                    let rowBox = Bounds(lower: Vec3(origin.x - half.x, y - half.y, z - half.z),
                                        upper: Vec3(origin.x + Double(n.x) * spacing.x, y + half.y, z + half.z))
                    let act = anatomy.active(in: rowBox)
                    for i in 0..<n.x {
                        let p = Vec3(origin.x + Double(i) * spacing.x, y, z)
                        var nearest = Double.infinity
                        let s = anatomy.sample(p, act, &nearest)
                        let o = i + n.x * row
                        lP[o] = s.label
                        if ns > 1 && nearest < threshold {
                            var h = 0.0, d = 0.0
                            for c in 0..<nz { for b in 0..<ns { for a in 0..<ns {
                                let off = Vec3((Double(a) + 0.5) / Double(ns) - 0.5, (Double(b) + 0.5) / Double(ns) - 0.5,
                                               (Double(c) + 0.5) / Double(nz) - 0.5) * spacing
                                var ignored = Double.infinity
                                let t = anatomy.sample(p + off, act, &ignored)
                                let rho = Double(HounsfieldModel.k2hpo4Equivalent(t.material, solute: t.solute))
                                h += Double(model.hounsfield(t.material, solute: t.solute))
                                d += rho
                                acc[base + Int(t.label)] += rho * voxelCm3 * subWeight
                            } } }
                            huP[o] = Float(h * subWeight); dP[o] = Float(d * subWeight)
                            acc[base + 256] += 1
                        } else {
                            huP[o] = model.hounsfield(s.material, solute: s.solute)
                            let rho = HounsfieldModel.k2hpo4Equivalent(s.material, solute: s.solute)
                            dP[o] = rho
                            acc[base + Int(s.label)] += Double(rho) * voxelCm3
                        }
                    }
                }
            }
        } } } }
        var mass = [Double](repeating: 0, count: 256), supersampled = 0.0
        for c in 0..<chunks {
            for l in 0..<256 { mass[l] += partials[c * 257 + l] }
            supersampled += partials[c * 257 + 256]
        }
        return RasterResult(hu: Volume(grid: grid, voxels: hu), density: Volume(grid: grid, voxels: density),
                            labels: Volume(grid: grid, voxels: labels), massByLabel: mass,
                            supersampledFraction: supersampled / Double(max(1, count)))
    }
}
