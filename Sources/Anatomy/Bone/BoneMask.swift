// The bone mask every site starts from: hysteresis thresholding of (lightly smoothed) HU.
import OpenBCTCore

/// Thresholds that decide what is bone. Defaults are [U]: chosen for calibrated clinical CT, where
/// cortical bone is ≥ 200 HU, healthy cancellous bone 100–300 HU and muscle 30–70 HU.
public struct BoneThresholds: Sendable, Codable, Equatable {
    /// Voxels at or above this (HU) may be bone when connected to a strong voxel.
    public var weakHU: Float = 100
    /// Voxels at or above this (HU) are certainly bone (cortex).
    public var strongHU: Float = 200
    /// A voxel on the surface of a final structure (a face neighbour outside it) must reach this (HU)
    /// to stay in: a voxel less than about half filled with cortex is counted outside.
    public var surfaceHU: Float = 200
    /// Gaussian pre-smoothing (mm) against noise; skipped on axes whose spacing exceeds 2σ.
    public var smoothingSigmaMM: Double = 0.6
    public init() {}
}

/// A CT's bone mask with the smoothed intensities it was made from.
public struct BoneMask: Sendable {
    /// Smoothed HU (same grid as the CT).
    public var smoothed: Volume<Float>
    /// Bone voxels: weak voxels 26-connected to a strong voxel.
    public var mask: Mask
    /// The 26-connected components of the bone (0 outside it; labels need not be consecutive).
    public var components: Volume<Int32>

    /// Thresholds `hu` with hysteresis.
    public init(hu: Volume<Float>, thresholds: BoneThresholds = BoneThresholds()) {
        smoothed = GaussianSmoothing.smooth(hu, sigma: thresholds.smoothingSigmaMM)
        let weak = smoothed.mask(atLeast: thresholds.weakHU)
        let components = Components(weak, connectivity: .twentySix)
        var strongComponent = [Bool](repeating: false, count: components.count + 1)
        for i in 0..<weak.voxels.count where smoothed.voxels[i] >= thresholds.strongHU {
            strongComponent[Int(components.labels.voxels[i])] = true
        }
        strongComponent[0] = false
        mask = components.labels.map { strongComponent[Int($0)] ? 1 : 0 }
        self.components = components.labels.map { strongComponent[Int($0)] ? $0 : 0 }
    }
}

extension BoneMask {
    /// Removes from `structure` its surface voxels (a face neighbour outside) whose smoothed HU is
    /// below `thresholds.surfaceHU`. One pass: the partial-volume rim only.
    func trimSurface(_ structure: inout Mask, thresholds: BoneThresholds) {
        let n = structure.grid.dims
        var drop: [Int] = []
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
            let idx = i + n.x * (j + n.y * k)
            guard structure.voxels[idx] != 0, smoothed.voxels[idx] < thresholds.surfaceHU else { continue }
            for (di, dj, dk) in [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)] {
                let ii = i + di, jj = j + dj, kk = k + dk
                guard structure.grid.contains(ii, jj, kk) else { continue }   // a cut face is not a surface
                if structure.voxels[ii + n.x * (jj + n.y * kk)] == 0 { drop.append(idx); break }
            }
        } } }
        for idx in drop { structure.voxels[idx] = 0 }
    }
}
