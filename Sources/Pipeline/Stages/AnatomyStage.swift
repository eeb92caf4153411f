// Anatomy stage: segmentation of the requested sites and its record and QC findings.
import Anatomy
import OpenBCTCore
import ResultModel

enum AnatomyStage {
    /// The hip site alone, for `segment`'s `hip` (not yet marked for the field of view).
    static func segmentHip(_ hu: Volume<Float>) -> AnatomySegmentation { AnatomySegmenter().segmentHip(hu: hu) }

    /// Segments `sites`: the spine here, then the hip — taken from `hip` when given (nil when the hip is not
    /// requested), which another thread may have made meanwhile with `segmentHip`. A femur or vertebral body
    /// touching any border of the field of view is marked cut.
    static func segment(_ hu: Volume<Float>, sites: [AnalysisSite], hip: (() -> AnatomySegmentation?)? = nil) -> AnatomySegmentation {
        let segmenter = AnatomySegmenter()
        let spine = sites.contains(.spine) ? SpineSegmenter(options: segmenter.spine).segment(hu: hu) : nil
        let hipSegmentation = hip.map { $0() } ?? (sites.contains(.hip) ? segmentHip(hu) : nil)
        var s = hipSegmentation ?? segmenter.emptySegmentation(on: hu.grid)
        if sites.contains(.spine) { segmenter.add(spine: spine, to: &s, hu: hu) }
        FieldOfViewContact.mark(&s, hu: hu)
        return s
    }

    /// The femurs of `s` whole in the scan, and those cut by the field of view with the finding that says so.
    static func femursToSolve(_ s: AnatomySegmentation) -> (whole: [FemurSummary], cut: [(FemurSummary, Finding)]) {
        var whole: [FemurSummary] = [], cut: [(FemurSummary, Finding)] = []
        for f in s.result.femurs {
            if let finding = s.result.findings.first(where: { $0.kind == .femurCutByFieldOfView && !$0.usable && $0.message.contains(f.side.rawValue) }) {
                cut.append((f, finding))
            } else {
                whole.append(f)
            }
        }
        return (whole, cut)
    }

    static func record(_ s: AnatomySegmentation, labelMapFile: String?) -> AnatomyRecord {
        let r = s.result
        let femurs = r.femurs.map { f -> FemurRecord in
            var coverage: Double?
            if let l = f.landmarks, let lt = l.lesserTrochanterLevel, l.shaftAxis.direction.z > 0 {
                // How far the scan reaches below the lesser trochanter along the shaft axis (not the mask,
                // which Anatomy cuts 10 mm below it by design).
                let g = s.labels.grid
                let zLowest = [0, g.dims.z - 1].flatMap { k in [0, g.dims.x - 1].flatMap { i in [0, g.dims.y - 1].map { j in
                    g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))).z } } }.min()!
                coverage = (lt.z - zLowest) / l.shaftAxis.direction.z
            }
            return FemurRecord(side: f.side == .left ? .left : .right, label: Int(f.label), volume_cm3: f.volumeMM3 / 1000,
                               headCenter_LPS_mm: f.landmarks.map { [$0.headCenter.x, $0.headCenter.y, $0.headCenter.z] },
                               headRadius_mm: f.landmarks?.headRadiusMM, neckShaftAngle_deg: f.landmarks?.neckShaftAngleDeg,
                               cutByFieldOfView: r.findings.contains { $0.kind == .femurCutByFieldOfView && $0.message.contains(f.side.rawValue) }, coverageBelowLesserTrochanter_mm: coverage)
        }
        let vertebrae = r.vertebrae.map {
            VertebraRecord(level: $0.level, ordinal: $0.ordinal, bodyLabel: Int($0.bodyLabel), bodyVolume_cm3: $0.bodyVolumeMM3 / 1000,
                           cutByFieldOfView: $0.cutByFieldOfView)
        }
        return AnatomyRecord(source: r.source, femurs: femurs, vertebrae: vertebrae, levelAnchor: r.levels.map { $0.anchor.rawValue },
                             levelConfidence: r.levels.map { "\($0.confidence)" }, labelMapFile: labelMapFile,
                             labelTable: r.labelTable.map { LabelRecord(value: Int($0.value), name: $0.name) })
    }

    static func findings(_ s: AnatomySegmentation) -> [QualityFinding] {
        s.result.findings.map {
            QualityFinding(stage: "anatomy", site: $0.site.map { $0 == .hip ? .hip : .spine }, severity: $0.usable ? .warning : .blocking,
                           code: $0.kind.rawValue, message: $0.message)
        }
    }
}
