// Tangent-aware multigrid for the Newton corrections. The V-cycle is built once on the elastic stiffness,
// but its fine level smooths with the current tangent K_T — its product and its own diagonal, refreshed
// before every correction — so the error in the yielded zone is smoothed with the stiffness that zone has
// now, not the elastic one it had. The Chebyshev interval stays the elastic level's: λ_max(D_T⁻¹K_T)
// estimated by power iteration came out within 2 % of the elastic λ_max and re-estimating it per
// increment changed no iteration count that mattered (docs/benchmarks.md, FE solver).
//
// Optionally (`NonlinearOptions.tangentCoarseLevels`) the coarse levels follow the tangent too: at the
// first correction of every increment attempt each fine element gets an effective scale — s_e while it is
// elastic, tr(K_T,e)/(24·K̂_ii) once a point yields (its tangent's mean diagonal stiffness, from the same
// pass as the diagonal) — and the coarse levels between the fine and the coarsest are re-discretised from
// those scales as at construction, their Chebyshev bounds re-estimated. The coarsest level's Cholesky
// factor stays elastic (docs/fe-methods.md: why, and what was measured).
import OpenBCTCore

/// Points a multigrid's fine-level smoother (and, if asked, its coarse levels) at the tangent stiffness of
/// the current Newton iterate.
final class TangentSmoothing {
    private let tangent: TangentStiffness
    private let multigrid: MultigridPreconditioner
    private let elasticDiagonal: SolverVector, diagonal: SolverVector
    private let inverseDiagonal: MultigridVector
    /// Re-derive the coarse levels from the tangent at each increment attempt's first correction.
    private let coarseLevels: Bool
    /// The fine elements' effective scales (elastic s_e, tangent trace share when plastic).
    private var effectiveScales: [Double]
    /// Whether the coarse levels currently carry tangent scales (else they are as built).
    private var coarseFollowTangent = false

    init(tangent: TangentStiffness, multigrid: MultigridPreconditioner, coarseLevels: Bool = false) {
        self.tangent = tangent; self.multigrid = multigrid; self.coarseLevels = coarseLevels
        let op = tangent.system.op
        elasticDiagonal = op.diagonal(); diagonal = op.makeVector()
        inverseDiagonal = op.makeFloatVector()
        effectiveScales = coarseLevels ? op.scale : []
    }

    /// Makes the fine level smooth with the tangent as it stands now (with the elastic operator while
    /// no point yields); with `coarseLevels`, at an attempt's `firstCorrection` the coarse levels are
    /// re-derived from this tangent as well (and kept for the attempt's later corrections).
    func refresh(firstCorrection: Bool) {
        guard tangent.slabs.contains(where: { !$0.elements.isEmpty }) else {
            if coarseFollowTangent { multigrid.rederiveCoarseLevels(fineScale: nil); coarseFollowTangent = false }
            release(); return
        }
        if coarseLevels && firstCorrection {
            let op = tangent.system.op
            effectiveScales.withUnsafeMutableBufferPointer { scales in
                op.scale.withUnsafeBufferPointer { scales.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                tangent.diagonal(elastic: elasticDiagonal, into: diagonal, effectiveScales: scales.baseAddress!)
            }
            multigrid.rederiveCoarseLevels(fineScale: effectiveScales)
            coarseFollowTangent = true
        } else {
            tangent.diagonal(elastic: elasticDiagonal, into: diagonal)
        }
        let dp = diagonal.pointer, ip = inverseDiagonal.pointer, elastic = multigrid.fine.invDiag.pointer
        // A non-positive entry (possible for the nonsymmetric consistent tangent) keeps the elastic one.
        inverseDiagonal.forEachRange { r in for i in r { ip[i] = dp[i] > 0 ? Float(1 / dp[i]) : elastic[i] } }
        // The product runs in single precision on the multigrid's own vectors, like the elastic one it replaces.
        let product = tangent
        multigrid.smoothFineLevel(with: SmoothingOperator(apply: { a, b in product.apply(a, into: b) }, inverseDiagonal: inverseDiagonal))
    }

    /// Back to the elastic smoother (the coarse levels stay as they are until the next refresh).
    func release() { multigrid.smoothFineLevel(with: nil) }
}
