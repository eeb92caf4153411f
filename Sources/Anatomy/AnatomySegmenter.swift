// The entry point: segment the requested sites of an HU volume into one label map, a map of the
// trabecular cores, and a `SegmentationResult`. A site that fails says why; the others go on.
import Dispatch
import OpenBCTCore

/// A label map, the trabecular-core map and the result document of one run.
public struct AnatomySegmentation: Sendable {
    /// OpenBCT labels (`AnatomyLabel`) on the CT grid.
    public var labels: Volume<UInt8>
    /// Trabecular cores of the vertebral bodies, labelled like their bodies.
    public var cores: Volume<UInt8>
    public var result: SegmentationResult
}

public struct AnatomySegmenter: Sendable {
    public var spine = SpineOptions()
    public var femur = FemurOptions()
    /// HU at or above which a voxel is metal (implants); metal within `metalSearchMM` of a
    /// structure is reported.
    public var metalHU: Float = 2500
    public var metalSearchMM = 20.0
    public init() {}

    /// Segments `sites` of `hu` (HU, axial slices).
    public func segment(hu: Volume<Float>, sites: Set<Site> = Set(Site.allCases)) -> AnatomySegmentation {
        // The two sites are independent: run them on both cores at once.
        var segmentation: AnatomySegmentation, spineResult: SpineSegmentation?
        (segmentation, spineResult) = AnatomySegmenter.concurrently(
            { sites.contains(.hip) ? segmentHip(hu: hu) : emptySegmentation(on: hu.grid) },
            { sites.contains(.spine) ? SpineSegmenter(options: spine).segment(hu: hu) : nil })
        if sites.contains(.spine) { add(spine: spineResult, to: &segmentation, hu: hu) }
        return segmentation
    }

    /// The hip site alone: the femurs, and the pelvis where no femur is. Adding the spine (`add(spine:to:hu:)`)
    /// writes only unlabelled voxels, so every femur voxel here keeps its label in the segmentation of both sites.
    public func segmentHip(hu: Volume<Float>) -> AnatomySegmentation {
        var s = emptySegmentation(on: hu.grid)
        let hip = FemurSegmenter(options: femur).segment(hu: hu)
        s.result.findings += hip.findings
        for f in hip.femurs where !f.voxels.isEmpty {
            for i in f.pelvisVoxels where s.labels.voxels[i] == 0 { s.labels.voxels[i] = AnatomyLabel.pelvis(f.side) }
            for i in f.voxels { s.labels.voxels[i] = AnatomyLabel.femur(f.side) }
            s.result.femurs.append(FemurSummary(side: f.side, label: AnatomyLabel.femur(f.side), volumeMM3: Double(f.voxels.count) * hu.grid.voxelVolume,
                                                landmarks: f.landmarks, distalCut: f.distalCut))
            s.result.findings += metalFindings(hu: hu, near: f.voxels, site: .hip, what: "\(f.side.rawValue) femur")
        }
        s.result.sites = [.hip]
        s.result.labelTable = AnatomySegmenter.table(of: s.labels)
        return s
    }

    /// No site yet: empty label and core maps on `grid`, this segmenter's parameters recorded.
    public func emptySegmentation(on grid: ImageGrid) -> AnatomySegmentation {
        let result = SegmentationResult(source: "automatic", sites: [], labelTable: [], vertebrae: [], levels: nil, femurs: [], findings: [],
                                        spineOptions: spine, femurOptions: femur)
        return AnatomySegmentation(labels: Volume(grid: grid, repeating: 0), cores: Volume(grid: grid, repeating: 0), result: result)
    }

    /// Adds the spine site (`spineResult`, nil: no spine found) to `s`: vertebral bodies and posterior elements
    /// where no label is yet, their trabecular cores, findings and levels.
    public func add(spine spineResult: SpineSegmentation?, to s: inout AnatomySegmentation, hu: Volume<Float>) {
        let voxelVolume = hu.grid.voxelVolume
        if let spine = spineResult {
            s.result.findings += spine.findings
            s.result.levels = spine.levels
            for v in spine.vertebrae {
                let body = v.level.map(AnatomyLabel.body) ?? AnatomyLabel.unnamedBody(v.ordinal)
                let posterior = v.level.map(AnatomyLabel.posterior) ?? AnatomyLabel.unnamedPosterior(v.ordinal)
                for i in v.bodyVoxels where s.labels.voxels[i] == 0 { s.labels.voxels[i] = body }
                for i in v.posteriorVoxels where s.labels.voxels[i] == 0 { s.labels.voxels[i] = posterior }
                for i in v.coreVoxels { s.cores.voxels[i] = body }
                s.result.vertebrae.append(VertebraSummary(level: v.level?.name, ordinal: v.ordinal, bodyLabel: body, posteriorLabel: posterior,
                                                          bodyVolumeMM3: Double(v.bodyVoxels.count) * voxelVolume,
                                                          posteriorVolumeMM3: Double(v.posteriorVoxels.count) * voxelVolume,
                                                          trabecularCoreVolumeMM3: Double(v.coreVoxels.count) * voxelVolume,
                                                          cutByFieldOfView: v.cutByFieldOfView, landmarks: v.landmarks))
                s.result.findings += metalFindings(hu: hu, near: v.voxels, site: .spine, what: v.level?.name ?? "vertebra #\(v.ordinal)")
            }
        } else {
            s.result.findings.append(Finding(.noSpineFound, site: .spine, usable: false,
                "no column of vertebral bodies in the field of view: the spine site is not segmented"))
        }
        s.result.sites = Site.allCases.filter { s.result.sites.contains($0) || $0 == .spine }
        s.result.labelTable = AnatomySegmenter.table(of: s.labels)
    }

    /// Runs two independent jobs at once and returns both results.
    static func concurrently<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        nonisolated(unsafe) var ra: A?, rb: B?
        DispatchQueue.concurrentPerform(iterations: 2) { i in if i == 0 { ra = a() } else { rb = b() } }
        return (ra!, rb!)
    }

    /// The label entries present in `labels`.
    static func table(of labels: Volume<UInt8>) -> [LabelEntry] {
        var present = [Bool](repeating: false, count: 256)
        for v in labels.voxels { present[Int(v)] = true }
        return (1..<256).filter { present[$0] }.map { LabelEntry(value: UInt8($0), name: AnatomyLabel.name(of: UInt8($0)) ?? "label_\($0)") }
    }

    /// A finding when metal (≥ `metalHU`) lies within `metalSearchMM` of the structure's bounding box.
    func metalFindings(hu: Volume<Float>, near voxels: [Int], site: Site, what: String) -> [Finding] {
        guard !voxels.isEmpty else { return [] }
        let g = hu.grid, n = g.dims
        var lo = SIMD3<Int>(repeating: .max), hi = SIMD3<Int>(repeating: .min)
        for v in voxels { let p = SIMD3(v % n.x, (v / n.x) % n.y, v / (n.x * n.y)); lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let margin = SIMD3<Int>((0..<3).map { Int((metalSearchMM / g.spacing[$0]).rounded(.up)) })
        lo = pointwiseMax(lo &- margin, .zero); hi = pointwiseMin(hi &+ margin, n &- 1)
        var count = 0
        for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x where hu.voxels[g.linearIndex(i, j, k)] >= metalHU { count += 1 } } }
        guard count > 0 else { return [] }
        return [Finding(.metalNearBone, site: site,
                        "\(count) voxels ≥ \(Int(metalHU)) HU (metal) within \(Int(metalSearchMM)) mm of the \(what): its segmentation and density may be biased by artefacts")]
    }
}
