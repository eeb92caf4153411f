// Walking a folder tree (or one file) for CT image series: sniff, read headers in parallel, filter,
// group. Pixels are not decoded here.
import Foundation
import OpenBCTCore

/// Finds the CT series under a path. Rules: docs/dicom-conformance.md, "Series assembly".
public enum SeriesScanner {
    static let ctImageStorage: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.2",     // CT Image Storage
        "1.2.840.10008.5.1.4.1.1.2.1",   // Enhanced CT Image Storage
        "1.2.840.10008.5.1.4.1.1.2.2",   // Legacy Converted Enhanced CT Image Storage
    ]

    /// Scans `url` (a folder, walked recursively with any file names, or a single file).
    /// - Throws: `InputError` when the path does not exist or the folder holds no files; unusable files
    ///   are not errors but are listed in `SeriesCatalog.skipped` with the reason.
    public static func scan(_ url: URL) throws -> SeriesCatalog {
        let files = try listFiles(url)
        // A file named explicitly is parsed even when the cheap sniff doubts it (e.g. no preamble, no meta).
        let scans = readHeaders(files, sniff: files != [url.path])
        var skipped: [SkippedFile] = []
        var images: [ImageFile] = []
        for (path, scan) in zip(files, scans) {
            switch scan {
            case .skipped(let reason): skipped.append(SkippedFile(path: path, reason: reason))
            case .image(let image): images.append(image)
            }
        }
        var series = group(images)
        dropOrthogonalSingles(&series, skipped: &skipped)
        let stacksPerUID = Dictionary(grouping: series.filter { !$0.seriesInstanceUID.isEmpty }, by: \.seriesInstanceUID)
        for i in series.indices {
            if let n = stacksPerUID[series[i].seriesInstanceUID]?.count, n > 1 {
                series[i].warnings.append("SeriesInstanceUID shared by \(n) stacks of different orientation or frame of reference: listed separately")
            }
        }
        series.sort { a, b in
            if a.seriesNumber != b.seriesNumber { return (a.seriesNumber ?? .max) < (b.seriesNumber ?? .max) }
            if a.seriesInstanceUID != b.seriesInstanceUID { return a.seriesInstanceUID < b.seriesInstanceUID }
            return a.files[0] < b.files[0]
        }
        for i in series.indices { series[i].number = i + 1 }
        return SeriesCatalog(root: url.path, series: series, skipped: skipped)
    }

    /// Regular files under `url`, sorted by path (so listings are reproducible).
    static func listFiles(_ url: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputError(path: url.path, "no such file or folder")
        }
        guard isDirectory.boolValue else { return [url.path] }
        var files: [String] = []
        let keys: [URLResourceKey] = [.isRegularFileKey]
        if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: keys) {
            for case let file as URL in walker where (try? file.resourceValues(forKeys: Set(keys)).isRegularFile) == true {
                files.append(file.path)
            }
        }
        guard !files.isEmpty else { throw InputError(path: url.path, "the folder is empty: expected DICOM files") }
        return files.sorted()
    }

    /// One usable image file: its slices and the identity attributes used for grouping.
    struct ImageFile: Sendable {
        var path: String
        var header: DataSet
        var slices: [SliceHeader]
        var seriesUID: String
        var frameOfReferenceUID: String
    }

    enum FileScan: Sendable {
        case image(ImageFile)
        case skipped(String)
    }

    /// Reads every file's header (no pixel data) on all cores.
    static func readHeaders(_ files: [String], sniff: Bool) -> [FileScan] {
        var results = [FileScan](repeating: .skipped("not read"), count: files.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress!)
            parallelFor(files.count) { i in out[i] = classify(files[i], sniff: sniff) }
        }
        return results
    }

    /// Reads one file's header and decides whether it is a CT image slice; `sniff` first rejects files
    /// whose first bytes do not look like DICOM (cheap, for folder walks).
    static func classify(_ path: String, sniff: Bool) -> FileScan {
        let url = URL(fileURLWithPath: path)
        if sniff && !DicomFile.looksLikeDicom(url) { return .skipped("not a DICOM file") }
        let file: DicomFile
        do { file = try DicomFile.read(contentsOf: url, stopBeforePixelData: true) } catch {
            return .skipped("unreadable DICOM: \(reason(error, path: path))")
        }
        let ds = file.dataSet
        let sopClass = ds.string(.sopClassUID) ?? ""
        let modality = ds.string(.modality) ?? ""
        guard ds.int(.rows) != nil else {
            return .skipped("not an image (SOP class \(sopClass.isEmpty ? "empty" : sopClass), no Rows)")
        }
        guard modality == "CT" || (modality.isEmpty && ctImageStorage.contains(sopClass)) else {
            return .skipped("modality \(modality.isEmpty ? "missing" : modality): only CT series are assembled")
        }
        let imageType = ds.strings(.imageType).map { $0.uppercased() }
        if imageType.contains("LOCALIZER") { return .skipped("localizer (ImageType \(imageType.joined(separator: "\\")))") }
        if let spp = ds.int(.samplesPerPixel), spp != 1 { return .skipped("\(spp) samples per pixel: CT images have 1") }
        do {
            let slices = try SliceHeader.headers(of: file, path: path)
            return .image(ImageFile(path: path, header: ds, slices: slices, seriesUID: ds.string(.seriesInstanceUID) ?? "",
                                    frameOfReferenceUID: ds.string(.frameOfReferenceUID) ?? ""))
        } catch {
            return .skipped(reason(error, path: path))
        }
    }

    /// An error's description without the file path the skip list already shows.
    static func reason(_ error: Error, path: String) -> String {
        guard var e = error as? InputError, e.path == path else { return "\(error)" }
        e.path = nil
        return e.description
    }

    /// Groups slices by SeriesInstanceUID + FrameOfReferenceUID + orientation; when the series UID is
    /// empty, also by image size (geometry is then all that tells series apart).
    static func group(_ images: [ImageFile]) -> [SeriesInfo] {
        struct Bucket { var key: String; var slices: [SliceHeader]; var header: DataSet }
        var buckets: [Bucket] = []
        for image in images {
            for slice in image.slices {
                var key = "\(image.seriesUID)|\(image.frameOfReferenceUID)"
                if image.seriesUID.isEmpty { key += "|\(slice.columns)x\(slice.rows)" }
                if let b = buckets.firstIndex(where: { $0.key == key && $0.slices[0].hasSameOrientation(as: slice, tolerance: 1e-3) }) {
                    buckets[b].slices.append(slice)
                } else {
                    buckets.append(Bucket(key: key, slices: [slice], header: image.header))
                }
            }
        }
        return buckets.map { bucket in
            let first = bucket.slices[0]
            var facts = AcquisitionFacts(header: bucket.header)
            let seriesUID = facts.seriesInstanceUID ?? ""
            var warnings: [String] = []
            if seriesUID.isEmpty {
                warnings.append("SeriesInstanceUID is empty: slices grouped by frame of reference\(facts.frameOfReferenceUID == nil ? " (also empty)" : ""), orientation and image size")
            }
            let sizes = Set(bucket.slices.map { "\($0.columns)×\($0.rows)" })
            if sizes.count > 1 {
                warnings.append("mixed image sizes (\(sizes.sorted().joined(separator: ", "))): this series cannot be assembled")
            }
            let normal = first.normal
            let along = bucket.slices.map { dot($0.position, normal) }.sorted()
            let step = median(zip(along.dropFirst(), along).map { $0 - $1 }.filter { $0 > 0.01 }) ?? 0
            facts.pixelSpacing = [first.pixelSpacing.x, first.pixelSpacing.y]
            facts.sliceSpacing = step > 0 ? step : nil
            facts.numberOfSlices = bucket.slices.count
            let files = Set(bucket.slices.map(\.source.path)).sorted()
            return SeriesInfo(number: 0, seriesInstanceUID: seriesUID, studyInstanceUID: facts.studyInstanceUID ?? "",
                              frameOfReferenceUID: facts.frameOfReferenceUID ?? "",
                              seriesDescription: facts.seriesDescription ?? "", seriesNumber: facts.seriesNumber,
                              modality: facts.modality ?? "CT",
                              dims: SIMD3(first.columns, first.rows, bucket.slices.count),
                              spacing: Vec3(first.pixelSpacing.x, first.pixelSpacing.y, step), normal: normal,
                              slices: bucket.slices, files: files, facts: facts, warnings: warnings)
        }
    }

    /// A single slice lying across a larger stack of the same frame of reference is a localizer
    /// without the LOCALIZER image type: moved to the skipped list.
    static func dropOrthogonalSingles(_ series: inout [SeriesInfo], skipped: inout [SkippedFile]) {
        let stacks = series.filter { $0.sliceCount > 1 }
        var kept: [SeriesInfo] = []
        for candidate in series {
            if candidate.sliceCount == 1, let stack = stacks.first(where: {
                $0.frameOfReferenceUID == candidate.frameOfReferenceUID && abs(dot($0.normal, candidate.normal)) < 0.5 }) {
                let name = stack.seriesInstanceUID.isEmpty ? "" : " \(stack.seriesInstanceUID)"
                skipped.append(SkippedFile(path: candidate.files[0],
                                           reason: "single slice orthogonal to the \(stack.sliceCount)-slice stack\(name) (localizer)"))
            } else {
                kept.append(candidate)
            }
        }
        series = kept
    }
}
