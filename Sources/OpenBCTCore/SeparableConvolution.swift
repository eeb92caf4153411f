// Separable convolution of Float volumes (Gaussian blur): every pass is a sum of shifted contiguous rows
// (axpy), which the compiler vectorises; slices or rows run on all cores (serially under a serial `LoopSpread`).
import Dispatch
import Foundation

public enum SeparableConvolution {
    /// A normalised sampled Gaussian of standard deviation `sigma` (in samples), cut at 3σ.
    public static func gaussianKernel(sigma: Double) -> [Float] {
        let r = Int((3 * sigma).rounded(.up))
        let w = (-r...r).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let s = w.reduce(0, +)
        return w.map { Float($0 / s) }
    }

    /// `out[i] += k · src[i]` for `count` floats.
    @inline(__always) static func axpy(_ k: Float, _ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { out[i] += k * src[i] }
    }

    /// Convolves each of the `ny` rows (length `nx`) of `plane` along x, edges replicated.
    /// `work` needs `2·nx + kernel.count` floats.
    public static func convolveRows(_ plane: UnsafeMutablePointer<Float>, nx: Int, ny: Int, kernel: [Float],
                                    work: UnsafeMutablePointer<Float>) {
        let r = kernel.count / 2
        let padded = work, out = work + nx + 2 * r
        for j in 0..<ny {
            let row = plane + j * nx
            for t in 0..<r { padded[t] = row[0]; padded[r + nx + t] = row[nx - 1] }
            (padded + r).update(from: row, count: nx)
            out.update(repeating: 0, count: nx)
            for (q, k) in kernel.enumerated() { axpy(k, padded + q, out, nx) }
            row.update(from: out, count: nx)
        }
    }

    /// Convolves `lines` rows of `width` floats spaced `stride` apart (a column direction: y within a
    /// slice, or z across slices) along that direction, edges replicated. `copy` needs lines·width floats.
    public static func convolveAcross(_ base: UnsafeMutablePointer<Float>, lines: Int, width: Int, stride: Int,
                                      kernel: [Float], copy: UnsafeMutablePointer<Float>) {
        let r = kernel.count / 2
        for l in 0..<lines { (copy + l * width).update(from: base + l * stride, count: width) }
        for l in 0..<lines {
            let out = base + l * stride
            out.update(repeating: 0, count: width)
            for (q, k) in kernel.enumerated() {
                let src = min(max(l - r + q, 0), lines - 1)
                axpy(k, copy + src * width, out, width)
            }
        }
    }

    /// Convolves `v` in place along x, y and z with the given kernels (nil: that axis is left alone).
    public static func convolve(_ v: inout Volume<Float>, x kx: [Float]?, y ky: [Float]?, z kz: [Float]?) {
        let n = v.dims, plane = n.x * n.y
        v.voxels.withUnsafeMutableBufferPointer { buf in
            let p = SendablePointer(buf.baseAddress!)
            if kx != nil || ky != nil {
                let widest = max(kx?.count ?? 0, ky?.count ?? 0)
                concurrentIterations(n.z) { k in
                    let work = UnsafeMutablePointer<Float>.allocate(capacity: max(plane, 2 * n.x + widest))
                    defer { work.deallocate() }
                    if let kx { convolveRows(p.base + k * plane, nx: n.x, ny: n.y, kernel: kx, work: work) }
                    if let ky { convolveAcross(p.base + k * plane, lines: n.y, width: n.x, stride: n.x, kernel: ky, copy: work) }
                }
            }
            if let kz {
                // One image row (fixed j) through all slices at a time.
                concurrentIterations(n.y) { j in
                    let copy = UnsafeMutablePointer<Float>.allocate(capacity: n.z * n.x)
                    defer { copy.deallocate() }
                    convolveAcross(p.base + j * n.x, lines: n.z, width: n.x, stride: plane, kernel: kz, copy: copy)
                }
            }
        }
    }
}
