// Closing the marrow gaps of one segmented vertebra: below-threshold marrow that the axial fill
// could not reach (it opens to a disc or foramen in that plane) is enclosed in another plane.
import OpenBCTCore

enum VertebraSolidifier {
    /// Fills the holes of label `label` in 3-D and in the sagittal and coronal planes (not the axial
    /// plane, where the canal is enclosed by the arch). Only unlabelled voxels are claimed.
    static func solidify(_ labels: inout Volume<Int32>, label: Int32) {
        let grid = labels.grid, n = grid.dims
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: -1)
        for (idx, l) in labels.voxels.enumerated() where l == label {
            let p = SIMD3(idx % n.x, (idx / n.x) % n.y, idx / (n.x * n.y))
            lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
        }
        guard hi.x >= 0 else { return }
        let sub = labels.cropped(lower: lo, upper: hi &+ 1)
        var mask = sub.map { $0 == label ? UInt8(1) : 0 }
        mask = HoleFilling.fill3D(mask)
        mask = HoleFilling.fillSlices(mask, normalAxis: 0)
        mask = HoleFilling.fillSlices(mask, normalAxis: 1)
        let m = sub.grid.dims
        for k in 0..<m.z { for j in 0..<m.y { for i in 0..<m.x where mask.voxels[i + m.x * (j + m.y * k)] != 0 {
            let idx = grid.linearIndex(i + lo.x, j + lo.y, k + lo.z)
            if labels.voxels[idx] == 0 { labels.voxels[idx] = label }
        } } }
    }
}
