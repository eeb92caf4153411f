// Gaussian smoothing with sigma in millimetres (per-axis kernels on anisotropic grids).
import OpenBCTCore

public enum GaussianSmoothing {
    /// Smooths `volume` with an isotropic Gaussian of standard deviation `sigma` mm (kernel cut at
    /// 3σ, edges replicated). An axis whose spacing exceeds 2σ is left alone: its kernel would be a
    /// single tap.
    public static func smooth(_ volume: Volume<Float>, sigma: Double) -> Volume<Float> {
        let n = volume.grid.dims, sp = volume.grid.spacing
        func kernel(_ axis: Int) -> [Float]? {
            let s = sigma / sp[axis]
            return s >= 0.5 && n[axis] > 1 ? SeparableConvolution.gaussianKernel(sigma: s) : nil
        }
        var out = volume
        SeparableConvolution.convolve(&out, x: kernel(0), y: kernel(1), z: kernel(2))
        return out
    }
}
