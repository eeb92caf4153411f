// Vertebral compression (methods.md §6, §10): PMMA layers on both endplates, inferior outer face fixed
// in x, y, z, superior outer face pushed along −z by a fraction of H (the distance between the caps'
// outer faces), x and y free.
import OpenBCTCore

public struct VertebralCompression: Sendable, Codable {
    public enum Mode: String, Sendable, Codable {
        /// Ogo/parosol-py reference convention: posterior elements kept.
        case ogoCompatible = "ogo"
        /// Clinical: posterior elements removed (−0.3 to −0.6 % stiffness).
        case clinical
    }

    public var mode: Mode
    public var bodyLabel: Int32
    public var posteriorLabels: Set<Int32>
    public var caps: CapGeometry
    /// Superior-cap displacement as a fraction of H (Ogo linear endpoint 0.68 %).
    public var strain: Double
    public var voxelSize: Double
    public var materials: MaterialOptions

    public init(mode: Mode = .ogoCompatible, bodyLabel: Int32 = 20, posteriorLabels: Set<Int32> = [48],
                caps: CapGeometry = CapGeometry(), strain: Double = 0.0068, voxelSize: Double = 1.0,
                materials: MaterialOptions = .ogoCompatible(law: .vertebraKopperdahl)) {
        self.mode = mode; self.bodyLabel = bodyLabel; self.posteriorLabels = posteriorLabels; self.caps = caps
        self.strain = strain; self.voxelSize = voxelSize; self.materials = materials
    }

    /// Builds the model from density (mg/cm³ K2HPO4) and labels. `frame` = the vertebral frame
    /// (z superior); nil = `VertebralFrame.automatic`.
    public func build<L: VoxelValue>(density: Volume<Float>, labels: Volume<L>, frame: LatticeFrame? = nil) throws -> LoadCaseModel {
        let latticeFrame = try frame ?? VertebralFrame.automatic(labels: labels, bodyLabel: bodyLabel)
        let modelLabels: Set<Int32> = mode == .ogoCompatible ? posteriorLabels.union([bodyLabel]) : [bodyLabel]
        let margin = Int(((caps.thickness - caps.intrusion) / voxelSize).rounded(.up)) + 2
        var mesh = try VoxelMesh.sample(density: density, labels: labels, modelLabels: modelLabels,
                                        frame: latticeFrame, voxelSize: voxelSize, margin: margin)
        let islands = mesh.removeIslands()
        let body = bodyLabel
        let isBody: (VoxelMesh, Int) -> Bool = { m, c in m.labels[c] == body && m.material[c] == FEModel.boneMaterial }
        let snapshot = mesh
        let inferior = try mesh.addCap(side: .bottom, geometry: caps) { isBody(snapshot, $0) }
        let superior = try mesh.addCap(side: .top, geometry: caps) { isBody(snapshot, $0) }
        var (model, bone) = mesh.model(materials: materials)
        let H = Double(superior.outerFace - inferior.outerFace) * voxelSize
        let displacement = -strain * H
        model.constrain(inferior.outerFaceNodes, dofs: [0, 1, 2], value: 0)
        model.constrain(superior.outerFaceNodes, dofs: [2], value: displacement)
        model.reactionNodeSets = [loadedNodeSet: superior.outerFaceNodes, "fixed": inferior.outerFaceNodes]
        try model.validate()
        let pmma = model.materialID.reduce(0) { $0 + ($1 == FEModel.pmmaMaterial ? 1 : 0) }
        let summary = LoadCaseSummary(
            protocolName: mode == .ogoCompatible ? "vertebra-compression-ogo" : "vertebra-compression",
            loadAxis: 2, appliedDisplacement: displacement, referenceLength: H, displacementFraction: strain,
            latticeOrigin: [model.origin.x, model.origin.y, model.origin.z], latticeAxes: model.direction.columnArrays,
            frameSource: frame == nil ? "automatic: mean endplate normal (vertebral-body principal axes as start)" : "given",
            voxelSize: voxelSize, latticeDims: [model.dims.x, model.dims.y, model.dims.z],
            modelLabels: modelLabels.sorted(), materials: materials,
            caps: [CapSummary(name: "inferior", placed: inferior), CapSummary(name: "superior", placed: superior)],
            constraints: [ConstraintSummary(nodeSet: "fixed", dofs: [0, 1, 2], value: 0, nodes: inferior.outerFaceNodes.count),
                          ConstraintSummary(nodeSet: loadedNodeSet, dofs: [2], value: displacement, nodes: superior.outerFaceNodes.count)],
            boneElements: model.elements.count - pmma, pmmaElements: pmma, flooredElements: bone.flooredCount,
            islands: islands, parameters: ["capThickness_mm": caps.thickness, "capIntrusion_mm": caps.intrusion])
        return LoadCaseModel(model: model, mesh: mesh, summary: summary)
    }
}

extension CapSummary {
    init(name: String, placed: PlacedCap) {
        self.init(name: name, side: placed.side, outerFaceLayer: placed.outerFace, pmmaElements: placed.pmmaCells,
                  footprintColumns: placed.footprintColumns, outerFaceNodes: placed.outerFaceNodes.count)
    }
}
