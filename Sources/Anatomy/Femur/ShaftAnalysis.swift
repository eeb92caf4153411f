// The shaft axis, the lesser trochanter level and the distal cut of a proximal femur.
import OpenBCTCore

struct ShaftAnalysis {
    /// Unit direction distal → proximal: a line through the centres of the largest discs inscribed
    /// in the axial sections of the shaft (a trochanter's bump moves a section's centroid, hardly
    /// the centre of its inscribed disc).
    var axis: Line
    /// Axis point at the lesser trochanter's distal edge, when found.
    var lesserTrochanterLevel: Vec3?
    /// Plane of the distal cut (normal proximal), nil when the scan does not cover it across the whole
    /// section (or the lesser trochanter was not found).
    var distalCut: Plane?

    init(femur: Mask, headCenter: Vec3, options: FemurOptions) {
        let grid = femur.grid, n = grid.dims
        var slices: [Int: [Int]] = [:]
        for idx in femur.voxels.indices where femur.voxels[idx] != 0 { slices[idx / (n.x * n.y), default: []].append(idx) }
        // The shaft: the most distal 40 mm (below the trochanteric flare in any scan that reaches
        // the lesser trochanter; its bump hardly moves the inscribed centres).
        let zOf = { (k: Int) in grid.physicalPoint(index: Vec3(0, 0, Double(k))).z }
        let zMin = slices.keys.map(zOf).min() ?? 0
        // Slices in index order: a dictionary's iteration order follows its storage address, and the fit's rounding the order.
        let shaft = slices.keys.sorted().filter { zOf($0) <= zMin + 40 }.map { ShaftAnalysis.inscribedCentre(of: slices[$0]!, grid: grid).centre }
        var line = shaft.count >= 3 ? Line.fit(shaft) : Line(point: shaft.first ?? headCenter, direction: Vec3(0, 0, 1))
        if line.direction.z < 0 { line.direction = -line.direction }
        axis = line
        // Cross-sections along the axis in bins one slice spacing wide (measured along the axis). Each
        // slice's voxels fill a strip of the perpendicular section per bin of that width, and consecutive
        // slices' strips tile it, so every bin holds one whole section whatever the slice spacing; 1 mm
        // bins did not at 1.5–2 mm slices (each caught a strip of one or two slices, unevenly). Bins
        // perpendicular to the axis place the lesser trochanter's bump at its own height.
        let normal = normalize(grid.direction.c2)
        let along = dot(line.direction, normal)
        guard abs(along) > 0.5 else { return }   // not an axial acquisition of a roughly vertical shaft
        let width = grid.spacing.z / abs(along)
        let kEnd = slices.keys.min { zOf($0) < zOf($1) }!
        let tOf = { (idx: Int) in dot(grid.physicalPoint(index: indexVector(idx, n)) - line.point, line.direction) }
        // The scan ends in an axial plane and the shaft leans (~7°): bins up to the highest point of the
        // end slice are cut short by the field of view. Bins start there.
        let endTop = slices[kEnd]!.map(tOf).max()!
        var bins: [Int: Int] = [:]
        for voxels in slices.values { for idx in voxels { let t = tOf(idx); if t >= endTop { bins[Int(((t - endTop) / width).rounded(.down)), default: 0] += 1 } } }
        let area = { (b: Int) in Double(bins[b] ?? 0) * grid.voxelVolume / width }
        // Below the lesser trochanter the shaft is a tube of nearly constant section: its median over
        // the most distal 15 mm of whole bins is the base. A base that already widens means the scan
        // starts in the trochanteric flare.
        let baseCount = max(2, Int((ShaftAnalysis.baseLengthMM / width).rounded()))
        let baseAreas = (0..<baseCount).map(area), baseBins = baseAreas.sorted()
        let base = baseBins[baseBins.count / 2]
        let (low, high) = baseCount >= 4 ? (baseBins[1], baseBins[baseCount - 2]) : (baseBins[0], baseBins[baseCount - 1])
        guard low > 0, high <= 1.15 * low else { return }
        // Nor may it grow along its length: a scan ending a few millimetres below the trochanter has the
        // trochanter's tip in the base's upper part (the phantom's base then rose 1.15× within 15 mm and
        // the "trochanter" was found 48 mm too high). The shaft's own widening toward the metaphysis is
        // slower (phantom: +20 % over 30 mm, so ≈ 7 % between the thirds' centres).
        let third = max(1, baseCount / 3)
        let mean = { (a: ArraySlice<Double>) in a.reduce(0, +) / Double(a.count) }
        guard mean(baseAreas.suffix(third)) <= 1.1 * mean(baseAreas.prefix(third)) else { return }
        // The lesser trochanter's distal edge: the first bin clear of the tube that stays so for 3 mm.
        let tHead = dot(headCenter - line.point, line.direction)
        let run = max(1, Int((ShaftAnalysis.riseLengthMM / width).rounded(.up)))
        let rise = options.lesserTrochanterAreaRise * base
        var level: Double?
        var b = baseCount
        while endTop + Double(b) * width < tHead - 20 {
            if (0..<run).allSatisfy({ area(b + $0) >= rise }) { level = endTop + Double(b) * width; break }
            b += 1
        }
        guard let lt = level else { return }
        lesserTrochanterLevel = line.point + line.direction * lt
        // The cut must lie inside the scan across the whole section: above every femur voxel of the end
        // slice (the oblique plane rises across the axial end slice). Otherwise the documented cut level
        // is not covered and the femur stays cut by the field of view.
        let tCut = lt - options.distalCutBelowLesserTrochanterMM
        if tCut > endTop { distalCut = Plane(point: line.point + line.direction * tCut, normal: line.direction) }
    }

    /// Length (mm) of the distal shaft whose median section is the tube's base.
    static let baseLengthMM = 15.0
    /// Length (mm) over which the section must stay risen to mark the lesser trochanter.
    static let riseLengthMM = 3.0

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
