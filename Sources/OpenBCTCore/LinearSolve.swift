// Small dense linear systems (a few unknowns): shape fits in Anatomy, the calibration response fits.

/// Gaussian elimination with partial pivoting for small dense systems.
public enum LinearSolve {
    /// x with `a`·x = `b` (`a` square, rows of equal length); nil when a pivot vanishes (|pivot| ≤ 1e-14).
    public static func solve(_ a0: [[Double]], _ b0: [Double]) -> [Double]? {
        var a = a0, b = b0
        let n = b.count
        for col in 0..<n {
            guard let piv = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[piv][col]) > 1e-14 else { return nil }
            a.swapAt(col, piv); b.swapAt(col, piv)
            for r in (col + 1)..<n {
                let f = a[r][col] / a[col][col]
                guard f != 0 else { continue }
                for c in col..<n { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for c in (r + 1)..<n { s -= a[r][c] * x[c] }
            x[r] = s / a[r][r]
        }
        return x
    }
}
