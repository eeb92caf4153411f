// Multigrid coarse levels re-derived from per-element scales of the fine level (the tangent-aware coarse
// levels of the Newton corrections): against a re-discretisation assembled here element by element, and
// against a hierarchy built from scratch on those scales.
import Foundation
import Testing
@testable import FE
import OpenBCTCore

@Suite("Tangent-aware coarse levels")
struct TangentCoarseLevelsTests {
    /// A 16×16×24 block, moduli 10…10⁴ MPa, bottom held, top pushed down: three multigrid levels.
    func heterogeneousBlock() throws -> ModelSystem {
        let dims = SIMD3(16, 16, 24)
        var model = SolverTestModels.block(dims, h: 0.5)
        var seed: UInt64 = 2024
        model.youngsModulus = model.youngsModulus.map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(pow(10, 1 + 3 * Double(seed >> 11) / Double(1 << 53)))
        }
        var constraints: [Constraint] = []
        for n in SolverTestModels.face(model, axis: 2, layer: 0) { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in SolverTestModels.face(model, axis: 2, layer: dims.z) { constraints.append(Constraint(node: n, dof: 2, value: -0.01)) }
        model.constraints = constraints
        return try ModelSystem(model)
    }

    static func random(_ count: Int, seed start: UInt64, in range: ClosedRange<Double>) -> [Double] {
        var seed = start
        return (0..<count).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + (range.upperBound - range.lowerBound) * Double(seed >> 11) / Double(1 << 53)
        }
    }

    /// Re-discretisation written out: per coarse cell (i/2, j/2, k/2) the children's scales summed over 4,
    /// keyed by the coarse cell's corner node in the coarse node lattice.
    static func coarseCells(_ scale: [Double], corners: [Int32], nodeDims: SIMD3<Int>) -> (scale: [Int32: Double], nodeDims: SIMD3<Int>) {
        let coarseNodes = (nodeDims &- 1 &+ 1) / 2 &+ 1
        var out: [Int32: Double] = [:]
        for (e, n0) in corners.enumerated() {
            let n = Int(n0), i = n % nodeDims.x, j = (n / nodeDims.x) % nodeDims.y, k = n / (nodeDims.x * nodeDims.y)
            let corner = Int32(i / 2 + coarseNodes.x * (j / 2 + coarseNodes.y * (k / 2)))
            out[corner, default: 0] += scale[e] / 4
        }
        return (out, coarseNodes)
    }

    /// The 8 nodes of the cube with corner node `corner`, in K̂'s local order (lexicographic: i fastest, then j, k).
    static func cubeNodes(_ corner: Int32, _ nodeDims: SIMD3<Int>) -> [Int] {
        let c = Int(corner), row = nodeDims.x, layer = nodeDims.x * nodeDims.y
        return [c, c + 1, c + row, c + row + 1, c + layer, c + layer + 1, c + layer + row, c + layer + row + 1]
    }

    /// y = Σ_c s_c·K̂·x_c in plain scalar loops (no lattice kernel).
    static func product(_ cells: [Int32: Double], nodeDims: SIMD3<Int>, unit: [Double], _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for (corner, s) in cells {
            let local = cubeNodes(corner, nodeDims)
            for a in 0..<24 {
                var sum = 0.0
                for b in 0..<24 { sum += unit[a * 24 + b] * x[3 * local[b / 3] + b % 3] }
                y[3 * local[a / 3] + a % 3] += s * sum
            }
        }
        return y
    }

    /// diag(Σ_c s_c·K̂) in plain loops.
    static func diagonal(_ cells: [Int32: Double], nodeDims: SIMD3<Int>, unit: [Double]) -> [Double] {
        var d = [Double](repeating: 0, count: 3 * nodeDims.x * nodeDims.y * nodeDims.z)
        for (corner, s) in cells {
            for (l, n) in cubeNodes(corner, nodeDims).enumerated() {
                for axis in 0..<3 { d[3 * n + axis] += s * unit[(3 * l + axis) * 25] }
            }
        }
        return d
    }

    @Test("re-derived coarse levels equal the re-discretisation of the new fine scales, assembled element by element")
    func coarseLevelsMatchAssembledReference() throws {
        let system = try heterogeneousBlock()
        let multigrid = try MultigridPreconditioner(op: system.op, free: system.free)
        #expect(multigrid.levels.count == 3, "one level between the fine and the coarsest")
        let fine = system.op.scale
        let tangentScales = zip(fine, Self.random(fine.count, seed: 7, in: 0.01...1)).map { $0 * $1 }
        multigrid.rederiveCoarseLevels(fineScale: tangentScales)
        var reference = (scale: [Int32: Double](), nodeDims: system.op.nodeDims)
        var scale = tangentScales, corners = system.op.cornerNode
        for level in multigrid.levels.dropFirst().dropLast() {   // the coarsest level's factor stays as built
            reference = Self.coarseCells(scale, corners: corners, nodeDims: reference.nodeDims)
            #expect(level.op.nodeDims == reference.nodeDims)
            #expect(level.op.elementCount == reference.scale.count)
            var worstScale = 0.0
            for (e, corner) in level.op.cornerNode.enumerated() {
                worstScale = max(worstScale, abs(level.op.scale[e] / reference.scale[corner]! - 1))
            }
            #expect(worstScale < 1e-12, "scales: largest relative difference \(worstScale)")
            // The level's (single-precision) product and smoother diagonal against the reference.
            let x = Self.random(level.op.dofCount, seed: 11, in: -1...1)
            let expected = Self.product(reference.scale, nodeDims: reference.nodeDims, unit: level.op.unitStiffness, x)
            let xf = level.op.makeFloatVector(), yf = level.op.makeFloatVector()
            for i in 0..<x.count { xf[i] = Float(x[i]) }
            level.op.apply(xf, into: yf)
            let norm = expected.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let difference = (0..<x.count).reduce(0.0) { $0 + pow(Double(yf[$1]) - expected[$1], 2) }.squareRoot()
            #expect(difference / norm < 1e-5, "product: relative difference \(difference / norm)")
            let diagonal = Self.diagonal(reference.scale, nodeDims: reference.nodeDims, unit: level.op.unitStiffness)
            var worstDiagonal = 0.0
            for i in 0..<x.count where level.free[i] != 0 { worstDiagonal = max(worstDiagonal, abs(Double(level.invDiag[i]) * diagonal[i] - 1)) }
            #expect(worstDiagonal < 1e-6, "1/diag: largest relative difference \(worstDiagonal)")
            scale = level.op.scale; corners = level.op.cornerNode
        }
    }

    @Test("re-derived levels (scales, Chebyshev bounds) equal those of a hierarchy built on the same fine scales, and go back exactly")
    func rederivedEqualsBuilt() throws {
        let system = try heterogeneousBlock()
        let multigrid = try MultigridPreconditioner(op: system.op, free: system.free)
        let r = system.op.makeVector()
        for (i, v) in Self.random(r.count, seed: 5, in: -1...1).enumerated() where system.free[i] != 0 { r[i] = v }
        func vcycle(_ m: MultigridPreconditioner) -> [Double] {
            let z = system.op.makeVector()
            m.apply(r, into: z)
            return (0..<z.count).map { z[$0] }
        }
        let elastic = vcycle(multigrid)
        let tangentScales = zip(system.op.scale, Self.random(system.op.elementCount, seed: 3, in: 0.01...1)).map { $0 * $1 }
        multigrid.rederiveCoarseLevels(fineScale: tangentScales)
        let rederived = vcycle(multigrid)
        // From scratch: the fine level keeps the elastic operator (it is the model's), the coarse levels come
        // from the new scales — coarsening an operator that carries them and keeping its coarse levels.
        let scaled = LatticeOperator(elementDims: system.model.dims, cells: system.model.elements, scale: tangentScales,
                                     unitStiffness: system.op.unitStiffness)
        let built = try MultigridPreconditioner(op: scaled, free: system.free)
        #expect(built.levels.count == multigrid.levels.count)
        for l in 1..<built.levels.count - 1 {
            #expect(built.levels[l].op.scale == multigrid.levels[l].op.scale)
            #expect(built.levels[l].lambdaMax == multigrid.levels[l].lambdaMax)
        }
        #expect(rederived != elastic)
        multigrid.rederiveCoarseLevels(fineScale: nil)
        #expect(vcycle(multigrid) == elastic, "back to the hierarchy as built")
    }

    @Test("a plastic element's effective scale is its tangent's trace over 24·K̂_ii: the diagonal change probed with unit vectors")
    func effectiveScalesAreTangentTraces() throws {
        // A 3×3×6 column whose two middle layers yield (tiny yield strains), the rest far from yield, so no
        // plastic element touches a constrained node and the trace identity holds over the free DOFs.
        let dims = SIMD3(3, 3, 6)
        var model = SolverTestModels.block(dims, h: 0.5, E: 1000)
        model.youngsModulus = model.elements.indices.map { Float(700 + 97 * ($0 % 6)) }
        let middle = { (e: Int) in (2...3).contains(e / (dims.x * dims.y)) }
        model.yieldStrain = model.elements.indices.map { middle($0) ? SIMD2(0.0005, 0.0008) : SIMD2(0.5, 0.5) }
        let bottom = SolverTestModels.face(model, axis: 2, layer: 0), top = SolverTestModels.face(model, axis: 2, layer: dims.z)
        var constraints: [Constraint] = []
        for n in bottom { for d in 0..<3 { constraints.append(Constraint(node: n, dof: UInt8(d), value: 0)) } }
        for n in top { constraints += [Constraint(node: n, dof: 0, value: 0.004), Constraint(node: n, dof: 2, value: -0.02)] }
        model.constraints = constraints
        let system = try ModelSystem(model)
        let u = system.prescribed(scaledBy: 1)
        for (i, v) in Self.random(u.count, seed: 99, in: -0.002...0.002).enumerated() where system.free[i] != 0 { u[i] = v }
        let force = try InternalForce(system: system, criterion: .principalStrain)
        let tangent = TangentStiffness(system: system, gradients: force.gradients)
        _ = force.evaluate(u, into: system.op.makeVector(), state: PlasticState(elementCount: model.elements.count),
                           commit: false, tangent: tangent, residual: 1e-2, consistent: true)
        let plastic = Set(tangent.slabs.flatMap { $0.elements.map(Int.init) })
        #expect(!plastic.isEmpty && plastic.allSatisfy(middle), "plastic elements \(plastic.sorted())")
        var effective = system.op.scale
        effective.withUnsafeMutableBufferPointer { tangent.diagonal(elastic: system.op.diagonal(), into: system.op.makeVector(), effectiveScales: $0.baseAddress!) }
        for e in model.elements.indices where !plastic.contains(e) { #expect(effective[e] == system.op.scale[e]) }
        let traceChange = plastic.reduce(0.0) { $0 + (effective[$1] - system.op.scale[$1]) * 24 * system.op.unitStiffness[0] }
        // Σ over free DOFs of e_iᵀ·(K_T − K)·e_i, each entry from the two operators' products.
        let unit = system.op.makeVector(), tangentColumn = system.op.makeVector(), elasticColumn = system.op.makeVector()
        var probed = 0.0
        for i in 0..<u.count where system.free[i] != 0 {
            unit.fill(0); unit[i] = 1
            tangent.apply(unit, into: tangentColumn); system.op.apply(unit, into: elasticColumn)
            probed += tangentColumn[i] - elasticColumn[i]
        }
        #expect(probed < 0, "yielding softens the tangent")
        #expect(abs(traceChange / probed - 1) < 1e-5, "trace change \(traceChange) against probed \(probed)")
    }

    @Test("tangent coarse levels leave the converged curve of a yielding block unchanged within the equilibrium tolerance")
    func sameCurve() throws {
        // 16×16×24, moduli ±40 % around 1000 MPa, bottom held, top compressed to 1.2 % strain: three levels, so
        // there is a coarse level to re-derive.
        let model = SolverTestModels.compressedBlock(SIMD3(16, 16, 24), lowest: 600, spread: 800, strain: 0.012)
        #expect(try PreconditionedSystem(system: ModelSystem(model), preconditioner: .multigrid).levelCount == 3)
        // Both tangents: GMRES (consistent) and PCG, which needs the re-derived V-cycle to stay SPD (symmetric).
        for kind in NonlinearOptions.Tangent.allCases {
            var options = NonlinearOptions(steps: 6, forceSet: "top", loadDirection: Vec3(0, 0, -1), tangent: kind)
            options.tangentCoarseLevels = false
            let elastic = try NonlinearSolver.solve(model, options: options)
            options.tangentCoarseLevels = true
            let tangent = try NonlinearSolver.solve(model, options: options)
            let krylov = { (c: ForceDisplacementCurve) in c.points.reduce(0) { $0 + $1.pcgIterations + $1.failedPcgIterations } }
            print("tangent coarse levels, \(kind) tangent: Krylov \(krylov(elastic)) → \(krylov(tangent)), strength \(elastic.strength) → \(tangent.strength) N")
            #expect(tangent.points.last!.yieldedElementFraction > 0.3)
            #expect(abs(tangent.strength / elastic.strength - 1) < 2e-3, "\(kind): \(tangent.strength) N vs \(elastic.strength) N")
        }
    }
}
