// Hip load cases (methods.md §6, §10), each built in its load frame so the load acts along lattice z:
// sideways fall (head cap pushed toward the ground, trochanter cap on the ground, distal shaft held in
// the two horizontal directions) and stance (joint force on the head cap, distal shaft fixed).
import OpenBCTCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct HipLoadCase: Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Sideways fall on the greater trochanter at tilt α and internal rotation β.
        case sidewaysFall = "hip-sideways-fall"
        /// Stance: joint force on the head at `stanceAngle` from the shaft axis in the frontal plane.
        case stance = "hip-stance"
    }

    public var kind: Kind
    public var femurLabels: Set<Int32>
    /// Shaft angle with the ground plane (degrees, head up).
    public var alphaDegrees: Double
    /// Internal rotation about the shaft axis (degrees).
    public var betaDegrees: Double
    /// Stance: angle between the joint force and the shaft axis (degrees) in the frontal plane.
    public var stanceAngleDegrees: Double
    public var caps: CapGeometry
    /// Head-cap displacement as a fraction of the model extent along the load axis (caps included).
    public var displacementFraction: Double
    /// Bone within this distance (mm) of the most distal bone, along the shaft axis, is restrained.
    public var distalFixationDepth: Double
    public var voxelSize: Double
    public var materials: MaterialOptions

    public init(kind: Kind = .sidewaysFall, femurLabels: Set<Int32>, alphaDegrees: Double = 10, betaDegrees: Double = 15,
                stanceAngleDegrees: Double = 20, caps: CapGeometry = CapGeometry(), displacementFraction: Double = 0.04,
                distalFixationDepth: Double = 5, voxelSize: Double = 1.0,
                materials: MaterialOptions = .ogoCompatible(law: .femurKeyak)) {
        self.kind = kind; self.femurLabels = femurLabels; self.alphaDegrees = alphaDegrees; self.betaDegrees = betaDegrees
        self.stanceAngleDegrees = stanceAngleDegrees; self.caps = caps; self.displacementFraction = displacementFraction
        self.distalFixationDepth = distalFixationDepth; self.voxelSize = voxelSize; self.materials = materials
    }

    /// The fall directions of methods.md §10 ("several directions"): α ∈ {0, 10, 20, 30}°, β ∈ {0, 15, 30}°.
    public static let fallDirections: [(alpha: Double, beta: Double)] =
        [0.0, 10, 20, 30].flatMap { a in [0.0, 15, 30].map { (a, $0) } }

    /// The load frame in LPS. Sideways fall: lattice z = the lab's upward vertical,
    /// v = cos α·(cos β·x + sin β·anterior) + sin α·z in femur-frame terms (head up, lateral side down,
    /// internal rotation turning the anterior surface upward), lattice x = the shaft axis projected onto
    /// the ground. Stance: lattice z = cos θ·z + sin θ·x (opposite to the joint force, which pushes the
    /// head distally and laterally), lattice x = the medial axis made orthogonal to it.
    public func loadFrame(_ femur: FemurFrame) throws -> LatticeFrame {
        let x = femur.frame.axes.c0, z = femur.frame.axes.c2, a = femur.anterior
        switch kind {
        case .sidewaysFall:
            let al = alphaDegrees * .pi / 180, be = betaDegrees * .pi / 180
            let up = cos(al) * (cos(be) * x + sin(be) * a) + sin(al) * z
            return try orthonormalFrame(origin: femur.frame.origin, z: up, approximateX: z)
        case .stance:
            let th = stanceAngleDegrees * .pi / 180
            return try orthonormalFrame(origin: femur.frame.origin, z: cos(th) * z + sin(th) * x, approximateX: x)
        }
    }

    /// Builds the model. `femurFrame` nil = `FemurFrame.automatic`.
    public func build<L: VoxelValue>(density: Volume<Float>, labels: Volume<L>, femurFrame: FemurFrame? = nil) throws -> LoadCaseModel {
        let femur = try femurFrame ?? FemurFrame.automatic(labels: labels, femurLabels: femurLabels)
        let frame = try loadFrame(femur)
        let margin = Int(((caps.thickness - caps.intrusion) / voxelSize).rounded(.up)) + 2
        var mesh = try VoxelMesh.sample(density: density, labels: labels, modelLabels: femurLabels,
                                        frame: frame, voxelSize: voxelSize, margin: margin)
        let islands = mesh.removeIslands()
        // Shaft coordinate of every cell centre; caps may only touch the proximal half of the femur.
        let shaft = femur.frame.axes.c2, g = mesh.grid
        var along = [Double](repeating: 0, count: mesh.material.count)
        var lo = Double.infinity, hi = -Double.infinity
        for c in along.indices {
            let p = g.physicalPoint(index: Vec3(Double(c % g.dims.x), Double((c / g.dims.x) % g.dims.y), Double(c / (g.dims.x * g.dims.y))))
            along[c] = dot(p - femur.frame.origin, shaft)
            if mesh.material[c] == FEModel.boneMaterial { lo = min(lo, along[c]); hi = max(hi, along[c]) }
        }
        let middle = (lo + hi) / 2
        let snapshot = mesh
        let proximalBone: (Int) -> Bool = { snapshot.material[$0] == FEModel.boneMaterial && along[$0] >= middle }
        let head = try mesh.addCap(side: .top, geometry: caps, footprintDepth: caps.intrusion, reference: proximalBone)
        let trochanter: PlacedCap? = kind == .sidewaysFall
            ? try mesh.addCap(side: .bottom, geometry: caps, footprintDepth: caps.intrusion, reference: proximalBone) : nil
        var (model, bone) = mesh.model(materials: materials)

        // Reference length: model extent along the load axis, caps included.
        var kMin = Int.max, kMax = Int.min
        for c in model.elements { let k = Int(c) / (g.dims.x * g.dims.y); kMin = min(kMin, k); kMax = max(kMax, k) }
        let L = Double(kMax + 1 - kMin) * voxelSize
        let displacement = -displacementFraction * L
        var distal = Set<Int32>()
        for c in model.elements where snapshot.material[Int(c)] == FEModel.boneMaterial && along[Int(c)] <= lo + distalFixationDepth {
            distal.formUnion(model.elementNodes(cell: c))
        }
        let distalNodes = distal.sorted()
        let distalDofs: [UInt8] = kind == .sidewaysFall ? [0, 1] : [0, 1, 2]
        model.constrain(head.outerFaceNodes, dofs: [2], value: displacement)
        model.constrain(distalNodes, dofs: distalDofs, value: 0)
        model.reactionNodeSets = [loadedNodeSet: head.outerFaceNodes, "distal": distalNodes]
        var capSummaries = [CapSummary(name: "head", placed: head)]
        var constraintSummaries = [ConstraintSummary(nodeSet: loadedNodeSet, dofs: [2], value: displacement, nodes: head.outerFaceNodes.count),
                                   ConstraintSummary(nodeSet: "distal", dofs: distalDofs.map(Int.init), value: 0, nodes: distalNodes.count)]
        if let trochanter {
            model.constrain(trochanter.outerFaceNodes, dofs: [2], value: 0)
            model.reactionNodeSets["trochanter"] = trochanter.outerFaceNodes
            capSummaries.append(CapSummary(name: "trochanter", placed: trochanter))
            constraintSummaries.append(ConstraintSummary(nodeSet: "trochanter", dofs: [2], value: 0, nodes: trochanter.outerFaceNodes.count))
        }
        try model.validate()
        let pmma = model.materialID.reduce(0) { $0 + ($1 == FEModel.pmmaMaterial ? 1 : 0) }
        var parameters = ["capThickness_mm": caps.thickness, "capIntrusion_mm": caps.intrusion,
                          "distalFixationDepth_mm": distalFixationDepth]
        if kind == .sidewaysFall { parameters["alpha_deg"] = alphaDegrees; parameters["beta_deg"] = betaDegrees }
        else { parameters["stanceAngle_deg"] = stanceAngleDegrees }
        let summary = LoadCaseSummary(
            protocolName: kind.rawValue, loadAxis: 2, appliedDisplacement: displacement, referenceLength: L,
            displacementFraction: displacementFraction,
            latticeOrigin: [model.origin.x, model.origin.y, model.origin.z], latticeAxes: model.direction.columnArrays,
            frameSource: femurFrame == nil ? "automatic: shaft = line through distal-slab centroids, head = top 10 mm" : "given",
            voxelSize: voxelSize, latticeDims: [model.dims.x, model.dims.y, model.dims.z],
            modelLabels: femurLabels.sorted(), materials: materials, caps: capSummaries, constraints: constraintSummaries,
            boneElements: model.elements.count - pmma, pmmaElements: pmma, flooredElements: bone.flooredCount,
            islands: islands, parameters: parameters)
        return LoadCaseModel(model: model, mesh: mesh, summary: summary)
    }
}
