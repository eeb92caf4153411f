// One bone's region of the CT: the density and label map cropped to the bounding box of the bone's
// label plus a margin, so that FE model building (lattice sampling, frames), the mean density and the
// perturbed-mask solves pass over a few million voxels instead of the whole scan (88 M at 512×512×336).
import OpenBCTCore

enum SiteCrop {
    /// The index box (lower ..< upper) of the voxels whose label is in `set`, widened by `margin` voxels
    /// per axis and clamped to the grid; nil when no voxel carries one of the labels. One threaded pass.
    static func box(of set: Set<UInt8>, in labels: Volume<UInt8>, margin: SIMD3<Int>) -> (lower: SIMD3<Int>, upper: SIMD3<Int>)? {
        var wanted = [Bool](repeating: false, count: 256)
        for v in set { wanted[Int(v)] = true }
        let table = wanted
        let n = labels.dims, plane = n.x * n.y
        // Per slice: (min i, max i, min j, max j), or nil when the slice holds none of the labels.
        let perSlice = SendableBox([SIMD4<Int>?](repeating: nil, count: n.z))
        labels.voxels.withUnsafeBufferPointer { lb in
            let l = SendableConstPointer(lb.baseAddress!)
            parallelFor(n.z) { k in
                var b = SIMD4<Int>(.max, .min, .max, .min)
                for j in 0..<n.y {
                    let row = plane * k + n.x * j
                    for i in 0..<n.x where table[Int(l[row + i])] {
                        b = SIMD4(min(b[0], i), max(b[1], i), min(b[2], j), max(b[3], j))
                    }
                }
                if b[1] >= 0 { perSlice.set(k, b) }
            }
        }
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: .min)
        for (k, b) in perSlice.value.enumerated() {
            guard let b else { continue }
            lo = pointwiseMin(lo, SIMD3(b[0], b[2], k)); hi = pointwiseMax(hi, SIMD3(b[1], b[3], k))
        }
        guard lo.x <= hi.x else { return nil }
        return (pointwiseMax(lo &- margin, .zero), pointwiseMin(hi &+ margin &+ 1, n))
    }

    /// `density` and `labels` cropped to the bone labelled by `set`, or the whole volumes when it has no voxel
    /// (the FE build then reports the missing label). The margin holds every voxel an FE build reads for
    /// the bone: a lattice cell becomes bone only when its nearest voxel carries the label, and its density
    /// is interpolated from that voxel's neighbours (1 voxel); the segmentation perturbation dilates the
    /// mask by one perturbation radius inside a box widened by twice that. Outside the margin only empty
    /// cells are sampled, which carry no element.
    static func crop(density: Volume<Float>, labels: Volume<UInt8>, to set: Set<UInt8>) -> (density: Volume<Float>, labels: Volume<UInt8>) {
        let s = labels.grid.spacing, radius = SegmentationStiffness.radius(on: labels.grid)
        let margin = SIMD3<Int>((0..<3).map { 2 + Int((3 * radius / s[$0]).rounded(.up)) })
        guard let b = box(of: set, in: labels, margin: margin) else { return (density, labels) }
        return (density.cropped(lower: b.lower, upper: b.upper), labels.cropped(lower: b.lower, upper: b.upper))
    }
}
