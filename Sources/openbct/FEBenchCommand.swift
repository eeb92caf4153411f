// `openbct fe-bench`: solver scaling on synthetic bone-like models (hidden; used by Benchmarks/fe).
import ArgumentParser
import FE
import Foundation
import OpenBCTCore

struct FEBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fe-bench",
        abstract: "Time the FE linear solver on a synthetic bone-like compression model.",
        shouldDisplay: false)

    @Option(help: "Approximate number of elements of the synthetic model.")
    var elements: Int = 100_000

    @Option(help: "Preconditioner: multigrid or jacobi.")
    var preconditioner: String = "multigrid"

    @Option(help: "Relative residual tolerance.")
    var tolerance: Double = 1e-6

    @Option(help: "Also run the principal-strain elastic–perfectly plastic solve to 2 % strain, first increment 1/N of it (0: linear only).")
    var nonlinearSteps: Int = 0

    @Option(help: "Nonlinear equilibrium tolerance ‖r‖/‖reactions‖ (default: the solver's default criterion).")
    var equilibriumTolerance: Double?

    @Option(help: "Nonlinear largest increment (share of the deformation limit).")
    var maxIncrement: Double = NonlinearOptions(forceSet: "", loadDirection: .zero).maxIncrement

    @Option(help: "Nonlinear tangent: symmetric (PCG) or consistent (GMRES).")
    var tangent: String = "consistent"

    @Option(help: "Nonlinear tangent stiffness floor in yielded directions (fraction of elastic).")
    var residualStiffness: Double = NonlinearOptions(forceSet: "", loadDirection: .zero).residualStiffness

    func run() throws {
        guard let pc = Preconditioner(rawValue: preconditioner) else {
            throw ValidationError("unknown preconditioner '\(preconditioner)' (expected multigrid or jacobi)")
        }
        let t0 = Date()
        let model = FEModel.syntheticBone(targetElements: elements)
        let build = Date().timeIntervalSince(t0)
        let nodeCount = Set(model.elements.flatMap { model.elementNodes(cell: $0) }).count
        let matvec = try OperatorBenchmark.secondsPerProduct(model)
        do {
            let s = try LinearSolver.solve(model, options: SolverOptions(relativeTolerance: tolerance, preconditioner: pc))
            let top = s.reactionTotals["top"]?.z ?? .nan
            let height = Double(model.dims.z) * model.voxelSize
            let line: [String: Any] = [
                "elements": model.elements.count, "dofs": 3 * nodeCount, "lattice": [model.dims.x, model.dims.y, model.dims.z],
                "preconditioner": pc.rawValue, "levels": s.levels, "iterations": s.iterations,
                "relativeResidual": s.relativeResidual, "setup_s": s.timings.setup, "solve_s": s.timings.iterations,
                "matvec_ms": matvec * 1e3, "matvec_ms_per_million_elements": matvec * 1e3 / (Double(model.elements.count) / 1e6),
                "stiffness_N_per_mm": top / (-0.0068 * height), "model_build_s": build,
                "peak_rss_MiB": peakResidentMiB() ?? -1, "threads": parallelWidth,
            ]
            var record = line
            if nonlinearSteps > 0 { record["nonlinear"] = try nonlinearRecord(model) }
            let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } catch let error as FEError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Strength of the synthetic model compressed to 2 % of its height: bone yields at 0.78 % T /
    /// 0.84 % C (vertebral Morgan), PMMA at 70 MPa.
    private func nonlinearRecord(_ linearModel: FEModel) throws -> [String: Any] {
        guard let tangentKind = NonlinearOptions.Tangent(rawValue: tangent) else {
            throw ValidationError("unknown tangent '\(tangent)' (expected symmetric or consistent)")
        }
        var model = linearModel
        let scale = 0.02 / 0.0068
        model.constraints = model.constraints.map { Constraint(node: $0.node, dof: $0.dof, value: $0.value * scale) }
        model.yieldStrain = model.materialID.indices.map { e in
            model.materialID[e] == FEModel.pmmaMaterial ? SIMD2(repeating: 70 / 2500) : SIMD2(0.0078, 0.0084)
        }
        let convergence = equilibriumTolerance.map { EquilibriumCriterion.relativeResidual(tolerance: $0) } ?? NonlinearOptions.defaultConvergence
        let curve = try NonlinearSolver.solve(model, options: NonlinearOptions(
            steps: nonlinearSteps, forceSet: "top", loadDirection: Vec3(0, 0, -1), convergence: convergence,
            maxIncrement: maxIncrement, residualStiffness: residualStiffness,
            tangent: tangentKind))
        return ["strength_N": curve.strength, "seconds": curve.seconds, "linear_stiffness_N_per_mm": curve.linearStiffness,
                "iterations_per_step": curve.points.dropFirst().map(\.iterations),
                "pcg_iterations_per_step": curve.points.dropFirst().map(\.pcgIterations),
                "displacement_mm": curve.points.map(\.displacement), "cutbacks": curve.cutbacks,
                "internal_force_s": curve.internalForceSeconds, "krylov_s": curve.krylovSeconds,
                "force_N": curve.points.map(\.force), "yielded_fraction": curve.points.map(\.yieldedElementFraction)]
    }

    /// Peak resident set size of this process (Linux /proc), MiB.
    private func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }
}
