// Sampling discs on axial slices of a HU volume (the ROI shape of every calibration region).
import OpenBCTCore

extension Volume where Voxel == Float {
    /// Calls `visit` with the linear index of every voxel of slice `k` whose centre lies within `radiusMM`
    /// of the in-plane continuous index (ci, cj), until it returns false. Returns false when stopped early.
    @discardableResult
    func forEachDiscVoxel(ci: Double, cj: Double, k: Int, radiusMM: Double, _ visit: (Int) -> Bool) -> Bool {
        guard k >= 0, k < dims.z else { return true }
        let sx = grid.spacing.x, sy = grid.spacing.y
        let ri = Int((radiusMM / sx).rounded(.up)), rj = Int((radiusMM / sy).rounded(.up))
        let i0 = max(0, Int(ci.rounded()) - ri), i1 = min(dims.x - 1, Int(ci.rounded()) + ri)
        let j0 = max(0, Int(cj.rounded()) - rj), j1 = min(dims.y - 1, Int(cj.rounded()) + rj)
        guard i0 <= i1, j0 <= j1 else { return true }
        for j in j0...j1 {
            let dy = (Double(j) - cj) * sy
            for i in i0...i1 {
                let dx = (Double(i) - ci) * sx
                guard dx * dx + dy * dy <= radiusMM * radiusMM else { continue }
                if !visit(grid.linearIndex(i, j, k)) { return false }
            }
        }
        return true
    }

    /// HU values of the voxels of slice `k` whose centres lie within `radiusMM` of the in-plane
    /// continuous index (ci, cj); voxels for which `include` is false are skipped.
    public func discSamples(ci: Double, cj: Double, k: Int, radiusMM: Double,
                            include: (Int) -> Bool = { _ in true }) -> [Float] {
        var out: [Float] = []
        forEachDiscVoxel(ci: ci, cj: cj, k: k, radiusMM: radiusMM) { idx in
            if include(idx) { out.append(voxels[idx]) }
            return true
        }
        return out
    }

    /// The disc's HU values when every voxel passes `accept`, nil as soon as one does not.
    func discSamples(ci: Double, cj: Double, k: Int, radiusMM: Double, requiringAll accept: (Int) -> Bool) -> [Float]? {
        var out: [Float] = []
        let complete = forEachDiscVoxel(ci: ci, cj: cj, k: k, radiusMM: radiusMM) { idx in
            guard accept(idx) else { return false }
            out.append(voxels[idx])
            return true
        }
        return complete ? out : nil
    }

    /// Statistics of a disc ROI as a calibration region (nil when the disc holds no voxel).
    public func discRegion(name: String, ci: Double, cj: Double, k: Int, radiusMM: Double) -> CalibrationRegion? {
        discRegion(name: name, ci: ci, cj: cj, k: k, samples: discSamples(ci: ci, cj: cj, k: k, radiusMM: radiusMM))
    }

    /// A calibration region from a disc's samples (nil when there are none).
    func discRegion(name: String, ci: Double, cj: Double, k: Int, samples: [Float]) -> CalibrationRegion? {
        guard let stats = RegionStatistics(samples) else { return nil }
        let centre = grid.physicalPoint(index: Vec3(ci, cj, Double(k)))
        return CalibrationRegion(name: name, centre: centre, slice: k,
                                 areaMM2: Double(samples.count) * grid.spacing.x * grid.spacing.y, statistics: stats)
    }
}
