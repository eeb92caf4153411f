// A disc that partial volume bridged inside one opened body piece (thick slices close to the disc's
// own thickness), found from its endplate pair: along an axial column through a vertebral body the
// HU profile is flat trabecular bone between endplates a body height apart, while across a disc
// two bright endplates lie a few millimetres apart with the darker disc between them. Neither the
// piece's area (no waist) nor its mean HU (the trabecular middle of a body is as dark as a thin
// disc in 3 mm-thick slices) shows such a disc; the pair does, column by column.
import Foundation
import OpenBCTCore

enum BridgedDisc {
    /// Splits `piece` at every bridged disc found in it (recursively), leaving the disc's own slice
    /// of voxels to neither part, so the watershed places the boundary in the dark disc. Returns
    /// `[piece]` when it holds no disc.
    static func split(_ piece: BodyPiece, intensity: Volume<Float>, options: SpineOptions) -> [BodyPiece] {
        let grid = intensity.grid, n = grid.dims
        guard let plane = discPlane(in: piece, intensity: intensity, options: options) else { return [piece] }
        let half = 0.5 * grid.spacing.z
        var below: [Int] = [], above: [Int] = []
        for v in piece.voxels {
            let d = plane.signedDistance(grid.physicalPoint(index: indexVector(v, n)))
            if d > half { above.append(v) } else if d < -half { below.append(v) }
        }
        let minVoxels = Int(options.minBodyVolumeMM3 / grid.voxelVolume)
        guard below.count >= minVoxels, above.count >= minVoxels else { return [piece] }
        return split(BodyChain.piece(grid: grid, voxels: below), intensity: intensity, options: options)
            + split(BodyChain.piece(grid: grid, voxels: above), intensity: intensity, options: options)
    }

    /// The plane of a bridged disc inside `piece` (normal toward +z), or nil. Per axial column of the
    /// piece, a *pair dip* is a slice darker by at least `discContrastHU` than a slice on each side of
    /// it, those two slices lying at most `endplatePairMM` apart (the endplates flanking the disc) with
    /// nothing darker between them. Through a body's trabecular middle the endplates are a body height
    /// apart, so a dip there has no pair (only noise makes one). The disc is the slice with the most
    /// columns dipping within one slice of it — at least `discMinColumnFraction` of the columns — and
    /// its plane the least-squares fit through those dips.
    static func discPlane(in piece: BodyPiece, intensity: Volume<Float>, options: SpineOptions) -> Plane? {
        let grid = intensity.grid, n = grid.dims, slice = n.x * n.y
        var columns: [Int: [Int]] = [:]
        for v in piece.voxels { columns[v % slice, default: []].append(v / slice) }
        let dz = grid.spacing.z
        // The pair's slices lie at most this many slices apart; the dip needs one slice on each side.
        let reach = Int((options.endplatePairMM / dz + 1e-6).rounded(.down))
        guard reach >= 2 else { return nil }
        var dips: [(column: Int, k: Int)] = []
        var counted = 0
        // Columns in index order, so that the plane fit gets its points in the same order every run.
        for column in columns.keys.sorted() {
            let sorted = columns[column]!.sorted()
            guard let first = sorted.first, let last = sorted.last, last - first + 1 == sorted.count, sorted.count >= 3 else { continue }
            counted += 1
            let value = { (k: Int) in intensity.voxels[column + k * slice] }
            for k in (first + 1)..<last {
                let dip = value(k)
                // The brightest partner below and above, no farther apart than `reach` slices.
                var contrast: Float = -.infinity
                for lo in max(first, k - reach + 1)..<k {
                    for hi in (k + 1)...min(last, lo + reach) {
                        // The dip must be the darkest slice between the two endplates.
                        guard (lo + 1..<hi).allSatisfy({ value($0) >= dip }) else { continue }
                        contrast = max(contrast, min(value(lo), value(hi)) - dip)
                    }
                }
                if contrast >= options.discContrastHU { dips.append((column, k)) }
            }
        }
        guard counted > 0 else { return nil }
        // Support of slice k: the columns with a pair dip within one slice of it (a disc crosses a
        // column at either of two slices when the slices overlap or the disc tilts).
        var near: [Int: Set<Int>] = [:]
        for d in dips { for k in (d.k - 1)...(d.k + 1) { near[k, default: []].insert(d.column) } }
        var mode = 0, support = 0
        for (k, columns) in near where columns.count > support || (columns.count == support && k < mode) { (mode, support) = (k, columns.count) }
        guard Double(support) >= options.discMinColumnFraction * Double(counted) else { return nil }
        let points = dips.filter { abs($0.k - mode) <= 1 }.map { grid.physicalPoint(index: indexVector($0.column + $0.k * slice, n)) }
        var plane = Plane.fit(points).plane
        if plane.normal.z < 0 { plane.normal = -plane.normal }
        // A disc is roughly axial in an axial acquisition; a steeper fit (too few or scattered dips)
        // falls back to the axial plane through the dips.
        if plane.normal.z < cos(options.discMaxTiltDeg * .pi / 180) {
            plane = Plane(point: points.reduce(Vec3.zero, +) / Double(points.count), normal: normalize(grid.direction.c2 * (grid.direction.c2.z >= 0 ? 1 : -1)))
        }
        return plane
    }
}
