// CalculiX/Abaqus input deck of exactly the model solved: same nodes, elements, moduli, constraints.
import Foundation
import OpenBCTCore

/// Writes an `FEModel` as a CalculiX (`ccx`) / Abaqus `.inp` deck.
///
/// - Coordinates are in the lattice frame (mm from lattice node (0,0,0) along the lattice axes), so
///   CalculiX dofs 1, 2, 3 are the lattice x, y, z of `Constraint.dof`; the LPS origin and axes are in
///   the heading comments.
/// - Node numbers are 1 + the position of the lattice node among the model's nodes in increasing
///   lattice-index order; element numbers are 1 + the element's position in `model.elements`.
/// - One material per distinct modulus value (exact: a binned model has ~130, an unbinned one one per
///   element), all with the model's Poisson's ratio.
/// - Step: `*STATIC` with every constraint as `*BOUNDARY`; `*NODE PRINT … TOTALS=ONLY` of RF on each
///   reaction node set (summed reaction in the .dat), and `*EL PRINT` of ELSE (element strain energy,
///   SED = ELSE / voxel volume).
public enum CalculixDeck {
    public struct Options: Sendable {
        /// Adds `*PLASTIC` (von Mises, perfectly plastic at this yield stress, MPa) to every material and
        /// uses `increments` equal increments.
        public var vonMisesYieldStress: Double?
        public var increments: Int
        /// Print element energies (large .dat for big models).
        public var printElementEnergy: Bool
        public init(vonMisesYieldStress: Double? = nil, increments: Int = 10, printElementEnergy: Bool = true) {
            self.vonMisesYieldStress = vonMisesYieldStress; self.increments = increments; self.printElementEnergy = printElementEnergy
        }
    }

    /// C3D8 corner order (counter-clockwise bottom face, then top) in `FEModel.elementNodes` terms.
    public static let c3d8Order = [0, 1, 3, 2, 4, 5, 7, 6]

    /// The model's nodes: sorted lattice indices of every element corner.
    public static func usedNodes(_ model: FEModel) -> [Int32] {
        var used = [Bool](repeating: false, count: model.nodeDims.x * model.nodeDims.y * model.nodeDims.z)
        for c in model.elements { for n in model.elementNodes(cell: c) { used[Int(n)] = true } }
        return used.indices.compactMap { used[$0] ? Int32($0) : nil }
    }

    /// The deck text.
    public static func text(_ model: FEModel, options: Options = Options()) throws -> String {
        try model.validate()
        let nodes = usedNodes(model)
        var number = [Int32: Int](minimumCapacity: nodes.count)
        for (i, n) in nodes.enumerated() { number[n] = i + 1 }
        var s = ""
        s.reserveCapacity(nodes.count * 48 + model.elements.count * 64)
        s += "*HEADING\nOpenBCT \(OpenBCT.version) voxel model: \(model.elements.count) C3D8, \(nodes.count) nodes\n"
        let o = model.origin, d = model.direction
        s += "** lattice frame: LPS origin \(o.x) \(o.y) \(o.z); axes x \(d.c0.x) \(d.c0.y) \(d.c0.z), y \(d.c1.x) \(d.c1.y) \(d.c1.z), z \(d.c2.x) \(d.c2.y) \(d.c2.z)\n"
        s += "*NODE, NSET=NALL\n"
        let h = model.voxelSize
        for (i, n) in nodes.enumerated() {
            let c = model.nodeCoordinates(n)
            s += "\(i + 1), \(Double(c.x) * h), \(Double(c.y) * h), \(Double(c.z) * h)\n"
        }
        s += "*ELEMENT, TYPE=C3D8, ELSET=EALL\n"
        for (e, cell) in model.elements.enumerated() {
            let corners = model.elementNodes(cell: cell)
            s += "\(e + 1)"
            for l in c3d8Order { s += ", \(number[corners[l]]!)" }
            s += "\n"
        }
        // Materials: group elements by exact modulus.
        var groups: [Float: [Int]] = [:]
        for (e, E) in model.youngsModulus.enumerated() { groups[E, default: []].append(e + 1) }
        for (m, E) in groups.keys.sorted().enumerated() {
            s += "*ELSET, ELSET=M\(m + 1)\n"
            appendList(groups[E]!, to: &s)
            s += "*MATERIAL, NAME=M\(m + 1)\n*ELASTIC\n\(Double(E)), \(model.poissonRatio)\n"
            if let sy = options.vonMisesYieldStress { s += "*PLASTIC\n\(sy), 0.0\n" }
            s += "*SOLID SECTION, ELSET=M\(m + 1), MATERIAL=M\(m + 1)\n"
        }
        for name in model.reactionNodeSets.keys.sorted() {
            s += "*NSET, NSET=\(setName(name))\n"
            appendList(model.reactionNodeSets[name]!.compactMap { number[$0] }, to: &s)
        }
        s += "*STEP\n"
        if options.vonMisesYieldStress != nil {
            let inc = 1.0 / Double(max(1, options.increments))
            s += "*STATIC, DIRECT\n\(inc), 1.0\n"
        } else {
            s += "*STATIC\n"
        }
        s += "*BOUNDARY\n"
        for c in model.constraints {
            guard let n = number[c.node] else {
                throw InputError(location: "constraint on node \(c.node)", "the node belongs to no element")
            }
            let dof = Int(c.dof) + 1
            s += "\(n), \(dof), \(dof), \(c.value)\n"
        }
        for name in model.reactionNodeSets.keys.sorted() {
            s += "*NODE PRINT, NSET=\(setName(name)), TOTALS=ONLY\nRF\n"
        }
        if options.printElementEnergy { s += "*EL PRINT, ELSET=EALL\nELSE\n" }
        s += "*END STEP\n"
        return s
    }

    /// Writes the deck atomically.
    public static func write(_ model: FEModel, to url: URL, options: Options = Options()) throws {
        try writeAtomically(Data(try text(model, options: options).utf8), to: url)
    }

    /// CalculiX set names: upper-case letters, digits and underscores.
    public static func setName(_ name: String) -> String {
        "N_" + String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    static func appendList(_ ids: [Int], to s: inout String) {
        for start in stride(from: 0, to: ids.count, by: 16) {
            s += ids[start ..< min(ids.count, start + 16)].map(String.init).joined(separator: ", ") + "\n"
        }
    }
}
