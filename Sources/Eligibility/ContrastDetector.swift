// Finds aortic blood to judge IV contrast: the aorta label when a segmentation names it, otherwise the
// brightest uniform soft-tissue disc in front of the T12–L2 vertebral bodies (where the aorta runs).
import Anatomy
import Calibration
import OpenBCTCore

/// Locates a blood region and turns it, with the DICOM header, into a `ContrastFinding`.
public struct ContrastDetector: Sendable {
    /// Disc radius (mm) of the unlabelled search; a 10 mm disc fits inside any adult aorta.
    public var discRadiusMM = 5.0
    /// Search box in front of the body's anterior wall (mm) and to either side of the midline.
    public var anteriorRangeMM: ClosedRange<Double> = 3...45
    public var lateralHalfWidthMM = 35.0
    /// A blood disc holds neither fat nor bone, and is uniform.
    public var acceptedHU: ClosedRange<Float> = -30...1000
    public var maxMADHU = 30.0
    /// Disc voxels keep at least this distance (mm, in plane, on the slice and its two neighbours) from
    /// every labelled bone voxel: trabecular bone is as uniform as blood and above 100 HU, and the blur and
    /// partial volume of coarse voxels carry bone HU past the bone's edge [U].
    public var boneMarginMM = 3.0

    public init() {}

    /// The contrast finding of a scan.
    /// - Parameters:
    ///   - headerAgent: ContrastBolusAgent from the DICOM header (nil for non-DICOM input).
    ///   - totalSegmentatorLabels: a TotalSegmentator map on the CT grid; its aorta (id 52) is used when present.
    ///   - labels, anatomy: OpenBCT labels and the segmentation result (vertebral landmarks) for the unlabelled search.
    public func assess(hu: Volume<Float>, headerAgent: String?, totalSegmentatorLabels: Volume<Int32>? = nil,
                       labels: Volume<UInt8>?, anatomy: SegmentationResult?) -> ContrastFinding {
        if let ts = totalSegmentatorLabels, ts.grid.dims == hu.dims,
           let aorta = TissueRegionFinder().labelRegion(hu, ts, [TissueRegionFinder.aortaLabel], name: "aorta (label)") {
            return ContrastFinding(headerAgent: headerAgent, blood: aorta, bloodSource: "aorta label (TotalSegmentator id 52), interior voxels")
        }
        if let labels, let anatomy, let disc = prevertebralBlood(hu: hu, labels: labels, anatomy: anatomy) {
            return ContrastFinding(headerAgent: headerAgent, blood: disc,
                                   bloodSource: "brightest uniform disc in front of T12–L2 (aorta assumed, not identified)")
        }
        return ContrastFinding(headerAgent: headerAgent, blood: nil, bloodSource: nil)
    }

    /// The brightest uniform disc in the pre-vertebral box of the T12–L2 bodies (on each body's centroid slice).
    func prevertebralBlood(hu: Volume<Float>, labels: Volume<UInt8>, anatomy: SegmentationResult) -> CalibrationRegion? {
        let g = hu.grid, n = g.dims
        let levels: Set<String> = ["T12", "L1", "L2"]
        let named = anatomy.vertebrae.filter { $0.level.map(levels.contains) ?? false }
        let candidates = named.isEmpty ? anatomy.vertebrae : named
        var best: CalibrationRegion?
        for v in candidates {
            guard let l = v.landmarks else { continue }
            let c = g.continuousIndex(physical: l.bodyCentroid)
            let k = Int(c.z.rounded())
            guard k >= 0, k < n.z else { continue }
            var anterior = l.anterior; anterior.z = 0
            guard length(anterior) > 0.5 else { continue }
            anterior = normalize(anterior)
            let lateral = Vec3(-anterior.y, anterior.x, 0)
            // The body's anterior wall on this slice: the farthest body voxel along `anterior`.
            var front = -Double.infinity
            for j in 0..<n.y { for i in 0..<n.x where labels.voxels[g.linearIndex(i, j, k)] == v.bodyLabel {
                front = max(front, dot(g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))) - l.bodyCentroid, anterior))
            } }
            guard front.isFinite else { continue }
            let nearBone = boneNeighbourhood(labels, slice: k)
            let step = max(2.5, g.spacing.x)
            for d in stride(from: anteriorRangeMM.lowerBound, through: anteriorRangeMM.upperBound, by: step) {
                for s in stride(from: -lateralHalfWidthMM, through: lateralHalfWidthMM, by: step) {
                    let p = l.bodyCentroid + anterior * (front + d + discRadiusMM) + lateral * s
                    let ci = g.continuousIndex(physical: p)
                    let sliceStart = k * n.x * n.y
                    guard let samples = hu.discSamples(ci: ci.x, cj: ci.y, k: k, radiusMM: discRadiusMM,
                                                       requiringAll: { acceptedHU.contains(hu.voxels[$0]) && !nearBone[$0 - sliceStart] }),
                          samples.count >= 8,
                          let region = hu.discRegion(name: "pre-vertebral blood disc (\(v.level ?? "vertebra"))", ci: ci.x, cj: ci.y,
                                                     k: k, samples: samples),
                          region.statistics.mad <= maxMADHU else { continue }
                    if region.statistics.median > (best?.statistics.median ?? -.infinity) { best = region }
                }
            }
        }
        return best
    }

    /// In-plane mask of slice `k`: true within `boneMarginMM` of a labelled voxel on slices k−1 … k+1
    /// (Anatomy's exact distance transform on that slice with its neighbours' bone folded in).
    func boneNeighbourhood(_ labels: Volume<UInt8>, slice k: Int) -> [Bool] {
        let n = labels.dims, plane = n.x * n.y
        var bone = labels.cropped(lower: SIMD3(0, 0, k), upper: SIMD3(n.x, n.y, k + 1))
        for kk in max(0, k - 1)...min(n.z - 1, k + 1) where kk != k {
            let base = kk * plane
            for i in 0..<plane where labels.voxels[base + i] != 0 { bone.voxels[i] = 1 }
        }
        let r2 = Float(boneMarginMM * boneMarginMM)
        return DistanceTransform.squaredDistance(to: bone).map { $0 <= r2 }
    }
}
