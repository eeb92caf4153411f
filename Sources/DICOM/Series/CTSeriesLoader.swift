// Executing a slice stack plan: decode every slice straight into the final Float32 HU buffer (in
// parallel), drop identical duplicates, interpolate irregular spacing, correct gantry tilt.
import Foundation
import OpenBCTCore

/// A CT series as a HU volume with its acquisition facts.
public struct LoadedCT: Sendable {
    /// Hounsfield units (RescaleSlope/Intercept applied per slice), LPS geometry.
    public var volume: Volume<Float>
    public var facts: AcquisitionFacts
    public var warnings: [String]
}

/// Options for `CTSeriesLoader.load`.
public struct CTLoadOptions: Sendable {
    /// HU given to output voxels no slice covers after tilt correction; nil uses the series minimum
    /// (the air outside the reconstruction circle).
    public var outsideValue: Float?

    public init(outsideValue: Float? = nil) { self.outsideValue = outsideValue }
}

/// Assembles a scanned series into a rectilinear HU volume. Rules: docs/dicom-conformance.md, "Series assembly".
public enum CTSeriesLoader {
    /// Loads `series` into HU.
    /// - Throws: `InputError` for geometry beyond the tolerances, duplicate positions with different
    ///   pixels, mixed image sizes, or a slice that cannot be decoded (naming the file).
    public static func load(_ series: SeriesInfo, options: CTLoadOptions = CTLoadOptions()) throws -> LoadedCT {
        let plan = try SliceStackPlan.make(series.slices, seriesName: series.displayName)
        let slices = series.slices
        let sliceSize = slices[0].columns * slices[0].rows
        var warnings = series.warnings + plan.warnings

        // Peak memory stays near one volume: slices decode into their place in the final buffer.
        // No zero-fill: every element is written by a decoder, or the load throws.
        var voxels = try [Float](unsafeUninitializedCapacity: plan.stack.count * sliceSize) { buffer, initialized in
            try decode(plan.stack.enumerated().map { (slices[$0.element], $0.offset * sliceSize) },
                       into: SendablePointer(buffer.baseAddress!), sliceSize: sliceSize)
            initialized = buffer.count
        }
        try checkDuplicates(plan, slices: slices, stacked: voxels, sliceSize: sliceSize)
        if !plan.duplicates.isEmpty {
            warnings.append("dropped \(plan.duplicates.count) duplicate slice(s) with identical pixels: \(plan.duplicates.map { slices[$0.duplicate].source.description }.joined(separator: ", "))")
        }

        var volume: Volume<Float>
        if plan.needsUniformResampling {
            volume = Volume(grid: plan.stackGrid, voxels: interpolateAlongStack(voxels, offsets: plan.offsets,
                                                                                 grid: plan.stackGrid))
        } else {
            volume = Volume(grid: plan.stackGrid, voxels: voxels)
        }
        voxels = []
        if plan.isTilted {
            let outside = options.outsideValue ?? Float(volume.range?.min ?? -1024)
            volume = volume.resampled(to: plan.outputGrid, interpolation: .linear, outside: outside)
        } else if let tilt = series.facts.gantryDetectorTilt, abs(tilt) > 0.01 {
            warnings.append("GantryDetectorTilt is \(fmt(tilt))° but the slice positions lie along the normal: no correction needed")
        }

        var facts = series.facts
        facts.sliceSpacing = volume.grid.spacing.z
        facts.numberOfSlices = volume.dims.z
        return LoadedCT(volume: volume, facts: facts, warnings: warnings)
    }

    /// Decodes each (slice, destination offset) job into `out`; files with several frames are read once.
    static func decode(_ jobs: [(SliceHeader, Int)], into out: SendablePointer<Float>, sliceSize: Int) throws {
        let byFile = Dictionary(grouping: jobs, by: { $0.0.source.path }).sorted { $0.key < $1.key }
        let failure = FirstError()
        if byFile.count == 1 {
            // One multi-frame object: read it once, decode frames on all cores.
            let file = try readFile(byFile[0].key), frames = byFile[0].value
            parallelFor(frames.count) { i in failure.record { try decodeSlice(frames[i], of: file, into: out, sliceSize: sliceSize) } }
        } else {
            parallelFor(byFile.count) { f in
                failure.record {
                    let file = try readFile(byFile[f].key)
                    for job in byFile[f].value { try decodeSlice(job, of: file, into: out, sliceSize: sliceSize) }
                }
            }
        }
        try failure.rethrow()
    }

    /// Reads a whole file, pixel data included; errors name it.
    static func readFile(_ path: String) throws -> DicomFile {
        do { return try DicomFile.read(contentsOf: URL(fileURLWithPath: path)) }
        catch let error as InputError { throw error.at(path: path) }
    }

    /// Decodes one slice into `out` at its offset, rescaled to HU; errors name the file and frame.
    static func decodeSlice(_ job: (SliceHeader, Int), of file: DicomFile, into out: SendablePointer<Float>, sliceSize: Int) throws {
        let (slice, offset) = job
        do {
            try file.decodeFrame(slice.source.frame, rescaledInto: UnsafeMutableBufferPointer(start: out.base + offset, count: sliceSize),
                                 slope: Float(slice.rescaleSlope), intercept: Float(slice.rescaleIntercept))
        } catch let error as InputError {
            throw error.at(path: slice.source.path)
        } catch {
            throw InputError(path: slice.source.path, location: "frame \(slice.source.frame + 1)", "\(error)")
        }
    }

    /// Duplicate positions are acceptable only when the pixels are identical.
    static func checkDuplicates(_ plan: SliceStackPlan, slices: [SliceHeader], stacked: [Float], sliceSize: Int) throws {
        for (kept, duplicate) in plan.duplicates {
            var pixels = [Float](repeating: 0, count: sliceSize)
            try pixels.withUnsafeMutableBufferPointer { buffer in
                try decode([(slices[duplicate], 0)], into: SendablePointer(buffer.baseAddress!), sliceSize: sliceSize)
            }
            let k = plan.stack.firstIndex(of: kept)!
            guard stacked[k * sliceSize ..< (k + 1) * sliceSize].elementsEqual(pixels) else {
                throw InputError(path: slices[duplicate].source.path, location: "(0020,0032) ImagePositionPatient",
                                 "same position as \(slices[kept].source) but different pixels: two acquisitions mixed in one series")
            }
        }
    }

    /// Linear interpolation of stacked slices (at `offsets` mm along the stack) onto the uniform slices of `grid`.
    static func interpolateAlongStack(_ stacked: [Float], offsets: [Double], grid: ImageGrid) -> [Float] {
        let sliceSize = grid.dims.x * grid.dims.y, count = grid.dims.z
        var out = [Float](repeating: 0, count: sliceSize * count)
        stacked.withUnsafeBufferPointer { srcBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                let src = SendableConstPointer(srcBuffer.baseAddress!), dst = SendablePointer(dstBuffer.baseAddress!)
                parallelFor(count) { k in
                    // Uniform positions run from the first to the last stacked slice.
                    let t = offsets.last! * Double(k) / Double(count - 1)
                    var j = 0
                    while j + 2 < offsets.count && offsets[j + 1] < t { j += 1 }
                    let w = Float(max(0, min(1, (t - offsets[j]) / (offsets[j + 1] - offsets[j]))))
                    let a = src.base + j * sliceSize, b = src.base + (j + 1) * sliceSize, d = dst.base + k * sliceSize
                    for p in 0..<sliceSize { d[p] = a[p] + w * (b[p] - a[p]) }
                }
            }
        }
        return out
    }
}

/// Keeps the first error thrown by parallel workers.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    func record(_ body: () throws -> Void) {
        do { try body() } catch {
            lock.lock(); if self.error == nil { self.error = error }; lock.unlock()
        }
    }

    func rethrow() throws { if let error { throw error } }
}
