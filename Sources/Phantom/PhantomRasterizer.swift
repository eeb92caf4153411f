// Turns the analytic anatomy into voxels: noise-free HU, truth density and labels, with partial
// volume. Tiles of 8×8 pixels far from every interface are filled from one evaluation at their centre;
// other voxels are sampled at their centre with only the nearby structures, and only voxels that
// straddle an anatomical interface (nearest surface closer than half the voxel diagonal) are
// supersampled. Bowel-content texture boundaries are sampled at voxel centres (then blurred by the PSF).
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
    /// Tiles of `tile`×`tile` pixels in one slice are classified from their centre first. A block is
    /// uniform when no interface comes within (centre → farthest voxel centre) + half a voxel diagonal
    /// of its centre, with 10 % + 0.3 mm slack for the approximate distance functions.
    static let tile = 16

    static func rasterize(_ anatomy: Anatomy, grid: ImageGrid, model: HounsfieldModel, supersampling: Int) -> RasterResult {
        let n = grid.dims, count = grid.count
        var hu = [Float](repeating: 0, count: count), density = [Float](repeating: 0, count: count)
        var labels = [UInt8](repeating: 0, count: count)
        let tileRows = (n.y + tile - 1) / tile, tileCols = (n.x + tile - 1) / tile
        let jobs = n.z * tileRows
        // Per-job accumulators: 256 label masses + the supersampled-voxel count.
        var partials = [Double](repeating: 0, count: jobs * 257)
        let spacing = grid.spacing, origin = grid.origin
        let half = spacing / 2
        let voxelReach = length(half) * 1.05
        // As many sub-slices as in-plane sub-samples, more when slices are much thicker than pixels.
        let ns = supersampling, nz = min(7, max(ns, Int((Double(ns) * spacing.z / spacing.x / 1.5).rounded())))
        let subWeight = 1 / Double(ns * ns * nz)
        let voxelCm3 = grid.voxelVolume / 1000
        hu.withUnsafeMutableBufferPointer { huB in
        density.withUnsafeMutableBufferPointer { dB in
        labels.withUnsafeMutableBufferPointer { lB in
        partials.withUnsafeMutableBufferPointer { pB in
            let huP = SendablePointer(huB.baseAddress!), dP = SendablePointer(dB.baseAddress!)
            let lP = SendablePointer(lB.baseAddress!), acc = SendablePointer(pB.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                let base = job * 257
                let k = job / tileRows, j0 = (job % tileRows) * tile, j1 = min(j0 + tile, n.y)
                let z = origin.z + Double(k) * spacing.z
                let y0 = origin.y + Double(j0) * spacing.y, y1 = origin.y + Double(j1 - 1) * spacing.y
                let stripBox = Bounds(lower: Vec3(origin.x - half.x, y0 - half.y, z - half.z),
                                      upper: Vec3(origin.x + Double(n.x) * spacing.x, y1 + half.y, z + half.z))
                let stripSet = anatomy.active(in: stripBox)

                /// Fills one voxel from a full evaluation (supersampled at interfaces).
                @inline(__always) func voxel(_ i: Int, _ j: Int, _ act: Anatomy.ActiveSet) {
                    let p = Vec3(origin.x + Double(i) * spacing.x, origin.y + Double(j) * spacing.y, z)
                    var nearest = Double.infinity, texture = Double.infinity
                    let s = anatomy.sample(p, act, &nearest, texture: &texture)
                    let o = i + n.x * (j + n.y * k)
                    lP[o] = s.label
                    if ns > 1 && nearest < voxelReach {
                        var h = 0.0, d = 0.0
                        for c in 0..<nz { for b in 0..<ns { for a in 0..<ns {
                            let off = Vec3((Double(a) + 0.5) / Double(ns) - 0.5, (Double(b) + 0.5) / Double(ns) - 0.5,
                                           (Double(c) + 0.5) / Double(nz) - 0.5) * spacing
                            var ignored = Double.infinity, ignoredTexture = Double.infinity
                            var t = anatomy.sample(p + off, act, &ignored, texture: &ignoredTexture, deferDensity: true)
                            if t.solute.isNaN {
                                // Trabecular sub-sample: the voxel's own value when it is the same bone.
                                t.solute = t.label == s.label ? s.solute
                                    : anatomy.sample(p + off, act, &ignored, texture: &ignoredTexture).solute
                            }
                            let rho = Double(HounsfieldModel.k2hpo4Equivalent(t.material, solute: t.solute))
                            h += Double(model.hounsfield(t.material, solute: t.solute))
                            d += rho
                            acc[base + Int(t.label)] += rho * voxelCm3 * subWeight
                        } } }
                        huP[o] = Float(h * subWeight); dP[o] = Float(d * subWeight)
                        acc[base + 256] += 1
                    } else {
                        store(s, o)
                    }
                }
                @inline(__always) func store(_ s: PointSample, _ o: Int) {
                    huP[o] = model.hounsfield(s.material, solute: s.solute)
                    let rho = HounsfieldModel.k2hpo4Equivalent(s.material, solute: s.solute)
                    dP[o] = rho
                    acc[base + Int(s.label)] += Double(rho) * voxelCm3
                }

                /// Classifies the pixel block [i0, i1) × [j0, j1) from its centre: uniform blocks are filled
                /// at once, others split in four (down to 2×2) or evaluated voxel by voxel.
                func block(_ i0: Int, _ i1: Int, _ j0: Int, _ j1: Int, _ act: Anatomy.ActiveSet) {
                    let cx = origin.x + Double(i0 + i1 - 1) / 2 * spacing.x, cy = origin.y + Double(j0 + j1 - 1) / 2 * spacing.y
                    let hx = Double(i1 - i0 - 1) / 2 * spacing.x, hy = Double(j1 - j0 - 1) / 2 * spacing.y
                    let reach = ((hx * hx + hy * hy).squareRoot() + voxelReach) * 1.1 + 0.3
                    let centre = Vec3(cx, cy, z)
                    var nearest = Double.infinity, texture = Double.infinity
                    let s = anatomy.sample(centre, act, &nearest, texture: &texture)
                    if min(nearest, texture) > reach {
                        if s.part == PointSample.noPart {
                            // Uniform soft tissue, air or table: one value for the whole block.
                            let h = model.hounsfield(s.material, solute: s.solute)
                            let rho = HounsfieldModel.k2hpo4Equivalent(s.material, solute: s.solute)
                            for j in j0..<j1 {
                                let o = i0 + n.x * (j + n.y * k)
                                (huP.base + o).update(repeating: h, count: i1 - i0)
                                (dP.base + o).update(repeating: rho, count: i1 - i0)
                                (lP.base + o).update(repeating: s.label, count: i1 - i0)
                            }
                            acc[base + Int(s.label)] += Double(rho) * voxelCm3 * Double((i1 - i0) * (j1 - j0))
                        } else {
                            // Inside one bone throughout: only its density field varies.
                            let only = Anatomy.ActiveSet(bones: 1 << UInt32(s.part), vessels: 0)
                            for j in j0..<j1 { for i in i0..<i1 {
                                var ignored = Double.infinity, ignoredTexture = Double.infinity
                                let p = Vec3(origin.x + Double(i) * spacing.x, origin.y + Double(j) * spacing.y, z)
                                let o = i + n.x * (j + n.y * k)
                                let v = anatomy.sample(p, only, &ignored, texture: &ignoredTexture)
                                lP[o] = v.label; store(v, o)
                            } }
                        }
                        return
                    }
                    let near = anatomy.refine(act, near: centre, radius: reach)
                    if i1 - i0 > 2 || j1 - j0 > 2 {
                        let im = (i0 + i1 + 1) / 2, jm = (j0 + j1 + 1) / 2
                        for (a0, a1) in [(i0, im), (im, i1)] where a1 > a0 {
                            for (b0, b1) in [(j0, jm), (jm, j1)] where b1 > b0 { block(a0, a1, b0, b1, near) }
                        }
                    } else {
                        for j in j0..<j1 { for i in i0..<i1 { voxel(i, j, near) } }
                    }
                }

                for t in 0..<tileCols { block(t * tile, min(t * tile + tile, n.x), j0, j1, stripSet) }
            }
        } } } }
        var mass = [Double](repeating: 0, count: 256), supersampled = 0.0
        for c in 0..<jobs {
            for l in 0..<256 { mass[l] += partials[c * 257 + l] }
            supersampled += partials[c * 257 + 256]
        }
        return RasterResult(hu: Volume(grid: grid, voxels: hu), density: Volume(grid: grid, voxels: density),
                            labels: Volume(grid: grid, voxels: labels), massByLabel: mass,
                            supersampledFraction: supersampled / Double(max(1, count)))
    }
}
