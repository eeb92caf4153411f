// Schileo's principal-strain criterion from a linear solve (Schileo et al. 2008, 2014).

/// Schileo criterion: the load at which the first node reaches a principal strain of 0.73 % in
/// tension or 1.04 % in compression (risk factor 1), found by scaling the linear solution.
public enum Schileo {
    public struct Result: Sendable, Equatable {
        /// Largest risk factor max(ε₁/ε_t, −ε₃/ε_c) over the nodes examined, at the applied load.
        public var maximumRiskFactor: Double
        /// Lattice node where it occurs.
        public var criticalNode: Int32
        /// Whether that node fails in tension (else compression).
        public var tensile: Bool
        /// |applied reaction| / maximumRiskFactor (N).
        public var failureLoad: Double
    }

    /// Nodal strains are the average of the centroid strains of the adjacent bone elements. Nodes
    /// touching a PMMA element (load and support interfaces) are skipped by default; with
    /// `surfaceOnly` only nodes with fewer than 8 adjacent elements count (Schileo evaluates the
    /// bone surface).
    public static func failureLoad(model: FEModel, fields: ElementFields, reactionForce: Double,
                                   tensileLimit: Double = 0.0073, compressiveLimit: Double = 0.0104,
                                   surfaceOnly: Bool = true, skipNodesTouchingPMMA: Bool = true) throws -> Result {
        let nodeCount = model.nodeDims.x * model.nodeDims.y * model.nodeDims.z
        var sum = [Double](repeating: 0, count: 6 * nodeCount)
        var boneCount = [UInt8](repeating: 0, count: nodeCount), allCount = [UInt8](repeating: 0, count: nodeCount)
        var touchesPMMA = [Bool](repeating: false, count: nodeCount)
        for (e, cell) in model.elements.enumerated() {
            let bone = model.materialID[e] == FEModel.boneMaterial
            for n in model.elementNodes(cell: cell) {
                let i = Int(n)
                allCount[i] += 1
                if model.materialID[e] == FEModel.pmmaMaterial { touchesPMMA[i] = true }
                guard bone else { continue }
                boneCount[i] += 1
                for r in 0..<6 { sum[6 * i + r] += fields.strain[6 * e + r] }
            }
        }
        var best = Result(maximumRiskFactor: -1, criticalNode: -1, tensile: true, failureLoad: 0)
        for i in 0..<nodeCount where boneCount[i] > 0 {
            if surfaceOnly && allCount[i] == 8 { continue }
            if skipNodesTouchingPMMA && touchesPMMA[i] { continue }
            let w = 1 / Double(boneCount[i])
            let t = SymmetricTensor(engineeringStrain: (sum[6 * i] * w, sum[6 * i + 1] * w, sum[6 * i + 2] * w,
                                                        sum[6 * i + 3] * w, sum[6 * i + 4] * w, sum[6 * i + 5] * w))
            let (e1, _, e3) = t.principalValues
            let rt = e1 / tensileLimit, rc = -e3 / compressiveLimit
            let r = max(rt, rc)
            if r > best.maximumRiskFactor { best = Result(maximumRiskFactor: r, criticalNode: Int32(i), tensile: rt >= rc, failureLoad: 0) }
        }
        guard best.maximumRiskFactor > 0 else { throw FEError.invalidModel("Schileo: no strained bone node to evaluate") }
        best.failureLoad = abs(reactionForce) / best.maximumRiskFactor
        return best
    }
}
