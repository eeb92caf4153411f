// A banded Cholesky factorisation: the exact solve on the coarsest multigrid level.

/// L·Lᵀ of a symmetric positive definite band matrix, rows stored densely over the band.
struct BandCholesky {
    let n: Int
    let bandwidth: Int
    /// Row i holds L[i, i−bandwidth … i] at i·(bandwidth+1) + (j − i + bandwidth).
    private var l: [Double]

    /// Factorises the matrix whose lower band is given row by row (see `l`). Pivots that are not
    /// positive (a singular coarse problem, e.g. a part held by no constraint at this resolution) are
    /// replaced by the original diagonal, so the factor — and the preconditioner — stays SPD.
    init(n: Int, bandwidth: Int, lowerBand: [Double]) {
        self.n = n; self.bandwidth = bandwidth
        var a = lowerBand
        let w = bandwidth + 1
        a.withUnsafeMutableBufferPointer { buf in
            let a = buf.baseAddress!
            for i in 0..<n {
                let jStart = max(0, i - bandwidth)
                let rowI = a + i * w - i + bandwidth   // rowI[j] = L[i, j]
                for j in jStart...i {
                    let rowJ = a + j * w - j + bandwidth
                    let kStart = max(jStart, j - bandwidth)
                    var s = rowI[j]
                    var k = kStart
                    while k < j { s -= rowI[k] * rowJ[k]; k += 1 }
                    if j < i {
                        rowI[j] = s / rowJ[j]
                    } else {
                        let original = lowerBand[i * w + bandwidth]
                        rowI[i] = (s > 1e-10 * original ? s : original).squareRoot()
                    }
                }
            }
        }
        l = a
    }

    /// Solves L·Lᵀ·x = b in place.
    func solve(_ b: inout [Double]) {
        let w = bandwidth + 1
        l.withUnsafeBufferPointer { buf in
            let a = buf.baseAddress!
            for i in 0..<n {   // forward: L y = b
                let row = a + i * w - i + bandwidth
                var s = b[i]
                for k in max(0, i - bandwidth)..<i { s -= row[k] * b[k] }
                b[i] = s / row[i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {   // backward: Lᵀ x = y
                let row = a + i * w - i + bandwidth
                b[i] /= row[i]
                let bi = b[i]
                for k in max(0, i - bandwidth)..<i { b[k] -= row[k] * bi }
            }
        }
    }
}
