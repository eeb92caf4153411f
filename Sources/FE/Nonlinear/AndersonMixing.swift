// Anderson acceleration for the equilibrium iterations of the nonlinear solver.

/// Anderson acceleration of the fixed-point map x ↦ x + Δ(x) (Walker & Ni 2011, type II).
final class AndersonMixing {
    let depth: Int
    private var dX: [SolverVector] = [], dF: [SolverVector] = []
    private var previousX: SolverVector?, previousF: SolverVector?

    init(depth: Int, count: Int) { self.depth = depth }

    /// x ← the mixed update from the current iterate x and its correction f = Δ(x).
    func update(_ x: SolverVector, _ f: SolverVector) {
        guard depth > 0 else { x.add(1, f); return }
        if let px = previousX, let pf = previousF {
            // Reuse the oldest history vectors when full.
            let ddx = dX.count == depth ? dX.removeFirst() : SolverVector(count: x.count)
            let ddf = dF.count == depth ? dF.removeFirst() : SolverVector(count: x.count)
            ddx.copy(from: x); ddx.add(-1, px)
            ddf.copy(from: f); ddf.add(-1, pf)
            dX.append(ddx); dF.append(ddf)
        }
        let px = previousX ?? SolverVector(count: x.count), pf = previousF ?? SolverVector(count: x.count)
        px.copy(from: x); pf.copy(from: f)
        previousX = px; previousF = pf
        let m = dF.count
        guard m > 0 else { x.add(1, f); return }
        // γ = argmin ‖f − ΔF·γ‖ by the (slightly regularised) normal equations.
        var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
        for i in 0..<m {
            b[i] = dF[i].dot(f)
            for j in 0...i { let v = dF[i].dot(dF[j]); a[i * m + j] = v; a[j * m + i] = v }
        }
        let trace = (0..<m).reduce(0) { $0 + a[$1 * m + $1] }
        for i in 0..<m { a[i * m + i] += 1e-10 * trace / Double(m) }
        guard let gamma = solveSymmetric(a, b, m) else { x.add(1, f); return }
        // x ← x + f − Σ γ_i (ΔX_i + ΔF_i)
        x.add(1, f)
        for i in 0..<m { x.add(-gamma[i], dX[i]); x.add(-gamma[i], dF[i]) }
    }

    /// Gaussian elimination with partial pivoting on a small dense system.
    private func solveSymmetric(_ a: [Double], _ b: [Double], _ m: Int) -> [Double]? {
        var a = a, b = b
        for c in 0..<m {
            guard let p = (c..<m).max(by: { abs(a[$0 * m + c]) < abs(a[$1 * m + c]) }), abs(a[p * m + c]) > 0 else { return nil }
            if p != c {
                for k in 0..<m { a.swapAt(c * m + k, p * m + k) }
                b.swapAt(c, p)
            }
            for r in (c + 1)..<m {
                let t = a[r * m + c] / a[c * m + c]
                for k in c..<m { a[r * m + k] -= t * a[c * m + k] }
                b[r] -= t * b[c]
            }
        }
        var x = [Double](repeating: 0, count: m)
        for r in stride(from: m - 1, through: 0, by: -1) {
            var s = b[r]
            for k in (r + 1)..<m { s -= a[r * m + k] * x[k] }
            x[r] = s / a[r * m + r]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
