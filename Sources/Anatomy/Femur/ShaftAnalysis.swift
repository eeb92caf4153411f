// The shaft axis, the lesser trochanter level and the distal cut of a proximal femur.
import OpenBCTCore

struct ShaftAnalysis {
    /// Unit direction distal → proximal: a line through the centres of the largest discs inscribed
    /// in the axial sections of the shaft (a trochanter's bump moves a section's centroid, hardly
    /// the centre of its inscribed disc).
    var axis: Line
    /// Axis point at the lesser trochanter's distal edge, when found.
    var lesserTrochanterLevel: Vec3?
    /// Plane of the distal cut (normal proximal), nil when the scan ends above it.
    var distalCut: Plane?

    init(femur: Mask, headCenter: Vec3, options: FemurOptions) {
        let grid = femur.grid, n = grid.dims
        var slices: [Int: [Int]] = [:]
        for idx in femur.voxels.indices where femur.voxels[idx] != 0 { slices[idx / (n.x * n.y), default: []].append(idx) }
        // The shaft: the most distal 40 mm (below the trochanteric flare in any scan that reaches
        // the lesser trochanter; its bump hardly moves the inscribed centres).
        let zOf = { (k: Int) in grid.physicalPoint(index: Vec3(0, 0, Double(k))).z }
        let zMin = slices.keys.map(zOf).min() ?? 0
        let shaft = slices.filter { zOf($0.key) <= zMin + 40 }.map { ShaftAnalysis.inscribedCentre(of: $0.value, grid: grid).centre }
        var line = shaft.count >= 3 ? Line.fit(shaft) : Line(point: shaft.first ?? headCenter, direction: Vec3(0, 0, 1))
        if line.direction.z < 0 { line.direction = -line.direction }
        axis = line
        // Cross-section area along the axis, 1 mm bins, from the distal end up to the head centre.
        var bins: [Int: Int] = [:]
        var tMin = Double.infinity, tTopOfEnd = -Double.infinity
        let kLowest = slices.keys.min { zOf($0) < zOf($1) }
        for idx in femur.voxels.indices where femur.voxels[idx] != 0 {
            let t = dot(grid.physicalPoint(index: indexVector(idx, n)) - line.point, line.direction)
            tMin = min(tMin, t); bins[Int(t.rounded(.down)), default: 0] += 1
            if idx / (n.x * n.y) == kLowest { tTopOfEnd = max(tTopOfEnd, t) }
        }
        let tHead = dot(headCenter - line.point, line.direction)
        guard tMin.isFinite else { return }
        // The scan ends in an axial plane and the shaft leans (~7°), so the bins across the shaft
        // up to the highest point of its lowest slice are cut short by the field of view.
        let first = Int(tTopOfEnd.rounded(.down)) + 1
        let area = { (b: Int) in Double(bins[b] ?? 0) * grid.voxelVolume }
        let baseBins = (first..<(first + 15)).map(area).sorted()
        let base = baseBins[baseBins.count / 2]
        // Below the lesser trochanter the shaft is a tube of nearly constant section; a base that
        // already widens means the scan starts in the trochanteric flare.
        guard baseBins[0] > 0, baseBins[baseBins.count - 2] <= 1.15 * baseBins[1] else { return }
        // The lesser trochanter's distal edge: where the section first grows clear of the tube.
        var level: Int?
        var b = first + 15
        while Double(b) < tHead - 20 {
            if (0..<3).allSatisfy({ area(b + $0) >= options.lesserTrochanterAreaRise * base }) { level = b; break }
            b += 1
        }
        guard let lt = level else { return }
        lesserTrochanterLevel = line.point + line.direction * Double(lt)
        let tCut = Double(lt) - options.distalCutBelowLesserTrochanterMM
        if tCut > tMin + 2 { distalCut = Plane(point: line.point + line.direction * tCut, normal: line.direction) }
    }

    /// Centre (LPS) and radius (mm) of the largest disc inscribed in one axial section (`voxels`, CT
    /// linear indices of one slice): the mean position of the voxels within half a pixel of the
    /// deepest one, by a 2-D distance transform of the section.
    static func inscribedCentre(of voxels: [Int], grid: ImageGrid) -> (centre: Vec3, radius: Double) {
        guard let k = voxels.first.map({ $0 / (grid.dims.x * grid.dims.y) }),
              let region = MaskRegion(voxels: voxels, parent: grid, marginMM: 2 * grid.spacing.max()) else { return (.zero, 0) }
        // Keep only the section's own slice of the box, so the transform is 2-D.
        let m = region.mask.grid.dims, plane = m.x * m.y, z = k - region.offset.z
        let section = Mask(grid: region.mask.grid.cropped(lower: SIMD3(0, 0, z), upper: SIMD3(m.x, m.y, z + 1)),
                           voxels: Array(region.mask.voxels[(z * plane)..<((z + 1) * plane)]))
        let depth = DistanceTransform.depth(inside: section)
        let deepest = depth.max() ?? 0
        let tolerance = Float(0.5 * min(grid.spacing.x, grid.spacing.y))
        var sum = Vec3.zero, count = 0
        for (i, d) in depth.enumerated() where d >= deepest - tolerance {
            sum += grid.physicalPoint(index: Vec3(Double(i % m.x + region.offset.x), Double(i / m.x + region.offset.y), Double(k))); count += 1
        }
        return (sum / Double(max(1, count)), Double(deepest))
    }
}
