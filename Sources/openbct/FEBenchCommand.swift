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
            let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } catch let error as FEError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Peak resident set size of this process (Linux /proc), MiB.
    private func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }
}
