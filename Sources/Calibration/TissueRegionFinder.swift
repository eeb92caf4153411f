// Automatic reference-tissue ROIs for internal calibration: air, subcutaneous and visceral fat, muscle, aortic blood.
import OpenBCTCore

/// A reference tissue of internal calibration, with its tabulated composition.
public enum ReferenceTissue: String, Codable, Sendable, CaseIterable {
    case air, subcutaneousFat, visceralFat, muscle, aorticBlood

    public var material: AttenuatingMaterial {
        switch self {
        case .air: XRayAttenuation.air
        case .subcutaneousFat, .visceralFat: XRayAttenuation.adiposeTissue
        case .muscle: XRayAttenuation.skeletalMuscle
        case .aorticBlood: XRayAttenuation.wholeBlood
        }
    }

    /// Whether the tissue is a point of the fit. Visceral fat is measured and reported against the line
    /// only: it reads 5–10 HU above subcutaneous fat (vascular, against bowel), and with the one ICRU
    /// adipose composition for both the two fat points pulled the fit apart (docs/calibration.md).
    public var isFitted: Bool { self != .visceralFat }
}

/// Finds reference-tissue regions in a HU volume, from a segmentation where one is given.
///
/// Discs are searched on 16 axial slices spread over the scan. On each, the body is the largest
/// 4-connected component above −500 HU; air is the set of uniform discs outside it (all voxels −1100…−900 HU and not constant, so padding outside the field of
/// view is never taken); subcutaneous fat the uniform discs inside the body within 30 mm of its surface with a
/// median of −150…−50 HU; muscle the uniform discs ≥ 10 mm deep with a median of 10…80 HU
/// (unlabelled: liver or bowel wall can qualify, which the report says). With TotalSegmentator labels
/// (v2 ids: aorta 52, autochthon 86/87, iliopsoas 88/89) muscle and aortic blood are those structures'
/// interior voxels (all four in-plane neighbours in the same structure).
public struct TissueRegionFinder: Sendable {
    /// TotalSegmentator "total" task ids (v2) of the structures used.
    public static let aortaLabel: Int32 = 52
    public static let muscleLabels: Set<Int32> = [86, 87, 88, 89]

    /// Disc radius (mm); at least 3 mm (every disc ≥ 28 mm²) and 2 voxels.
    public var radiusMM: Double = 3

    public init() {}

    /// The regions found, keyed by tissue; notes say what was unlabelled or skipped.
    public func find(in hu: Volume<Float>, labels: Volume<Int32>?) -> (regions: [(ReferenceTissue, CalibrationRegion)], notes: [String]) {
        let g = hu.grid
        let radius = max(radiusMM, 2 * max(g.spacing.x, g.spacing.y))
        let body = sampledBody(hu)
        var found: [(ReferenceTissue, CalibrationRegion)] = []
        var notes: [String] = []
        if let air = bestDisc(hu, radius: radius, name: "air outside the body", accept: { idx in !body.isBody(idx) && hu.voxels[idx] >= -1100 },
                              centre: { idx in !body.isBody(idx) }, medianRange: -1100 ... -900) {
            found.append((.air, air))
        } else { notes.append("no uniform air region outside the body") }
        if let fat = bestDisc(hu, radius: radius, name: "subcutaneous fat", accept: { body.isBody($0) },
                              centre: { body.isBody($0) && body.depthMM($0) <= 30 }, medianRange: -150 ... -50) {
            found.append((.subcutaneousFat, fat))
        } else { notes.append("no uniform subcutaneous fat region") }
        if let fat = bestDisc(hu, radius: radius, name: "visceral fat (inside the abdominal wall)", accept: { body.isInnerFat($0) },
                              centre: { body.isInnerFat($0) }, medianRange: -150 ... -50) {
            found.append((.visceralFat, fat))
        } else { notes.append("no uniform fat region inside the abdominal wall (none, or not separated from the subcutaneous layer)") }
        if let labels, labels.grid.dims == hu.dims {
            if let muscle = labelRegion(hu, labels, Self.muscleLabels, name: "paraspinal/psoas muscle (labels)") {
                found.append((.muscle, muscle))
            } else { notes.append("no autochthon/iliopsoas voxels in the labels") }
            if let blood = labelRegion(hu, labels, [Self.aortaLabel], name: "aortic blood (labels)") {
                if blood.statistics.median > 150 {
                    notes.append(String(format: "aorta median %.0f HU: contrast-enhanced, not used as blood", blood.statistics.median))
                } else { found.append((.aorticBlood, blood)) }
            } else { notes.append("no aorta in the labels") }
        } else {
            if labels != nil { notes.append("labels ignored: their grid differs from the CT's") }
            if let muscle = bestDisc(hu, radius: radius, name: "muscle-range soft tissue (unlabelled)", accept: { body.isBody($0) },
                                     centre: { body.isBody($0) && body.depthMM($0) >= 10 }, medianRange: 10...80) {
                found.append((.muscle, muscle))
                notes.append("muscle ROI chosen by HU range and uniformity without labels (may be another soft tissue)")
            }
            notes.append("aortic blood needs labels (not identified)")
        }
        return (found, notes)
    }

    /// The axial slices the disc search samples: 16 spread evenly over the scan (all of a short one).
    static func sampledSlices(_ n: SIMD3<Int>) -> [Int] {
        let step = max(1, n.z / 16)
        return Array(stride(from: n.z / 2 % step, to: n.z, by: step))
    }

    /// Body mask and in-plane depth below the skin on the sampled slices only (nil elsewhere): the discs
    /// are searched there, and a whole-volume 3-D component and depth map cost seconds on a 512²×300 CT.
    struct SampledBody {
        let plane: Int
        var body: [[Bool]?]
        var depth: [[Double]?]
        /// Fat not connected to the subcutaneous layer: inside the abdominal (or any muscular) wall.
        var innerFat: [[Bool]?]
        func isBody(_ idx: Int) -> Bool { body[idx / plane]?[idx % plane] ?? false }
        func depthMM(_ idx: Int) -> Double { depth[idx / plane]?[idx % plane] ?? 0 }
        func isInnerFat(_ idx: Int) -> Bool { innerFat[idx / plane]?[idx % plane] ?? false }
    }

    func sampledBody(_ hu: Volume<Float>) -> SampledBody {
        let n = hu.dims, plane = n.x * n.y
        var result = SampledBody(plane: plane, body: Array(repeating: nil, count: n.z), depth: Array(repeating: nil, count: n.z),
                                 innerFat: Array(repeating: nil, count: n.z))
        for k in Self.sampledSlices(n) {
            let mask = bodyMask(hu, slice: k)
            // Depth below the skin, not below bowel gas or lung (holes in the > −500 HU body).
            let depth = inPlaneDepth(filledHoles(mask, nx: n.x, ny: n.y), nx: n.x, ny: n.y, spacing: hu.grid.spacing)
            result.body[k] = mask
            result.depth[k] = depth
            result.innerFat[k] = innerFat(hu, slice: k, body: mask, depth: depth)
        }
        return result
    }

    /// Fat-range pixels (−190…−30 HU after a 3×3 mean, so noise does not open the wall) of one slice's body
    /// that are not 4-connected through fat to the fat lying within `skinLayerMM` of the skin: the
    /// subcutaneous layer is what the flood from the skin reaches, the rest lies inside a muscular wall.
    func innerFat(_ hu: Volume<Float>, slice k: Int, body: [Bool], depth: [Double], skinLayerMM: Double = 10) -> [Bool] {
        let n = hu.dims, plane = n.x * n.y, base = k * plane
        var fat = [Bool](repeating: false, count: plane)
        hu.voxels.withUnsafeBufferPointer { v in
            for j in 1..<(n.y - 1) { for i in 1..<(n.x - 1) where body[i + n.x * j] {
                var sum: Float = 0
                for dj in -1...1 { for di in -1...1 { sum += v[base + i + di + n.x * (j + dj)] } }
                fat[i + n.x * j] = (-190 ... -30).contains(sum / 9)
            } }
        }
        var outer = [Bool](repeating: false, count: plane)
        var stack = (0..<plane).filter { fat[$0] && depth[$0] <= skinLayerMM }
        for p in stack { outer[p] = true }
        while let p = stack.popLast() {
            let i = p % n.x, j = p / n.x
            for q in [i > 0 ? p - 1 : -1, i < n.x - 1 ? p + 1 : -1, j > 0 ? p - n.x : -1, j < n.y - 1 ? p + n.x : -1]
            where q >= 0 && fat[q] && !outer[q] {
                outer[q] = true; stack.append(q)
            }
        }
        return (0..<plane).map { fat[$0] && !outer[$0] }
    }

    /// The largest 4-connected component of voxels above −500 HU on axial slice `k` (the body; the
    /// table and the air around are outside it).
    func bodyMask(_ hu: Volume<Float>, slice k: Int) -> [Bool] {
        let n = hu.dims, plane = n.x * n.y, base = k * plane
        var component = [Int32](repeating: 0, count: plane)
        var bestLabel: Int32 = 0, bestSize = 0, next: Int32 = 0
        var stack: [Int] = []
        hu.voxels.withUnsafeBufferPointer { v in
            component.withUnsafeMutableBufferPointer { c in
                for seed in 0..<plane where c[seed] == 0 && v[base + seed] > -500 {
                    next += 1; c[seed] = next; stack.append(seed)
                    var size = 0
                    @inline(__always) func visit(_ q: Int) {
                        if c[q] == 0 && v[base + q] > -500 { c[q] = next; stack.append(q) }
                    }
                    while let p = stack.popLast() {
                        size += 1
                        let i = p % n.x, j = p / n.x
                        if i > 0 { visit(p - 1) }
                        if i < n.x - 1 { visit(p + 1) }
                        if j > 0 { visit(p - n.x) }
                        if j < n.y - 1 { visit(p + n.x) }
                    }
                    if size > bestSize { bestSize = size; bestLabel = next }
                }
            }
        }
        return component.map { $0 == bestLabel && bestLabel != 0 }
    }

    /// The mask with its holes filled: every pixel not 4-connected to the slice border through non-mask pixels.
    func filledHoles(_ mask: [Bool], nx: Int, ny: Int) -> [Bool] {
        var outside = [Bool](repeating: false, count: mask.count)
        var stack: [Int] = []
        for p in 0..<mask.count where !mask[p] {
            let i = p % nx, j = p / nx
            if i == 0 || j == 0 || i == nx - 1 || j == ny - 1 { outside[p] = true; stack.append(p) }
        }
        while let p = stack.popLast() {
            let i = p % nx, j = p / nx
            for q in [i > 0 ? p - 1 : -1, i < nx - 1 ? p + 1 : -1, j > 0 ? p - nx : -1, j < ny - 1 ? p + nx : -1]
            where q >= 0 && !mask[q] && !outside[q] {
                outside[q] = true; stack.append(q)
            }
        }
        return outside.map { !$0 }
    }

    /// Per body pixel of one slice, the distance (mm) to the nearest non-body pixel along the four in-plane
    /// axis directions (an inexpensive depth below the skin).
    func inPlaneDepth(_ body: [Bool], nx: Int, ny: Int, spacing: Vec3) -> [Double] {
        var depth = [Double](repeating: 0, count: body.count)
        for j in 0..<ny {
            var run = 0.0
            for i in 0..<nx { let p = i + nx * j; run = body[p] ? run + spacing.x : 0; depth[p] = run }
            run = 0
            for i in stride(from: nx - 1, through: 0, by: -1) { let p = i + nx * j; run = body[p] ? run + spacing.x : 0; depth[p] = min(depth[p], run) }
        }
        for i in 0..<nx {
            var run = 0.0
            for j in 0..<ny { let p = i + nx * j; run = body[p] ? run + spacing.y : 0; depth[p] = min(depth[p], run) }
            run = 0
            for j in stride(from: ny - 1, through: 0, by: -1) { let p = i + nx * j; run = body[p] ? run + spacing.y : 0; depth[p] = min(depth[p], run) }
        }
        return depth
    }

    /// All non-overlapping discs whose voxels all pass `accept`, whose median lies in `medianRange` and whose
    /// values vary (constant = padding), pooled into one region. Pooling, rather than picking the most
    /// uniform disc, avoids selecting a noise-quiet outlier; the centre reported is the disc whose median
    /// is the median of all discs'.
    func bestDisc(_ hu: Volume<Float>, radius: Double, name: String, accept: (Int) -> Bool, centre: (Int) -> Bool,
                  medianRange: ClosedRange<Double>) -> CalibrationRegion? {
        let n = hu.dims, g = hu.grid
        let stepI = max(1, Int((2 * radius / g.spacing.x).rounded(.up))), stepJ = max(1, Int((2 * radius / g.spacing.y).rounded(.up)))
        var discs: [(region: CalibrationRegion, samples: [Float])] = []
        for k in Self.sampledSlices(n) {
            for j in stride(from: stepJ / 2, to: n.y - stepJ / 2, by: stepJ) {
                for i in stride(from: stepI / 2, to: n.x - stepI / 2, by: stepI) where centre(g.linearIndex(i, j, k)) {
                    guard let kept = hu.discSamples(ci: Double(i), cj: Double(j), k: k, radiusMM: radius, requiringAll: accept),
                          let region = hu.discRegion(name: name, ci: Double(i), cj: Double(j), k: k, samples: kept),
                          region.areaMM2 >= 10, medianRange.contains(region.statistics.median),
                          region.statistics.standardDeviation > 0.5 else { continue }  // constant = padding, not tissue
                    discs.append((region, kept))
                }
            }
        }
        guard !discs.isEmpty else { return nil }
        discs.sort { $0.region.statistics.median < $1.region.statistics.median }
        var pooled = discs[discs.count / 2].region
        pooled.name = "\(name) (\(discs.count) discs of \(String(format: "%.1f", radius)) mm)"
        pooled.statistics = RegionStatistics(discs.flatMap(\.samples))!
        pooled.areaMM2 = discs.reduce(0) { $0 + $1.region.areaMM2 }
        return pooled
    }

    /// Interior voxels of the labelled structures (all four in-plane neighbours share their label).
    public func labelRegion(_ hu: Volume<Float>, _ labels: Volume<Int32>, _ ids: Set<Int32>, name: String) -> CalibrationRegion? {
        let n = hu.dims
        var samples: [Float] = []
        var sum = Vec3.zero
        var slices = Set<Int>()
        for k in 0..<n.z { for j in 1..<(n.y - 1) { for i in 1..<(n.x - 1) {
            let p = labels.grid.linearIndex(i, j, k), l = labels.voxels[p]
            guard ids.contains(l), labels.voxels[p - 1] == l, labels.voxels[p + 1] == l,
                  labels.voxels[p - n.x] == l, labels.voxels[p + n.x] == l else { continue }
            samples.append(hu.voxels[p]); sum += Vec3(Double(i), Double(j), Double(k)); slices.insert(k)
        } } }
        guard let stats = RegionStatistics(samples) else { return nil }
        let centre = hu.grid.physicalPoint(index: sum / Double(samples.count))
        let area = Double(samples.count) * hu.grid.spacing.x * hu.grid.spacing.y / Double(slices.count)
        return CalibrationRegion(name: name, centre: centre, slice: nil, areaMM2: area, statistics: stats)
    }
}
