// The Gauss-points-as-lanes element kernels (strain B·u, force scatter Bᵀ·σ) against the scalar 6×24
// strain–displacement matrices of HexElement, point by point.
import Testing
@testable import FE

@Suite("Lane kernels")
struct LaneKernelTests {
    /// Deterministic pseudo-random values in [−1, 1).
    struct Noise {
        var seed: UInt64
        mutating func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 52) - 1
        }
    }

    /// An element's runs in a 3×3×3 node lattice (corner node 0): nodes at offsets 0, NX, NX·NY, NX + NX·NY.
    let runs = LatticeOperator.ElementRuns(r0: 0, r1: 9, r2: 27, r3: 36)

    /// Lattice offset of local DOF 3·l + d.
    func offset(_ dof: Int) -> Int { runs.node(dof / 3) + dof % 3 }

    /// Σ_g B_gᵀ·σ_g (24 local DOFs) with the scalar matrices, σ_g Voigt (xx, yy, zz, yz, xz, xy).
    func referenceScatter(_ stress: [[Double]]) -> [Double] {
        var f = [Double](repeating: 0, count: 24)
        for (g, p) in HexElement.gaussPoints.enumerated() {
            let b = HexElement.strainDisplacement(at: p)
            for j in 0..<24 { for c in 0..<6 { f[j] += b[c * 24 + j] * stress[g][c] } }
        }
        return f
    }

    @Test("Bᵀ·σ summed over the 8 Gauss points equals the scalar B matrices' sum, in double and single precision")
    func scatterMatchesScalarMatrices() {
        var noise = Noise(seed: 3)
        let stress = (0..<8).map { _ in (0..<6).map { _ in noise.next() } }
        let reference = referenceScatter(stress)
        func lanes(_ c: Int) -> SIMD8<Double> { SIMD8((0..<8).map { stress[$0][c] }) }
        let nodeGrad = nodeGradientLanes(HexElement.gaussGradientLanes)
        var y = [Double](repeating: 0.25, count: 48)   // the scatter adds to what is there
        nodeGrad.withUnsafeBufferPointer { g in
            scatterUnitCubeDivergence(g.baseAddress!, (lanes(0), lanes(1), lanes(2), lanes(3), lanes(4), lanes(5)), into: &y, runs)
        }
        var yf = [Float](repeating: 0.25, count: 48)
        nodeGrad.map(narrowed).withUnsafeBufferPointer { g in
            scatterUnitCubeDivergence(g.baseAddress!, (narrowed(lanes(0)), narrowed(lanes(1)), narrowed(lanes(2)),
                                                      narrowed(lanes(3)), narrowed(lanes(4)), narrowed(lanes(5))), into: &yf, runs)
        }
        let touched = Set((0..<24).map(offset))
        for j in 0..<24 {
            #expect(abs(y[offset(j)] - 0.25 - reference[j]) < 1e-14, "DOF \(j): \(y[offset(j)] - 0.25) vs \(reference[j])")
            #expect(abs(Double(yf[offset(j)]) - 0.25 - reference[j]) < 1e-5, "DOF \(j) (Float)")
        }
        for i in 0..<48 where !touched.contains(i) { #expect(y[i] == 0.25 && yf[i] == 0.25, "lattice DOF \(i) not the element's") }
    }

    @Test("B·u at the 8 Gauss points equals the scalar B matrices' products")
    func strainMatchesScalarMatrices() {
        var noise = Noise(seed: 11)
        let u = (0..<48).map { _ in noise.next() }
        let strain = HexElement.gaussGradientLanes.withUnsafeBufferPointer { unitCubeStrain($0.baseAddress!, u, runs) }
        let components = [strain.xx, strain.yy, strain.zz, strain.yz, strain.xz, strain.xy]
        for (g, p) in HexElement.gaussPoints.enumerated() {
            let b = HexElement.strainDisplacement(at: p)
            for c in 0..<6 {
                let expected = (0..<24).reduce(0.0) { $0 + b[c * 24 + $1] * u[offset($1)] }
                #expect(abs(components[c][g] - expected) < 1e-14, "point \(g), component \(c)")
            }
        }
    }
}
