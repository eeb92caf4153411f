// Projection of a femur's mineral onto the DXA-like image plane (the CTXA principle).
import OpenBCTCore
import Calibration

/// Projects the mineral of femur-mask voxels along the DXA beam.
///
/// - Mass: each voxel's mineral (density in `options.mineral`, negatives set to 0, methods.md §10,
///   times the voxel volume) is split over m_i × m_j × m_k equal sub-voxels, each deposited in the pixel
///   under its centre, with m = ⌈√3·spacing/pixel⌉ along each axis so that no pixel inside the
///   footprint is skipped. Mineral is conserved exactly: the image's total is the mask's total.
/// - Area: a pixel is bone when the ray through its centre meets the mask's surface — the 0.5 level
///   of the trilinearly interpolated mask indicator, which lies halfway between inside and outside
///   voxel centres (the union of voxel cubes would overstate a smooth bone's shadow by its
///   staircase). Pixels far from the shadow's edge are decided by an exact ray–cube test against the
///   mask's surface voxels; those within a few pixels of it by marching the ray through the indicator.
enum HipProjector {
    static func project(density: Volume<Float>, voxels: [Int], pose: DXAPose, options: HipOptions) -> ProjectionImage {
        let g = density.grid, n = g.dims
        let p = options.pixelSizeMM
        // Plane coordinates are affine in the voxel index: plane = o + i·su + j·sv + k·sw.
        let axes = [g.direction.c0 * g.spacing.x, g.direction.c1 * g.spacing.y, g.direction.c2 * g.spacing.z]
        let o = pose.plane(g.origin)
        let stepU = SIMD3(dot(axes[0], pose.right), dot(axes[1], pose.right), dot(axes[2], pose.right))
        let stepW = SIMD3(dot(axes[0], pose.up), dot(axes[1], pose.up), dot(axes[2], pose.up))
        let halfU = 0.5 * (abs(stepU.x) + abs(stepU.y) + abs(stepU.z))
        let halfW = 0.5 * (abs(stepW.x) + abs(stepW.y) + abs(stepW.z))
        @inline(__always) func centre(_ idx: Int) -> SIMD2<Double> {
            let i = Double(idx % n.x), j = Double((idx / n.x) % n.y), k = Double(idx / (n.x * n.y))
            return o + SIMD2(i * stepU.x + j * stepU.y + k * stepU.z, i * stepW.x + j * stepW.y + k * stepW.z)
        }

        // Image extent: every voxel's shadow plus the region margin.
        var lo = SIMD2<Double>(repeating: .infinity), hi = SIMD2<Double>(repeating: -.infinity)
        for v in voxels { let c = centre(v); lo = pointwiseMin(lo, c); hi = pointwiseMax(hi, c) }
        if voxels.isEmpty { lo = .zero; hi = .zero }
        let margin = options.regionMarginMM + max(halfU, halfW) + p
        let left = lo.x - margin, top = hi.y + margin
        let width = Int(((hi.x - lo.x + 2 * margin) / p).rounded(.up))
        let height = Int(((hi.y - lo.y + 2 * margin) / p).rounded(.up))
        let pixels = width * height

        let mass = splatMineral(density: density, voxels: voxels, centre: centre, stepU: stepU, stepW: stepW,
                                left: left, top: top, width: width, height: height, options: options)
        // g/cm² = mg / (1000 · p²/100 cm²).
        let toArealDensity = 1 / (10 * p * p)
        var image = ProjectionImage(width: width, height: height, pixelSizeMM: p, leftMM: left, topMM: top,
                                    arealDensity: mass.map { Float($0 * toArealDensity) },
                                    bone: [UInt8](repeating: 0, count: pixels),
                                    fieldOfViewCut: [UInt8](repeating: 0, count: pixels),
                                    regions: [UInt8](repeating: 0, count: pixels))
        markFootprint(&image, grid: g, voxels: voxels, pose: pose, centre: centre, half: SIMD2(halfU, halfW))
        return image
    }

    /// Mineral mass (mg) per pixel, accumulated per thread and summed.
    private static func splatMineral(density: Volume<Float>, voxels: [Int], centre: (Int) -> SIMD2<Double>,
                                     stepU: SIMD3<Double>, stepW: SIMD3<Double>, left: Double, top: Double,
                                     width: Int, height: Int, options: HipOptions) -> [Double] {
        let g = density.grid, p = options.pixelSizeMM
        let m = SIMD3((0..<3).map { max(1, Int((3.0.squareRoot() * g.spacing[$0] / p).rounded(.up))) })
        var offsets: [SIMD2<Double>] = []
        for c in 0..<m.z { for b in 0..<m.y { for a in 0..<m.x {
            let f = SIMD3((Double(a) + 0.5) / Double(m.x) - 0.5, (Double(b) + 0.5) / Double(m.y) - 0.5, (Double(c) + 0.5) / Double(m.z) - 0.5)
            offsets.append(SIMD2((f * stepU).sum(), (f * stepW).sum()))
        } } }
        let mgPerDensity = g.voxelVolume / 1000 / Double(offsets.count)   // mg per (mg/cm³) per sub-voxel
        let mineral = options.mineral
        let pixels = width * height
        let parts = max(1, min(parallelWidth, voxels.count / 4096))
        var partial = [Double](repeating: 0, count: parts * pixels)
        let centres = voxels.map(centre)
        partial.withUnsafeMutableBufferPointer { acc in
            density.voxels.withUnsafeBufferPointer { rho in
                voxels.withUnsafeBufferPointer { vox in
                    centres.withUnsafeBufferPointer { cen in
                        offsets.withUnsafeBufferPointer { off in
                            let a = SendablePointer(acc.baseAddress!), r = SendableConstPointer(rho.baseAddress!)
                            let v = SendableConstPointer(vox.baseAddress!), cc = SendableConstPointer(cen.baseAddress!)
                            let of = SendableConstPointer(off.baseAddress!), nOff = off.count, count = vox.count
                            parallelFor(parts) { part in
                                let base = part * pixels
                                for q in (count * part / parts) ..< (count * (part + 1) / parts) {
                                    let share = max(0, mineral.density(fromK2HPO4: Double(r[v[q]]))) * mgPerDensity
                                    guard share > 0 else { continue }
                                    let c = cc[q]
                                    for s in 0..<nOff {
                                        let x = Int(((c.x + of[s].x - left) / p).rounded(.down))
                                        let y = Int(((top - c.y - of[s].y) / p).rounded(.down))
                                        a[base + x + width * y] += share
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard parts > 1 else { return partial }
        var total = [Double](partial[0..<pixels])
        for part in 1..<parts { for i in 0..<pixels { total[i] += partial[part * pixels + i] } }
        return total
    }

    /// Marks the bone footprint (exact ray–box tests) and the shadows of femur voxels on the volume
    /// boundary.
    private static func markFootprint(_ image: inout ProjectionImage, grid g: ImageGrid, voxels: [Int], pose: DXAPose,
                                      centre: (Int) -> SIMD2<Double>, half: SIMD2<Double>) {
        let n = g.dims
        guard !voxels.isEmpty else { return }
        // A local occupancy box (one voxel of padding) to find surface voxels.
        var bLo = SIMD3<Int>(repeating: .max), bHi = SIMD3<Int>(repeating: .min)
        for v in voxels {
            let idx = SIMD3(v % n.x, (v / n.x) % n.y, v / (n.x * n.y))
            bLo = pointwiseMin(bLo, idx); bHi = pointwiseMax(bHi, idx)
        }
        let bn = bHi &- bLo &+ 3
        var occupied = [Bool](repeating: false, count: bn.x * bn.y * bn.z)
        @inline(__always) func local(_ idx: SIMD3<Int>) -> Int {
            let l = idx &- bLo &+ 1
            return l.x + bn.x * (l.y + bn.y * l.z)
        }
        for v in voxels { occupied[local(SIMD3(v % n.x, (v / n.x) % n.y, v / (n.x * n.y)))] = true }

        // Ray through a pixel centre in continuous index space: q(u, w) = q0 + u·qU + w·qW + t·dir.
        let inv = g.direction.inverse ?? g.direction.transposed
        let q0 = (inv * (pose.headCenter - g.origin)) / g.spacing
        let qU = (inv * pose.right) / g.spacing, qW = (inv * pose.up) / g.spacing, dir = (inv * pose.beam) / g.spacing
        let p = image.pixelSizeMM, left = image.leftMM, top = image.topMM, width = image.width, height = image.height
        for v in voxels {
            let idx = SIMD3(v % n.x, (v / n.x) % n.y, v / (n.x * n.y))
            let onBoundary = idx.x == 0 || idx.y == 0 || idx.z == 0 || idx.x == n.x - 1 || idx.y == n.y - 1 || idx.z == n.z - 1
            let l = local(idx)
            let surface = !occupied[l - 1] || !occupied[l + 1] || !occupied[l - bn.x] || !occupied[l + bn.x]
                || !occupied[l - bn.x * bn.y] || !occupied[l + bn.x * bn.y]
            guard surface || onBoundary else { continue }
            let c = centre(v)
            let c0 = max(0, Int(((c.x - half.x - left) / p - 0.5).rounded(.up)))
            let c1 = min(width - 1, Int(((c.x + half.x - left) / p - 0.5).rounded(.down)))
            let r0 = max(0, Int(((top - c.y - half.y) / p - 0.5).rounded(.up)))
            let r1 = min(height - 1, Int(((top - c.y + half.y) / p - 0.5).rounded(.down)))
            guard c0 <= c1, r0 <= r1 else { continue }
            let cube = SIMD3(Double(idx.x), Double(idx.y), Double(idx.z))
            for r in r0...r1 { for col in c0...c1 {
                let pix = col + width * r
                if onBoundary { image.fieldOfViewCut[pix] = 1 }
                guard image.bone[pix] == 0 else { continue }
                let uw = image.planeCoordinates(column: col, row: r)
                if rayHitsCube(origin: q0 + qU * uw.x + qW * uw.y, direction: dir, centre: cube) { image.bone[pix] = 1 }
            } }
        }

        // The silhouettes of the cube union and of the interpolated surface differ by less than a
        // voxel's shadow half-width: within that band of the edge (either side, plus a pixel) every
        // pixel is decided on the interpolated indicator.
        let band = edgeBand(image.bone, width: width, height: height,
                            radius: Int((max(half.x, half.y) / p).rounded(.up)) + 1)
        let local0 = q0 - SIMD3(Double(bLo.x), Double(bLo.y), Double(bLo.z)) + 1
        let step = 0.25 / max(abs(dir.x), abs(dir.y), abs(dir.z))   // ≤ 0.25 voxel along every axis
        occupied.withUnsafeBufferPointer { occ in
            image.bone.withUnsafeMutableBufferPointer { boneBuf in
                let o = SendableConstPointer(occ.baseAddress!), bone = SendablePointer(boneBuf.baseAddress!)
                parallelFor(height) { r in
                    for col in 0..<width where band[col + width * r] {
                        let uw = SIMD2(left + (Double(col) + 0.5) * p, top - (Double(r) + 0.5) * p)
                        let start = local0 + qU * uw.x + qW * uw.y
                        bone[col + width * r] = rayReachesHalf(o, dims: bn, origin: start, direction: dir, step: step) ? 1 : 0
                    }
                }
            }
        }
    }

    /// Pixels within `radius` (Chebyshev) of the boundary between 1s and 0s of `mask`.
    static func edgeBand(_ mask: [UInt8], width: Int, height: Int, radius: Int) -> [Bool] {
        var edge = [Bool](repeating: false, count: mask.count)
        for r in 0..<height { for c in 0..<width {
            let v = mask[c + width * r]
            if (c + 1 < width && mask[c + 1 + width * r] != v) || (r + 1 < height && mask[c + width * (r + 1)] != v) {
                edge[c + width * r] = true
                if c + 1 < width && mask[c + 1 + width * r] != v { edge[c + 1 + width * r] = true }
                if r + 1 < height && mask[c + width * (r + 1)] != v { edge[c + width * (r + 1)] = true }
            }
        } }
        // Separable square dilation: rows, then columns.
        var rows = edge
        for r in 0..<height {
            var last = -Int.max / 2
            for c in 0..<width { if edge[c + width * r] { last = c }; if c - last <= radius { rows[c + width * r] = true } }
            last = Int.max / 2
            for c in stride(from: width - 1, through: 0, by: -1) { if edge[c + width * r] { last = c }; if last - c <= radius { rows[c + width * r] = true } }
        }
        var out = rows
        for c in 0..<width {
            var last = -Int.max / 2
            for r in 0..<height { if rows[c + width * r] { last = r }; if r - last <= radius { out[c + width * r] = true } }
            last = Int.max / 2
            for r in stride(from: height - 1, through: 0, by: -1) { if rows[c + width * r] { last = r }; if last - r <= radius { out[c + width * r] = true } }
        }
        return out
    }

    /// Whether the trilinear interpolation of the occupancy box (`dims`, zero-padded) reaches 0.5
    /// anywhere along the line origin + t·direction (local continuous index).
    static func rayReachesHalf(_ occ: SendableConstPointer<Bool>, dims n: SIMD3<Int>, origin: Vec3, direction: Vec3, step: Double) -> Bool {
        // The part of the line inside the box [0, n − 1].
        var tMin = -Double.infinity, tMax = Double.infinity
        for a in 0..<3 {
            if abs(direction[a]) < 1e-12 {
                if origin[a] < 0 || origin[a] > Double(n[a] - 1) { return false }
            } else {
                let t1 = -origin[a] / direction[a], t2 = (Double(n[a] - 1) - origin[a]) / direction[a]
                tMin = max(tMin, min(t1, t2)); tMax = min(tMax, max(t1, t2))
            }
        }
        guard tMin <= tMax else { return false }
        var t = tMin
        while t <= tMax {
            let q = origin + direction * t
            let f = q.rounded(.down)
            let x = min(Int(f.x), n.x - 2), y = min(Int(f.y), n.y - 2), z = min(Int(f.z), n.z - 2)
            if x >= 0, y >= 0, z >= 0 {
                let d = q - SIMD3(Double(x), Double(y), Double(z))
                @inline(__always) func v(_ i: Int, _ j: Int, _ k: Int) -> Double { occ[x + i + n.x * (y + j + n.y * (z + k))] ? 1 : 0 }
                let c00 = v(0, 0, 0) * (1 - d.x) + v(1, 0, 0) * d.x, c10 = v(0, 1, 0) * (1 - d.x) + v(1, 1, 0) * d.x
                let c01 = v(0, 0, 1) * (1 - d.x) + v(1, 0, 1) * d.x, c11 = v(0, 1, 1) * (1 - d.x) + v(1, 1, 1) * d.x
                let value = (c00 * (1 - d.y) + c10 * d.y) * (1 - d.z) + (c01 * (1 - d.y) + c11 * d.y) * d.z
                if value >= 0.5 { return true }
            }
            t += step
        }
        return false
    }

    /// Slab test: does the line origin + t·direction (any t) pass through the unit cube at `centre`?
    @inline(__always) static func rayHitsCube(origin: Vec3, direction: Vec3, centre: Vec3) -> Bool {
        var tMin = -Double.infinity, tMax = Double.infinity
        for a in 0..<3 {
            let lo = centre[a] - 0.5 - origin[a], hi = centre[a] + 0.5 - origin[a]
            if abs(direction[a]) < 1e-12 {
                if lo > 0 || hi < 0 { return false }
            } else {
                let t1 = lo / direction[a], t2 = hi / direction[a]
                tMin = max(tMin, min(t1, t2)); tMax = min(tMax, max(t1, t2))
                if tMin > tMax { return false }
            }
        }
        return true
    }
}

extension MineralEquivalent {
    /// A K2HPO4-equivalent density (mg/cm³) expressed in this mineral: HA through ash density,
    /// ρ_HA = (1.06·ρ_K − 30.9)/0.839, the inverse of methods.md §10's ρ_K = (0.839·ρ_HA + 30.9)/1.06.
    @inlinable public func density(fromK2HPO4 rhoK: Double) -> Double {
        switch self {
        case .k2hpo4: rhoK
        case .hydroxyapatite: (1.06 * rhoK - 30.9) / 0.839
        }
    }
}
