// Pure geometry of a slice stack: order along the normal, duplicates, spacing regularity, gantry tilt,
// and the rectilinear output grid. No pixels are touched here; `CTSeriesLoader` executes the plan.
import Foundation
import OpenBCTCore

/// How a set of same-orientation slices becomes a rectilinear volume (rules: docs/dicom-conformance.md,
/// "Series assembly").
public struct SliceStackPlan: Sendable {
    /// Header indices in stacking order (increasing position along the normal), one per distinct position.
    public var stack: [Int]
    /// Header pairs at the same position: `duplicate` is dropped if its pixels equal those of `kept`.
    public var duplicates: [(kept: Int, duplicate: Int)]
    /// Position of each stacked slice along its line of positions, measured as distance along the
    /// slice normal from the first slice (mm); starts at 0 and increases.
    public var offsets: [Double]
    /// Median step between stacked slices along the normal (mm).
    public var nominalSpacing: Double
    /// True when the steps are not uniform and slices must be interpolated onto `outputGrid`.
    public var needsUniformResampling: Bool
    /// The grid the stacked slices form after uniform resampling: a sheared one when the gantry is
    /// tilted (third axis along the line of slice positions), otherwise equal to `outputGrid`.
    public var stackGrid: ImageGrid
    /// The orthogonal output grid: axes rowDirection, columnDirection, normal.
    public var outputGrid: ImageGrid
    /// True when slice positions drift in-plane (gantry tilt): the stack is resampled onto `outputGrid`.
    public var isTilted: Bool
    /// Tilt angle between the line of slice positions and the slice normal (degrees).
    public var tiltDegrees: Double
    public var warnings: [String]

    /// Relative tolerance for calling a step regular: |step − nominal| ≤ max(0.01 mm, 1 % of nominal).
    public static let regularStepTolerance = 0.01
    /// Largest step accepted (as a multiple of the nominal spacing): one missing slice in a row.
    public static let maximumGapFactor = 2.0
    /// Largest share of the stack length that may be interpolated: Σ|step − nominal| ≤ 10 % of the extent.
    public static let maximumTotalDeviation = 0.10
    /// Two positions closer than this share of the nominal spacing are duplicates.
    public static let duplicateFactor = 0.05
    /// Slice positions must lie on a line within this share of the smallest pixel spacing.
    public static let collinearityFactor = 0.25
    /// In-plane drift across the whole stack below this share of a pixel is rounding noise, not tilt.
    public static let tiltShiftFactor = 0.05

    /// Plans the stacking of `headers`, which must share orientation and image size.
    /// - Throws: `InputError` when the stack cannot be made rectilinear within the documented tolerances.
    public static func make(_ headers: [SliceHeader], seriesName: String) throws -> SliceStackPlan {
        guard let first = headers.first else {
            throw InputError(path: seriesName, "the series has no slices")
        }
        for h in headers {
            guard h.rows == first.rows, h.columns == first.columns else {
                throw InputError(path: h.source.path, location: "(0028,0010) Rows / (0028,0011) Columns",
                                 "mixed image sizes in one series: \(h.columns)×\(h.rows) here, \(first.columns)×\(first.rows) in \(first.source)")
            }
            guard h.hasSameOrientation(as: first, tolerance: 1e-3) else {
                throw InputError(path: h.source.path, location: "(0020,0037) ImageOrientationPatient",
                                 "orientation differs from the rest of the series (\(first.source))")
            }
        }
        let r = normalize(first.rowDirection), c = normalize(first.columnDirection), n = first.normal
        let pixel = first.pixelSpacing
        var warnings: [String] = []

        // Order by position along the normal — never by file name or InstanceNumber.
        let sorted = headers.indices.sorted { dot(headers[$0].position, n) < dot(headers[$1].position, n) }
        let along = sorted.map { dot(headers[$0].position, n) }
        let rawSteps = zip(along.dropFirst(), along).map { $0 - $1 }
        let positiveSteps = rawSteps.filter { $0 > 0.01 }
        let roughSpacing = median(positiveSteps) ?? 0

        // Duplicates: positions closer than 5 % of the typical step.
        var stack = [sorted[0]], duplicates: [(kept: Int, duplicate: Int)] = []
        var stackAlong = [along[0]]
        for k in 1..<sorted.count {
            if along[k] - stackAlong.last! <= max(0.001, duplicateFactor * roughSpacing) {
                duplicates.append((kept: stack.last!, duplicate: sorted[k]))
            } else {
                stack.append(sorted[k]); stackAlong.append(along[k])
            }
        }
        if !duplicates.isEmpty {
            warnings.append("\(duplicates.count) slice(s) at duplicate positions: dropped when their pixels are identical")
        }
        let offsets = stackAlong.map { $0 - stackAlong[0] }
        let steps = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
        let origin = headers[stack[0]].position

        guard stack.count > 1 else {
            let thickness = first.sliceThickness ?? 1
            warnings.append("single slice: the third spacing is the slice thickness \(fmt(thickness)) mm")
            let grid = ImageGrid(dims: SIMD3(first.columns, first.rows, 1), spacing: Vec3(pixel.x, pixel.y, thickness),
                                 origin: origin, direction: Matrix3(columns: r, c, n))
            return SliceStackPlan(stack: stack, duplicates: duplicates, offsets: [0], nominalSpacing: thickness,
                                  needsUniformResampling: false, stackGrid: grid, outputGrid: grid, isTilted: false,
                                  tiltDegrees: 0, warnings: warnings)
        }

        // Spacing regularity: gaps and uneven steps are interpolated within tolerance, refused beyond.
        let nominal = median(steps)!
        let extent = offsets.last!
        let tolerance = max(0.01, regularStepTolerance * nominal)
        var totalDeviation = 0.0, irregular = 0
        for (k, step) in steps.enumerated() {
            if step > maximumGapFactor * nominal + tolerance {
                throw InputError(path: seriesName, location: "slices \(headers[stack[k]].source) and \(headers[stack[k + 1]].source)",
                                 "gap of \(fmt(step)) mm along the slice normal exceeds \(fmt(maximumGapFactor))× the nominal spacing \(fmt(nominal)) mm (missing slices)")
            }
            if abs(step - nominal) > tolerance { irregular += 1; totalDeviation += abs(step - nominal) }
        }
        if totalDeviation > maximumTotalDeviation * extent {
            throw InputError(path: seriesName, location: "slice positions",
                             "spacing is too irregular to resample: steps deviate from the nominal \(fmt(nominal)) mm by \(fmt(totalDeviation)) mm in total, over \(Int(maximumTotalDeviation * 100)) % of the \(fmt(extent)) mm stack")
        }
        let needsResampling = irregular > 0
        let count = needsResampling ? Int((extent / nominal).rounded()) + 1 : stack.count
        let spacing = extent / Double(count - 1)
        if needsResampling {
            warnings.append("non-uniform slice spacing (\(irregular) irregular step(s), nominal \(fmt(nominal)) mm): resampled linearly to \(count) slices at \(fmt(spacing)) mm")
        }

        // Tilt: the line of slice positions, fitted by least squares against the distance along the normal.
        let positions = stack.map { headers[$0].position }
        let meanOffset = offsets.reduce(0, +) / Double(offsets.count)
        let meanPosition = positions.reduce(Vec3.zero, +) / Double(positions.count)
        var sxx = 0.0, sxp = Vec3.zero
        for (o, p) in zip(offsets, positions) { sxx += (o - meanOffset) * (o - meanOffset); sxp += (o - meanOffset) * (p - meanPosition) }
        let slope = sxp / sxx                                 // mm of position per mm along the normal
        let shear = slope - dot(slope, n) * n                 // in-plane drift per mm along the normal
        let residual = zip(offsets, positions).map { o, p in length(p - (meanPosition + (o - meanOffset) * slope)) }.max()!
        let minPixel = min(pixel.x, pixel.y)
        guard residual <= collinearityFactor * minPixel else {
            throw InputError(path: seriesName, location: "(0020,0032) ImagePositionPatient",
                             "slice positions do not lie on a line (largest deviation \(fmt(residual)) mm): not a single stack")
        }
        let isTilted = length(shear) * extent > tiltShiftFactor * minPixel
        let tiltDegrees = atan(length(shear)) * 180 / .pi
        let output = ImageGrid(dims: SIMD3(first.columns, first.rows, count), spacing: Vec3(pixel.x, pixel.y, spacing),
                               origin: origin, direction: Matrix3(columns: r, c, n))
        var stackGrid = output
        if isTilted {
            let line = n + shear
            stackGrid.direction = Matrix3(columns: r, c, normalize(line))
            stackGrid.spacing.z = spacing * length(line)
            warnings.append("gantry tilt of \(fmt(tiltDegrees))°: slices resampled onto an orthogonal grid")
        }
        return SliceStackPlan(stack: stack, duplicates: duplicates, offsets: offsets, nominalSpacing: nominal,
                              needsUniformResampling: needsResampling, stackGrid: stackGrid, outputGrid: output,
                              isTilted: isTilted, tiltDegrees: tiltDegrees, warnings: warnings)
    }
}

/// The median of `values`, nil when empty.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let s = values.sorted(), m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/// A number for messages: up to 4 decimals, no trailing zeros.
func fmt(_ x: Double) -> String {
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
