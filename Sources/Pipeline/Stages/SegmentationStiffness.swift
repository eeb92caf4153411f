// Segmentation sensitivity of a solved bone: the same protocol's linear stiffness with the bone's mask
// eroded and dilated by one voxel, a cheap proxy for how much the strength depends on where the
// segmentation put the bone surface (strength tracks stiffness; docs/analysis.md).
import Anatomy
import FE
import OpenBCTCore

struct SegmentationStiffness: Sendable {
    /// Ball radius of the perturbation (mm): one in-plane voxel.
    var radius_mm: Double
    var nominal_N_per_mm: Double
    var eroded_N_per_mm: Double
    var dilated_N_per_mm: Double

    /// Solves the protocol linearly on `labels` with `label` eroded and dilated (dilation only into
    /// unlabelled voxels, so neighbouring bones keep theirs); `rebuild` makes the load case from labels.
    static func solve(labels: Volume<UInt8>, label: UInt8, nominal: Double, tolerance: Double,
                      rebuild: (Volume<UInt8>) throws -> LoadCaseModel) throws -> SegmentationStiffness {
        let radius = Self.radius(on: labels.grid)
        var stiffness: [Double] = []
        for grow in [false, true] {
            let model = try rebuild(perturbed(labels, label: label, radius: radius, grow: grow))
            let solution = try LinearSolver.solve(model.model, options: SolverOptions(relativeTolerance: tolerance))
            stiffness.append(model.stiffness(reaction: solution.reactionTotals[loadedNodeSet] ?? .zero))
        }
        return SegmentationStiffness(radius_mm: radius, nominal_N_per_mm: nominal, eroded_N_per_mm: stiffness[0], dilated_N_per_mm: stiffness[1])
    }

    /// The perturbation: one in-plane voxel (the larger in-plane spacing, mm).
    static func radius(on grid: ImageGrid) -> Double { max(grid.spacing.x, grid.spacing.y) }

    /// `labels` with `label` eroded (`grow` false) or dilated into unlabelled voxels (`grow` true) by a
    /// ball of `radius` mm, computed in the label's bounding box.
    static func perturbed(_ labels: Volume<UInt8>, label: UInt8, radius: Double, grow: Bool) -> Volume<UInt8> {
        let voxels = labels.voxels.indices.filter { labels.voxels[$0] == label }
        guard let region = MaskRegion(voxels: voxels, parent: labels.grid, marginMM: 2 * radius) else { return labels }
        var out = labels
        if grow {
            for i in region.parentIndices(of: Morphology.dilate(region.mask, radius: radius)) where out.voxels[i] == 0 { out.voxels[i] = label }
        } else {
            for i in voxels { out.voxels[i] = 0 }
            for i in region.parentIndices(of: Morphology.erode(region.mask, radius: radius)) { out.voxels[i] = label }
        }
        return out
    }
}
