// The disc beyond a body's endplate. In slices about as thick as a disc, an axial slice next to an
// endplate shows the endplate's bright rim around the darker disc; the marrow fill takes that disc
// for marrow (≈ 70–110 HU passes the canal test, `marrowMinHU`), and the vertebra swallows it. Along
// each axial column of a body, walking in from either end of the vertebra, voxels darker than nearly
// all of the bodies' own marrow are disc until the endplate (or marrow) is reached.
import OpenBCTCore

enum DiscLayer {
    /// Removes the disc layers from the vertebra labels `1…bodies.count` of `labels` (0 = none).
    /// - Parameters:
    ///   - bodies: the body pieces, label = index + 1; `skipFirst`: the first is the sacrum (its
    ///     fatty marrow is not a vertebral body's and its top is left as it is).
    ///   - intensity: smoothed HU on the same grid.
    /// Marrow reference: the `discMarrowPercentile` of the local means over the bodies' trabecular
    /// cores (eroded by `coreErosionMM`). A local mean is the mean intensity of the vertebra's own
    /// voxels in the axial square of half-width `discLocalMeanRadiusMM` (single voxels carry the noise and the
    /// trabecular texture; soft tissue and the canal beside a body do not count). At most `endplatePairMM`
    /// (the thickest disc the endplate pair accepts) is removed from each end of a column. Where marrow
    /// and disc are equally dark (osteoporosis) nothing falls below the reference and nothing is removed.
    static func trim(_ labels: inout Volume<Int32>, bodies: [BodyPiece], skipFirst: Bool, intensity: Volume<Float>, options: SpineOptions) {
        let grid = labels.grid, n = grid.dims, slice = n.x * n.y
        let h = max(1, Int((options.discLocalMeanRadiusMM / grid.spacing.x).rounded()))
        let maxDepth = max(1, Int((options.endplatePairMM / grid.spacing.z + 1e-6).rounded(.down)))
        let first = skipFirst ? 1 : 0
        guard bodies.count > first else { return }

        /// Mean intensity of label `l`'s voxels in the axial square around linear index `v`.
        func localMean(_ v: Int, label l: Int32) -> Float {
            let i = v % n.x, j = (v / n.x) % n.y, base = v - i - j * n.x
            var sum: Float = 0, count = 0
            for jj in max(0, j - h)...min(n.y - 1, j + h) { for ii in max(0, i - h)...min(n.x - 1, i + h) {
                let w = base + ii + jj * n.x
                if labels.voxels[w] == l { sum += intensity.voxels[w]; count += 1 }
            } }
            return count > 0 ? sum / Float(count) : -.infinity
        }

        var marrow: [Float] = []
        for o in first..<bodies.count {
            guard let region = MaskRegion(voxels: bodies[o].voxels, parent: grid, marginMM: 1) else { continue }
            let core = Morphology.erode(region.mask, radius: options.coreErosionMM)
            let l = Int32(o + 1)
            for idx in core.voxels.indices where core.voxels[idx] != 0 {
                let v = region.parentIndex(idx)
                if labels.voxels[v] == l { marrow.append(localMean(v, label: l)) }
            }
        }
        guard !marrow.isEmpty else { return }
        marrow.sort()
        let reference = marrow[min(marrow.count - 1, Int(options.discMarrowPercentile / 100 * Double(marrow.count)))]

        // Each vertebra's slice range (one pass in memory order), so a column is read only there.
        var kRange = [(lo: Int, hi: Int)](repeating: (.max, .min), count: bodies.count + 1)
        for k in 0..<n.z { for v in k * slice..<(k + 1) * slice {
            let l = Int(labels.voxels[v])
            if l > first, l <= bodies.count { kRange[l].lo = min(kRange[l].lo, k); kRange[l].hi = k }
        } }
        // Decide on the labels as they are, then clear.
        var disc: [Int] = []
        for o in first..<bodies.count {
            let l = Int32(o + 1)
            guard kRange[o + 1].lo <= kRange[o + 1].hi else { continue }
            for column in Set(bodies[o].voxels.map { $0 % slice }) {
                let ks = (kRange[o + 1].lo...kRange[o + 1].hi).filter { labels.voxels[column + $0 * slice] == l }
                for walk in [ks, ks.reversed()] {
                    for k in walk.prefix(maxDepth) {
                        let v = column + k * slice
                        guard localMean(v, label: l) < reference else { break }
                        disc.append(v)
                    }
                }
            }
        }
        for v in disc { labels.voxels[v] = 0 }
    }
}
