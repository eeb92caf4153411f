// What a protocol produces: the model to solve plus everything fe.json must record about how it was built.
import OpenBCTCore

/// The node set whose reaction is the load case's force (the loaded cap).
public let loadedNodeSet = "loaded"

/// A built load case: the FE model, the mesh it came from, and its parameters.
public struct LoadCaseModel: Sendable {
    /// The model, constraints and reaction node sets included.
    public var model: FEModel
    /// The voxel mesh (cell lattice) the model was made from (nil for a model read from a peer).
    public var mesh: VoxelMesh?
    /// The description recorded in fe.json.
    public var summary: LoadCaseSummary

    /// Stiffness (N/mm) from a reaction force component along the load axis: |F / δ|.
    public func stiffness(reaction: Vec3) -> Double {
        abs(reaction[summary.loadAxis] / summary.appliedDisplacement)
    }
}

/// Everything that defines a load case, for the result document.
public struct LoadCaseSummary: Sendable, Codable {
    public var protocolName: String
    /// Lattice axis (0 x, 1 y, 2 z) of the prescribed displacement.
    public var loadAxis: Int
    /// Prescribed displacement of the loaded set along `loadAxis` (mm, negative = toward the support).
    public var appliedDisplacement: Double
    /// Reference length the displacement is a fraction of (mm): H between cap outer faces, or the
    /// model extent along the load axis including caps.
    public var referenceLength: Double
    public var displacementFraction: Double
    /// Lattice frame in LPS: origin of node (0,0,0) and axes (columns).
    public var latticeOrigin: [Double]
    public var latticeAxes: [[Double]]
    public var frameSource: String
    public var voxelSize: Double
    public var latticeDims: [Int]
    public var modelLabels: [Int32]
    public var materials: MaterialOptions
    public var caps: [CapSummary]
    public var constraints: [ConstraintSummary]
    public var boneElements: Int
    public var pmmaElements: Int
    public var flooredElements: Int
    public var islands: IslandReport
    /// Extra protocol parameters (angles in degrees, depths in mm).
    public var parameters: [String: Double]
}

public struct CapSummary: Sendable, Codable {
    public var name: String
    public var side: CapSide
    public var outerFaceLayer: Int
    public var pmmaElements: Int
    public var footprintColumns: Int
    public var outerFaceNodes: Int
}

public struct ConstraintSummary: Sendable, Codable {
    public var nodeSet: String
    public var dofs: [Int]
    public var value: Double
    public var nodes: Int
}

extension FEModel {
    /// Adds `value` on `dofs` of every node of `nodes`.
    mutating func constrain(_ nodes: [Int32], dofs: [UInt8], value: Double) {
        for n in nodes { for d in dofs { constraints.append(Constraint(node: n, dof: d, value: value)) } }
    }
}

extension Matrix3 {
    var columnArrays: [[Double]] { [c0, c1, c2].map { [$0.x, $0.y, $0.z] } }
}
