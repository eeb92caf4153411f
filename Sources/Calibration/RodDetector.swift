// Automatic detection of calibration rods: compact, round, uniform inserts brighter than a uniform background.
import OpenBCTCore

/// A rod found in a scan, before any density is assigned to it.
public struct DetectedRod: Sendable, Codable {
    /// In-plane continuous index of the rod centre and the axial slice where it is brightest.
    public var ci: Double, cj: Double
    public var peakSlice: Int
    /// Equivalent diameter (mm) of the half-contrast area on the peak slice.
    public var diameterMM: Double
    /// Median HU of the surrounding annulus and the rod's contrast over it.
    public var backgroundHU: Double
    public var contrastHU: Double
}

/// Finds circular uniform inserts (calibration rods, cardiac calcification inserts) in axial CT.
///
/// A rod is a local maximum of the in-plane-smoothed maximum-intensity projection that, on its
/// brightest slice, stands at least `minimumContrastHU` above an annulus whose spread (MAD) is small
/// against that contrast, and whose half-contrast area is a compact blob no wider than `maximumDiameterMM`.
public struct RodDetector: Sendable {
    public var minimumContrastHU: Double = 100
    public var maximumDiameterMM: Double = 10
    public var minimumDiameterMM: Double = 2

    public init() {}

    public func detect(in hu: Volume<Float>) -> [DetectedRod] {
        let n = hu.dims, g = hu.grid
        guard n.x >= 3, n.y >= 3, n.z >= 1 else { return [] }
        let smoothed = smoothedSlices(hu)
        // Maximum over slices: a rod anywhere along z shows at its (i, j).
        var mip = [Float](repeating: -.infinity, count: n.x * n.y)
        var argmax = [Int](repeating: 0, count: n.x * n.y)
        for k in 0..<n.z {
            let base = k * n.x * n.y
            for p in 0..<(n.x * n.y) where smoothed[base + p] > mip[p] { mip[p] = smoothed[base + p]; argmax[p] = k }
        }
        let radiusPx = max(1, Int((0.5 * minimumDiameterMM / g.spacing.x).rounded()))
        var rods: [DetectedRod] = []
        for j in radiusPx..<(n.y - radiusPx) {
            for i in radiusPx..<(n.x - radiusPx) {
                let v = mip[i + n.x * j]
                guard v > -200, isLocalMaximum(mip, n, i, j, radiusPx) else { continue }
                if let rod = measure(hu, smoothed, i: i, j: j, k: argmax[i + n.x * j]) { rods.append(rod) }
            }
        }
        // One detection per rod: keep the strongest within a rod's width.
        rods.sort { $0.contrastHU > $1.contrastHU }
        var kept: [DetectedRod] = []
        for r in rods where !kept.contains(where: {
            let dx = ($0.ci - r.ci) * g.spacing.x, dy = ($0.cj - r.cj) * g.spacing.y
            return (dx * dx + dy * dy).squareRoot() < max($0.diameterMM, r.diameterMM)
        }) { kept.append(r) }
        return kept
    }

    /// 3×3 in-plane box mean of every slice (suppresses single-voxel noise maxima).
    private func smoothedSlices(_ hu: Volume<Float>) -> [Float] {
        let n = hu.dims
        var out = hu.voxels
        hu.voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = SendableConstPointer(src.baseAddress!), d = SendablePointer(dst.baseAddress!)
                parallelFor(n.z) { k in
                    for j in 1..<(n.y - 1) { for i in 1..<(n.x - 1) {
                        var sum: Float = 0
                        for dj in -1...1 { for di in -1...1 { sum += s[i + di + n.x * (j + dj + n.y * k)] } }
                        d[i + n.x * (j + n.y * k)] = sum / 9
                    } }
                }
            }
        }
        return out
    }

    private func isLocalMaximum(_ img: [Float], _ n: SIMD3<Int>, _ i: Int, _ j: Int, _ r: Int) -> Bool {
        let v = img[i + n.x * j]
        for dj in -r...r { for di in -r...r where di != 0 || dj != 0 {
            let w = img[i + di + n.x * (j + dj)]
            // Ties broken by position so a flat top yields exactly one maximum.
            if w > v || (w == v && (dj < 0 || (dj == 0 && di < 0))) { return false }
        } }
        return true
    }

    /// Background annulus, contrast test and half-contrast blob for a candidate at (i, j) on slice k.
    private func measure(_ hu: Volume<Float>, _ smoothed: [Float], i: Int, j: Int, k: Int) -> DetectedRod? {
        let n = hu.dims, g = hu.grid
        let plane = n.x * n.y
        let inner = 0.6 * maximumDiameterMM, outer = 0.9 * maximumDiameterMM
        let ring = hu.discSamples(ci: Double(i), cj: Double(j), k: k, radiusMM: outer, include: { idx in
            let p = idx - k * plane
            let dx = Double(p % n.x - i) * g.spacing.x, dy = Double(p / n.x - j) * g.spacing.y
            return dx * dx + dy * dy >= inner * inner
        })
        guard let bg = RegionStatistics(ring), bg.count >= 8 else { return nil }
        let peak = Double(smoothed[i + n.x * (j + n.y * k)])
        let contrast = peak - bg.median
        guard contrast >= minimumContrastHU, bg.mad <= 0.25 * contrast else { return nil }
        // Flood the half-contrast blob from the peak, within the annulus' inner radius.
        let threshold = Float(bg.median + 0.5 * contrast)
        let limitPx = Int((inner / g.spacing.x).rounded(.down))
        var seen = Set<Int>([i + n.x * j]), stack = [(i, j)]
        var sumI = 0.0, sumJ = 0.0
        while let (a, b) = stack.popLast() {
            sumI += Double(a); sumJ += Double(b)
            for (da, db) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let x = a + da, y = b + db
                guard x >= 0, y >= 0, x < n.x, y < n.y else { continue }
                if abs(x - i) >= limitPx || abs(y - j) >= limitPx { return nil }  // not compact: no rod
                let p = x + n.x * y
                if !seen.contains(p), smoothed[p + k * plane] >= threshold { seen.insert(p); stack.append((x, y)) }
            }
        }
        let area = Double(seen.count) * g.spacing.x * g.spacing.y
        let diameter = 2 * (area / Double.pi).squareRoot()
        guard diameter >= minimumDiameterMM, diameter <= maximumDiameterMM else { return nil }
        let count = Double(seen.count)
        return DetectedRod(ci: sumI / count, cj: sumJ / count, peakSlice: k, diameterMM: diameter,
                           backgroundHU: bg.median, contrastHU: contrast)
    }
}
