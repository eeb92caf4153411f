// The voxel finite-element model shared by mesh builders, protocols, solvers and exporters.
import OpenBCTCore

/// A voxel finite-element model on a regular lattice of cubes of edge `voxelSize` (mm).
///
/// Elements are cells of an `nx × ny × nz` lattice; nodes are the `(nx+1)(ny+1)(nz+1)` lattice
/// points. Element `e` occupies cell `elements[e] = i + nx*(j + ny*k)`; its eight nodes are the
/// lattice points `(i+a, j+b, k+c)`, `a, b, c ∈ {0, 1}`, with node index `i + (nx+1)*(j + (ny+1)*k)`.
/// Displacement components (`Constraint.dof`) are along the lattice axes, i.e. the columns of
/// `direction`. Units: mm, N, MPa.
public struct FEModel: Sendable {
    /// Edge length of every cube (mm).
    public var voxelSize: Double
    /// Element lattice dimensions (nx, ny, nz).
    public var dims: SIMD3<Int>
    /// LPS position (mm) of lattice node (0, 0, 0).
    public var origin: Vec3
    /// Lattice axes in LPS (columns).
    public var direction: Matrix3
    /// Lattice cell index `i + nx*(j + ny*k)` of each element, strictly increasing.
    public var elements: [Int32]
    /// Young's modulus (MPa) per element, in `elements` order.
    public var youngsModulus: [Float]
    /// Poisson's ratio of every element.
    public var poissonRatio: Double
    /// Material per element: `FEModel.boneMaterial`, `FEModel.pmmaMaterial`, … (post-processing exclusions).
    public var materialID: [UInt8]
    /// Per element yield strains (tension ε_yt > 0, compression ε_yc > 0) for the nonlinear solver;
    /// nil for a linear-only model.
    public var yieldStrain: [SIMD2<Float>]?
    /// Prescribed displacements (Dirichlet conditions).
    public var constraints: [Constraint]
    /// Named lattice node sets whose reaction forces are summed (e.g. "loaded", "fixed").
    public var reactionNodeSets: [String: [Int32]]

    /// Material ID of bone elements.
    public static let boneMaterial: UInt8 = 0
    /// Material ID of PMMA (caps, endplate layers).
    public static let pmmaMaterial: UInt8 = 1

    public init(voxelSize: Double, dims: SIMD3<Int>, origin: Vec3 = .zero, direction: Matrix3 = .identity,
                elements: [Int32], youngsModulus: [Float], poissonRatio: Double = 0.3,
                materialID: [UInt8]? = nil, yieldStrain: [SIMD2<Float>]? = nil,
                constraints: [Constraint] = [], reactionNodeSets: [String: [Int32]] = [:]) {
        self.voxelSize = voxelSize; self.dims = dims; self.origin = origin; self.direction = direction
        self.elements = elements; self.youngsModulus = youngsModulus; self.poissonRatio = poissonRatio
        self.materialID = materialID ?? [UInt8](repeating: FEModel.boneMaterial, count: elements.count)
        self.yieldStrain = yieldStrain; self.constraints = constraints; self.reactionNodeSets = reactionNodeSets
    }

    /// Node lattice dimensions (nx+1, ny+1, nz+1).
    public var nodeDims: SIMD3<Int> { dims &+ 1 }

    /// Lattice node index of node (i, j, k).
    @inlinable public func nodeIndex(_ i: Int, _ j: Int, _ k: Int) -> Int32 {
        Int32(i + (dims.x + 1) * (j + (dims.y + 1) * k))
    }

    /// Lattice cell index of cell (i, j, k).
    @inlinable public func cellIndex(_ i: Int, _ j: Int, _ k: Int) -> Int32 { Int32(i + dims.x * (j + dims.y * k)) }

    /// Lattice coordinates (i, j, k) of a node index.
    @inlinable public func nodeCoordinates(_ node: Int32) -> SIMD3<Int> {
        let n = Int(node), nx = dims.x + 1, ny = dims.y + 1
        return SIMD3(n % nx, (n / nx) % ny, n / (nx * ny))
    }

    /// Lattice coordinates (i, j, k) of a cell index.
    @inlinable public func cellCoordinates(_ cell: Int32) -> SIMD3<Int> {
        let c = Int(cell)
        return SIMD3(c % dims.x, (c / dims.x) % dims.y, c / (dims.x * dims.y))
    }

    /// LPS position (mm) of a lattice node.
    public func nodePosition(_ node: Int32) -> Vec3 {
        let c = nodeCoordinates(node)
        return origin + direction * (Vec3(Double(c.x), Double(c.y), Double(c.z)) * voxelSize)
    }

    /// The eight lattice node indices of the element in `cell`, in the order of `HexElement`
    /// (bit 0 → +i, bit 1 → +j, bit 2 → +k).
    @inlinable public func elementNodes(cell: Int32) -> [Int32] {
        let c = cellCoordinates(cell)
        return (0..<8).map { l in nodeIndex(c.x + (l & 1), c.y + (l >> 1 & 1), c.z + (l >> 2 & 1)) }
    }

    /// Checks internal consistency (array lengths, ordering, index ranges, finite values) and
    /// returns a description of the first fault.
    public func validate() throws {
        func fail(_ field: String, _ message: String) -> InputError { InputError(location: "FEModel.\(field)", message) }
        guard voxelSize > 0, voxelSize.isFinite else { throw fail("voxelSize", "must be positive, got \(voxelSize)") }
        guard dims.x > 0, dims.y > 0, dims.z > 0 else { throw fail("dims", "must be positive, got \(dims)") }
        guard (dims.x + 1) * (dims.y + 1) * (dims.z + 1) < Int(Int32.max) else {
            throw fail("dims", "lattice \(dims) has more nodes than Int32 indices allow")
        }
        guard poissonRatio > -1, poissonRatio < 0.5 else { throw fail("poissonRatio", "must lie in (−1, 0.5), got \(poissonRatio)") }
        let n = elements.count
        guard youngsModulus.count == n else { throw fail("youngsModulus", "has \(youngsModulus.count) entries for \(n) elements") }
        guard materialID.count == n else { throw fail("materialID", "has \(materialID.count) entries for \(n) elements") }
        if let y = yieldStrain, y.count != n { throw fail("yieldStrain", "has \(y.count) entries for \(n) elements") }
        let cells = Int32(dims.x * dims.y * dims.z)
        var previous: Int32 = -1
        for (e, c) in elements.enumerated() {
            guard c > previous, c < cells else {
                throw fail("elements[\(e)]", "cell \(c) must be strictly increasing and below \(cells)")
            }
            previous = c
        }
        for (e, E) in youngsModulus.enumerated() where !(E > 0 && E.isFinite) {
            throw fail("youngsModulus[\(e)]", "must be positive and finite, got \(E)")
        }
        let nodes = Int32((dims.x + 1) * (dims.y + 1) * (dims.z + 1))
        for (i, c) in constraints.enumerated() {
            guard c.node >= 0, c.node < nodes, c.dof < 3, c.value.isFinite else {
                throw fail("constraints[\(i)]", "node \(c.node) dof \(c.dof) value \(c.value) is out of range")
            }
        }
        for (name, set) in reactionNodeSets {
            if let bad = set.first(where: { $0 < 0 || $0 >= nodes }) {
                throw fail("reactionNodeSets[\(name)]", "node \(bad) is outside the lattice")
            }
        }
    }
}

/// A prescribed displacement `value` (mm) of lattice node `node` along lattice axis `dof` (0 x, 1 y, 2 z).
public struct Constraint: Sendable, Hashable {
    public var node: Int32
    public var dof: UInt8
    public var value: Double
    public init(node: Int32, dof: UInt8, value: Double) { self.node = node; self.dof = dof; self.value = value }
}

/// Errors of the FE solvers.
public enum FEError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The iterative solver did not reach the tolerance: no result is returned. `residual` is the quantity
    /// `measure` names (the linear solves and the default equilibrium criterion: ‖r‖/‖b‖ or
    /// ‖r‖/‖reactions‖, "relative residual"), `tolerance` the bound it had to meet.
    case notConverged(iterations: Int, residual: Double, tolerance: Double, measure: String = "relative residual")
    /// The model cannot be solved as given (no elements, no constraints, a free rigid mode, …).
    case invalidModel(String)

    public var description: String {
        switch self {
        case let .notConverged(it, r, tol, measure):
            return "FE solver did not converge: \(measure) \(r) after \(it) iterations (tolerance \(tol))"
        case let .invalidModel(m): return "invalid FE model: \(m)"
        }
    }
}
