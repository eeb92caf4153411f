// Matrix3: the symmetric eigen-decomposition used for principal axes.
import Testing
@testable import OpenBCTCore

@Suite struct GeometryTests {
    @Test("symmetric eigen-decomposition recovers a rotated diagonal matrix (R·diag·Rᵀ)")
    func symmetricEigen() {
        let r = Matrix3.rotation(axis: [1, -2, 0.5], angle: 0.7)
        let diag = Matrix3(columns: [5, 0, 0], [0, 2, 0], [0, 0, 0.5])
        let (values, vectors) = (r * diag * r.transposed).symmetricEigen
        #expect(zip(values, [5.0, 2, 0.5]).allSatisfy { abs($0 - $1) < 1e-10 })
        for (v, expected) in zip(vectors, [r.c0, r.c1, r.c2]) { #expect(abs(abs(dot(v, expected)) - 1) < 1e-10) }
    }
}
