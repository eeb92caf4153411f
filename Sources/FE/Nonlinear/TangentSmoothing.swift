// Tangent-aware multigrid smoothing for the Newton corrections. The V-cycle built once on the elastic
// stiffness keeps its coarse levels, but its fine level smooths with the current tangent K_T — its
// product and its own diagonal, refreshed before every correction — so the error in the yielded zone
// is smoothed with the stiffness that zone has now, not the elastic one it had. The Chebyshev interval
// stays the elastic level's: λ_max(D_T⁻¹K_T) estimated by power iteration came out within 2 % of the
// elastic λ_max and re-estimating it per increment changed no iteration count that mattered
// (docs/benchmarks.md, FE solver).
import OpenBCTCore

/// Points a multigrid's fine-level smoother at the tangent stiffness of the current Newton iterate.
final class TangentSmoothing {
    private let tangent: TangentStiffness
    private let multigrid: MultigridPreconditioner
    private let elasticDiagonal: SolverVector, diagonal: SolverVector
    private let inverseDiagonal: MultigridVector

    init(tangent: TangentStiffness, multigrid: MultigridPreconditioner) {
        self.tangent = tangent; self.multigrid = multigrid
        let op = tangent.system.op
        elasticDiagonal = op.diagonal(); diagonal = op.makeVector()
        inverseDiagonal = op.makeFloatVector()
    }

    /// Makes the fine level smooth with the tangent as it stands now (with the elastic operator while
    /// no point yields).
    func refresh() {
        guard tangent.slabs.contains(where: { !$0.elements.isEmpty }) else { release(); return }
        tangent.diagonal(elastic: elasticDiagonal, into: diagonal)
        let dp = diagonal.pointer, ip = inverseDiagonal.pointer, elastic = multigrid.fine.invDiag.pointer
        // A non-positive entry (possible for the nonsymmetric consistent tangent) keeps the elastic one.
        inverseDiagonal.forEachRange { r in for i in r { ip[i] = dp[i] > 0 ? Float(1 / dp[i]) : elastic[i] } }
        // The product runs in single precision on the multigrid's own vectors, like the elastic one it replaces.
        let tangent = self.tangent
        multigrid.smoothFineLevel(with: SmoothingOperator(apply: { a, b in tangent.apply(a, into: b) }, inverseDiagonal: inverseDiagonal))
    }

    /// Back to the elastic smoother.
    func release() { multigrid.smoothFineLevel(with: nil) }
}
