// The hip site ahead of the rest: its segmentation, and its whole femurs' FE jobs started as soon as it is
// done — while the spine is still being segmented, before eligibility and densitometry decide whether the
// results are used (docs/analysis.md, Performance).
import Anatomy
import OpenBCTCore

/// The hip's segmentation and its femurs' FE jobs, made on a pool thread.
struct HipStart {
    /// The hip site alone (`AnatomySegmenter.segmentHip`): its femur voxels are those of both sites' map.
    var segmentation: AnatomySegmentation
    /// The FE jobs of the femurs whole in the scan, in femur order, already in `pool` (the largest added first).
    var femurJobs: [PooledJob<StrengthJob.Outcome>]
    /// The femurs cut by the field of view (not solved), each with the finding that says so.
    var cut: [(FemurSummary, Finding)]

    /// Segments the hip of `hu` and adds an FE job to `pool` for every femur whole in the scan. Whole or cut is
    /// decided by `FieldOfViewContact` on the hip's own map, which holds every femur voxel of the final map
    /// (femurs are written first and the spine only where no label is), so it is the final map's verdict.
    init(hu: Volume<Float>, density: Volume<Float>, strength: StrengthStage, clock: StageClock, pool: JobPool) {
        segmentation = AnatomyStage.segmentHip(hu)
        var marked = segmentation
        FieldOfViewContact.mark(&marked, hu: hu)
        let (whole, cut) = AnatomyStage.femursToSolve(marked)
        // The largest femur first (the most elements, usually the longest solve): it gets the core the hip frees
        // while the spine is still segmented, the other the next free core. Outcomes keep the femur order.
        let labels = segmentation.labels
        var jobs = [PooledJob<StrengthJob.Outcome>?](repeating: nil, count: whole.count)
        for n in whole.indices.sorted(by: { (whole[$0].volumeMM3, $1) > (whole[$1].volumeMM3, $0) }) {
            let job = StrengthJob.femur(whole[n], fraction: 0.35 + 0.25 * Double(n) / Double(whole.count))
            jobs[n] = pool.add { job.run(strength, density: density, labels: labels, vertebrae: [], clock: clock) }
        }
        femurJobs = jobs.map { $0! }
        self.cut = cut
    }
}
