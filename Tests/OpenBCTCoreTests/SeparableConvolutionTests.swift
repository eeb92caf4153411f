// Separable convolution: a blurred impulse is the outer product of the three kernels.
import Testing
@testable import OpenBCTCore

@Suite struct SeparableConvolutionTests {
    @Test("an impulse blurred with kernels kx, ky, kz becomes kx ⊗ ky ⊗ kz; a constant stays constant")
    func impulseResponse() {
        let grid = ImageGrid(dims: [15, 13, 11])
        var v = Volume<Float>(grid: grid)
        v[7, 6, 5] = 1
        let kx = SeparableConvolution.gaussianKernel(sigma: 1.0), ky = SeparableConvolution.gaussianKernel(sigma: 0.7)
        let kz = SeparableConvolution.gaussianKernel(sigma: 1.3)
        #expect(abs(kx.reduce(0, +) - 1) < 1e-6 && kx.count == 7)
        SeparableConvolution.convolve(&v, x: kx, y: ky, z: kz)
        let rx = kx.count / 2, ry = ky.count / 2, rz = kz.count / 2
        var worst: Float = 0
        for k in 0..<11 { for j in 0..<13 { for i in 0..<15 {
            let dx = i - 7 + rx, dy = j - 6 + ry, dz = k - 5 + rz
            let inside = kx.indices.contains(dx) && ky.indices.contains(dy) && kz.indices.contains(dz)
            let expected = inside ? kx[dx] * ky[dy] * kz[dz] : 0
            worst = max(worst, abs(v[i, j, k] - expected))
        } } }
        #expect(worst < 1e-7)
        var c = Volume<Float>(grid: grid, repeating: 3)
        SeparableConvolution.convolve(&c, x: kx, y: nil, z: kz)
        #expect(c.voxels.allSatisfy { abs($0 - 3) < 1e-5 })
    }
}
