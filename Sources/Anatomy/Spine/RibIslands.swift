// The ribs a rib-bearing vertebra swallowed. A rib's head meets the vertebra at the costovertebral
// joint (the body's posterolateral corner, the pedicle root), and the rib runs laterally, backward
// and down: in the axial slices below its head a rib's section is an island beside the vertebra,
// joined to it only through the slices above. A transverse process is horizontal and continuous
// with the arch in its own slices. Where the rib reaches `lateralLimitMM` inside the scan it is
// seeded "other bone" and the fronts meet at the joint; a 12th rib that leaves the scan closer to the
// body (the thoracolumbar slab) was seeded by nothing and went to the vertebra with its head. Its
// islands now seed a rib front in a second flood of those vertebrae, and what that front takes
// lateral to the pedicles is given to "other bone" (docs/anatomy.md, spine step 4).
import OpenBCTCore

enum RibIslands {
    /// Gives the ribs found from their islands on the `vertebrae` labels of `labels` to `other`.
    /// - Parameters:
    ///   - vertebrae: the labels that may bear ribs (thoracic or unnamed: a lumbar vertebra has none).
    ///   - markers, relief, levels: the watershed's seeds and relief that made `labels`. The vertebrae
    ///     holding islands are flooded again from those seeds plus the islands (a rib label of their
    ///     own); only what the islands' front takes changes hands, so the borders between vertebrae
    ///     and with the other bone stay as they were.
    static func detach(_ labels: inout Volume<Int32>, vertebrae: Set<Int32>, markers: Volume<Int32>, other: Int32,
                       relief: [Float], levels: ClosedRange<Int>, axis: BodyAxis, minLateralMM: Double) {
        guard !vertebrae.isEmpty else { return }
        let islands = find(labels: labels, vertebrae: vertebrae, axis: axis, minLateralMM: minLateralMM)
        guard !islands.isEmpty else { return }
        let isHolder = membership(Set(islands.map { labels.voxels[$0] }))
        let rib = other + 1
        var seeded = markers
        for idx in islands { seeded.voxels[idx] = rib }
        let domain = labels.map { isHolder($0) ? UInt8(1) : 0 }
        let again = Watershed.flood(relief: relief, levels: levels, markers: seeded, domain: domain)
        // The rib lies lateral to the pedicles: what its front reaches nearer the axis stays (the
        // relief is flat inside bone, so the fronts can meet in the pedicle rather than the joint).
        let grid = labels.grid, n = grid.dims
        for i in labels.voxels.indices where again.voxels[i] == rib {
            let p = grid.physicalPoint(index: indexVector(i, n))
            if abs(p.x - axis.center(atZ: p.z).x) >= minLateralMM { labels.voxels[i] = other }
        }
    }

    /// Per axial slice, the 8-connected parts of each label in `vertebrae` other than its largest part
    /// in that slice, centred at least `minLateralMM` left–right from the body axis.
    static func find(labels: Volume<Int32>, vertebrae: Set<Int32>, axis: BodyAxis, minLateralMM: Double) -> [Int] {
        let grid = labels.grid, n = grid.dims, slice = n.x * n.y
        let isVertebra = membership(vertebrae)
        var islands: [Int] = []
        var seen = [Bool](repeating: false, count: slice)
        var stack: [Int] = []
        for k in 0..<n.z {
            let base = k * slice
            for i in seen.indices { seen[i] = false }
            // Parts per label in this slice: (label, voxels as in-slice indices).
            var parts: [(label: Int32, voxels: [Int])] = []
            for start in 0..<slice where !seen[start] && isVertebra(labels.voxels[base + start]) {
                let l = labels.voxels[base + start]
                var part: [Int] = []
                seen[start] = true; stack.append(start)
                while let v = stack.popLast() {
                    part.append(v)
                    let i = v % n.x, j = v / n.x
                    for dj in -1...1 { for di in -1...1 where di != 0 || dj != 0 {
                        let ii = i + di, jj = j + dj
                        guard ii >= 0, jj >= 0, ii < n.x, jj < n.y else { continue }
                        let w = ii + jj * n.x
                        if !seen[w] && labels.voxels[base + w] == l { seen[w] = true; stack.append(w) }
                    } }
                }
                parts.append((l, part))
            }
            for l in Set(parts.map(\.label)) {
                let own = parts.filter { $0.label == l }
                guard own.count > 1, let largest = own.indices.max(by: { own[$0].voxels.count < own[$1].voxels.count }) else { continue }
                for (p, part) in own.enumerated() where p != largest {
                    var sum = Vec3.zero
                    for v in part.voxels { sum += grid.physicalPoint(index: indexVector(base + v, n)) }
                    let c = sum / Double(part.voxels.count)
                    if abs(c.x - axis.center(atZ: c.z).x) >= minLateralMM { islands += part.voxels.map { base + $0 } }
                }
            }
        }
        return islands
    }

    /// Membership of a small label set as a table lookup (tested once per voxel of the spine's grid).
    private static func membership(_ labels: Set<Int32>) -> (Int32) -> Bool {
        var table = [Bool](repeating: false, count: max(0, Int(labels.max() ?? 0)) + 1)
        for l in labels where l >= 0 { table[Int(l)] = true }
        return { l in l >= 0 && Int(l) < table.count && table[Int(l)] }
    }
}
