// The shaft axis, the lesser trochanter level and the distal cut of a proximal femur.
import OpenBCTCore

struct ShaftAnalysis {
    /// Unit direction distal → proximal through the centroids of the most distal 40 mm.
    var axis: Line
    /// Axis point at the lesser trochanter's distal edge, when found.
    var lesserTrochanterLevel: Vec3?
    /// Plane of the distal cut (normal proximal), nil when the scan ends above it.
    var distalCut: Plane?

    init(femur: Mask, headCenter: Vec3, options: FemurOptions) {
        let grid = femur.grid, n = grid.dims
        // Per axial slice centroids of the most distal 40 mm.
        var sums: [Int: (Vec3, Int)] = [:]
        for idx in femur.voxels.indices where femur.voxels[idx] != 0 {
            let k = idx / (n.x * n.y), s = sums[k] ?? (.zero, 0)
            sums[k] = (s.0 + grid.physicalPoint(index: indexVector(idx, n)), s.1 + 1)
        }
        let centroids = sums.values.map { $0.0 / Double($0.1) }.sorted { $0.z < $1.z }
        let zMin = centroids.first?.z ?? 0
        let distal = centroids.filter { $0.z <= zMin + 40 }
        var line = distal.count >= 3 ? Line.fit(distal) : Line(point: centroids.first ?? headCenter, direction: Vec3(0, 0, 1))
        if line.direction.z < 0 { line.direction = -line.direction }
        axis = line
        // Cross-section area along the axis, 1 mm bins, from the distal end up to the head centre.
        var bins: [Int: Int] = [:]
        var tMin = Double.infinity
        for idx in femur.voxels.indices where femur.voxels[idx] != 0 {
            let t = dot(grid.physicalPoint(index: indexVector(idx, n)) - line.point, line.direction)
            tMin = min(tMin, t); bins[Int(t.rounded(.down)), default: 0] += 1
        }
        let tHead = dot(headCenter - line.point, line.direction)
        guard tMin.isFinite else { return }
        let first = Int(tMin.rounded(.down)) + 1   // the lowest bin is partly empty
        let area = { (b: Int) in Double(bins[b] ?? 0) * grid.voxelVolume }
        let baseBins = (first..<(first + 15)).map(area).sorted()
        let base = baseBins[baseBins.count / 2]
        // Below the lesser trochanter the shaft is a tube of nearly constant section; a base that
        // already widens means the scan starts in the trochanteric flare.
        guard baseBins[0] > 0, baseBins[baseBins.count - 2] <= 1.15 * baseBins[1] else { return }
        var level: Int?
        var b = first + 15
        while Double(b) < tHead - 20 {
            if (0..<3).allSatisfy({ area(b + $0) >= 1.3 * base }) { level = b; break }
            b += 1
        }
        guard let lt = level else { return }
        lesserTrochanterLevel = line.point + line.direction * Double(lt)
        let tCut = Double(lt) - options.distalCutBelowLesserTrochanterMM
        if tCut > tMin + 2 { distalCut = Plane(point: line.point + line.direction * tCut, normal: line.direction) }
    }
}
