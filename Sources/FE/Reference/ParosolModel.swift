// parosol-py 0.1.26's exact models, as dumped by Tests/Python/parosol_model_dump.py: the peer's own
// mesh, moduli and fixed dofs become an FEModel, so our solver can be checked on the identical model.
import Foundation
import OpenBCTCore

/// A peer model with the peer's answers.
public struct ParosolModel: Sendable {
    public var model: FEModel
    /// The peer's strain-energy density per element (MPa), in `model.elements` order.
    public var peerSED: [Double]
    /// The peer's summed reaction on the prescribed dofs (N).
    public var peerReaction: Double
    /// The prescribed displacement (mm) and its lattice axis.
    public var prescribedDisplacement: Double
    public var loadAxis: Int

    private struct Meta: Decodable {
        var dims: [Int]
        var voxel_size: Double
        var poisson_ratio: Double
        var elements: Int
        var fixed_dofs: Int
        var prescribed_value_mm: Double
        var loaded_dof: Int
        var parosol_reaction_N: Double
    }

    /// Loads a dump folder (meta.json, cells.i32, moduli.f32, sed.f64, fixed_node.i32, fixed_dof.u8,
    /// fixed_value.f64). Nodes with a non-zero prescribed value form the `loaded` reaction set, the others `fixed`.
    /// Elements with modulus 2500 MPa are tagged PMMA (parosol's cap material).
    public static func load(dump folder: URL) throws -> ParosolModel {
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
        let metaURL = file("meta.json")
        let meta: Meta
        do { meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: metaURL)) }
        catch { throw InputError(path: metaURL.path, "unreadable model description: \(error)") }
        guard meta.dims.count == 3 else { throw InputError(path: metaURL.path, location: "dims", "expected 3 values") }
        let cells: [Int32] = try readArray(file("cells.i32"), count: meta.elements)
        let moduli: [Float] = try readArray(file("moduli.f32"), count: meta.elements)
        let sed: [Double] = try readArray(file("sed.f64"), count: meta.elements)
        let nodes: [Int32] = try readArray(file("fixed_node.i32"), count: meta.fixed_dofs)
        let dofs: [UInt8] = try readArray(file("fixed_dof.u8"), count: meta.fixed_dofs)
        let values: [Double] = try readArray(file("fixed_value.f64"), count: meta.fixed_dofs)
        var constraints: [Constraint] = []
        var loaded = Set<Int32>(), fixed = Set<Int32>()
        for i in 0..<meta.fixed_dofs {
            constraints.append(Constraint(node: nodes[i], dof: dofs[i], value: values[i]))
            if values[i] != 0 { loaded.insert(nodes[i]) } else { fixed.insert(nodes[i]) }
        }
        let model = FEModel(voxelSize: meta.voxel_size, dims: SIMD3(meta.dims[0], meta.dims[1], meta.dims[2]),
                            elements: cells, youngsModulus: moduli, poissonRatio: meta.poisson_ratio,
                            materialID: moduli.map { $0 == 2500 ? FEModel.pmmaMaterial : FEModel.boneMaterial },
                            constraints: constraints,
                            reactionNodeSets: [loadedNodeSet: loaded.sorted(), "fixed": fixed.subtracting(loaded).sorted()])
        do { try model.validate() } catch let e as InputError { throw e.at(path: folder.path) }
        return ParosolModel(model: model, peerSED: sed, peerReaction: meta.parosol_reaction_N,
                            prescribedDisplacement: meta.prescribed_value_mm, loadAxis: meta.loaded_dof)
    }

    /// The model as a load case (stiffness = |reaction / prescribed displacement| along the loaded dof).
    public func loadCase(source: String) -> LoadCaseModel {
        let pmma = model.materialID.reduce(0) { $0 + ($1 == FEModel.pmmaMaterial ? 1 : 0) }
        let summary = LoadCaseSummary(
            protocolName: "parosol-py exact model (\(source))", loadAxis: loadAxis,
            appliedDisplacement: prescribedDisplacement, referenceLength: 0, displacementFraction: 0,
            latticeOrigin: [0, 0, 0], latticeAxes: model.direction.columnArrays, frameSource: "peer lattice (voxel units)",
            voxelSize: model.voxelSize, latticeDims: [model.dims.x, model.dims.y, model.dims.z], modelLabels: [],
            materials: MaterialOptions(law: BoneMaterialLaw(name: "peer moduli", measure: .qct, modulus: PiecewisePowerLaw([]))),
            caps: [], constraints: [ConstraintSummary(nodeSet: loadedNodeSet, dofs: [loadAxis], value: prescribedDisplacement,
                                                      nodes: model.reactionNodeSets[loadedNodeSet]?.count ?? 0)],
            boneElements: model.elements.count - pmma, pmmaElements: pmma, flooredElements: 0,
            islands: IslandReport(components: 1, removedElements: 0), parameters: ["peerReaction_N": peerReaction])
        return LoadCaseModel(model: model, mesh: nil, summary: summary)
    }

    static func readArray<T: BitwiseCopyable>(_ url: URL, count: Int) throws -> [T] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InputError(path: url.path, "cannot read: \(error.localizedDescription)") }
        guard data.count == count * MemoryLayout<T>.stride else {
            throw InputError(path: url.path, "expected \(count) values of \(MemoryLayout<T>.stride) bytes, found \(data.count) bytes")
        }
        return [T](unsafeUninitializedCapacity: count) { buf, n in
            _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(buf)); n = count
        }
    }
}
