// The voxel mesh: an isotropic cell lattice in the load frame carrying density, image labels and
// the material of each cell. Protocols edit it (caps, endplate layers) before it becomes an FEModel.
import OpenBCTCore

/// An isotropic lattice of cubic cells. Cell (i, j, k) is centred at `grid.physicalPoint(i, j, k)`;
/// `grid.direction` holds the lattice axes (the load frame), `grid.spacing` the cube edge on all axes.
public struct VoxelMesh: Sendable {
    /// Cell centres (LPS mm); isotropic spacing.
    public var grid: ImageGrid
    /// Density (mg/cm³ K2HPO4) per cell, trilinear from the image.
    public var density: [Float]
    /// Image label per cell, nearest neighbour.
    public var labels: [Int32]
    /// Material per cell: `FEModel.boneMaterial`, `FEModel.pmmaMaterial`, or `VoxelMesh.empty`.
    public var material: [UInt8]

    /// Material value of a cell without an element.
    public static let empty: UInt8 = 255

    /// Cube edge (mm).
    public var voxelSize: Double { grid.spacing.x }
    public var dims: SIMD3<Int> { grid.dims }

    /// Number of cells holding an element of `material`.
    public func count(of value: UInt8) -> Int { material.reduce(0) { $0 + ($1 == value ? 1 : 0) } }

    /// Samples `density` and `labels` onto a lattice in `frame` that covers every voxel whose label is in
    /// `modelLabels`, with `margin` empty cells on each side (room for caps). Cells whose label is in
    /// `modelLabels` become bone.
    ///
    /// - Throws: `InputError` when density and labels do not share a grid, no voxel carries a model label,
    ///   or the voxel size is not positive.
    public static func sample<L: VoxelValue>(density: Volume<Float>, labels: Volume<L>, modelLabels: Set<Int32>,
                                             frame: LatticeFrame, voxelSize: Double = 1.0,
                                             margin: Int = 6) throws -> VoxelMesh {
        guard voxelSize > 0, voxelSize.isFinite else {
            throw InputError(location: "voxel size", "must be a positive number of mm, got \(voxelSize)")
        }
        guard density.grid.isAligned(with: labels.grid, tolerance: 0.01 * density.grid.spacing.min()) else {
            throw InputError(location: "labels grid", "must match the density grid (dims \(density.dims) vs \(labels.dims))")
        }
        // Bounding box of the model voxels in frame coordinates (corners of their voxels).
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        let g = labels.grid, toFrame = frame.axes.transposed, half = g.spacing * 0.5
        var found = 0
        for k in 0..<g.dims.z { for j in 0..<g.dims.y { for i in 0..<g.dims.x {
            let l = Int32(roundingClamped: labels.voxels[g.linearIndex(i, j, k)].asDouble)
            guard modelLabels.contains(l) else { continue }
            found += 1
            let centre = g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))
            for c in 0..<8 {
                let offset = Vec3(c & 1 == 0 ? -half.x : half.x, c & 2 == 0 ? -half.y : half.y, c & 4 == 0 ? -half.z : half.z)
                let q = toFrame * (centre + g.direction * offset - frame.origin)
                lo = pointwiseMin(lo, q); hi = pointwiseMax(hi, q)
            }
        } } }
        guard found > 0 else {
            throw InputError(location: "labels", "no voxel carries a model label \(modelLabels.sorted())")
        }
        let cells = SIMD3<Int>(((hi - lo) / voxelSize).rounded(.up)) &+ 2 &* margin
        let firstCentre = lo - Vec3(repeating: Double(margin) * voxelSize) + Vec3(repeating: voxelSize / 2)
        let lattice = ImageGrid(dims: cells, spacing: Vec3(repeating: voxelSize),
                                origin: frame.origin + frame.axes * firstCentre, direction: frame.axes)
        let rho = density.resampled(to: lattice, interpolation: .linear)
        let lab = labels.resampled(to: lattice, interpolation: .nearest).voxels.map { Int32(roundingClamped: $0.asDouble) }
        let material = lab.map { modelLabels.contains($0) ? FEModel.boneMaterial : VoxelMesh.empty }
        return VoxelMesh(grid: lattice, density: rho.voxels, labels: lab, material: material)
    }

    /// The FE model of this mesh: one hexahedron per non-empty cell, bone moduli from `materials`,
    /// PMMA from `materials.pmma`. Constraints and node sets are the protocol's to add.
    public func model(materials: MaterialOptions) -> (model: FEModel, bone: BoneMaterials) {
        var cells: [Int32] = [], ids: [UInt8] = [], boneDensity: [Float] = []
        for (c, m) in material.enumerated() where m != VoxelMesh.empty {
            cells.append(Int32(c)); ids.append(m)
            if m == FEModel.boneMaterial { boneDensity.append(density[c]) }
        }
        let bone = MaterialAssignment.bone(densities: boneDensity, options: materials)
        var moduli = [Float](repeating: 0, count: cells.count)
        var yields: [SIMD2<Float>]? = bone.yieldStrain == nil ? nil : []
        var b = 0
        for e in cells.indices {
            if ids[e] == FEModel.boneMaterial {
                moduli[e] = bone.youngsModulus[b]
                yields?.append(bone.yieldStrain![b]); b += 1
            } else {
                moduli[e] = Float(materials.pmma.youngsModulus)
                yields?.append(materials.pmma.yieldStrains)
            }
        }
        // Lattice node (0,0,0) is the outer corner of cell (0,0,0).
        let corner = grid.origin - grid.direction * Vec3(repeating: voxelSize / 2)
        let model = FEModel(voxelSize: voxelSize, dims: dims, origin: corner, direction: grid.direction,
                            elements: cells, youngsModulus: moduli, poissonRatio: materials.poissonRatio,
                            materialID: ids, yieldStrain: yields)
        return (model, bone)
    }
}
