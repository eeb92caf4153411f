// What a folder scan found: the image series, the files skipped and why, and the default pick rule.
import OpenBCTCore

/// One image series found by `SeriesScanner`: identity, geometry summary, slices and warnings.
public struct SeriesInfo: Sendable {
    /// 1-based position in the catalog listing (usable with `--series` when UIDs are empty).
    public var number: Int
    public var seriesInstanceUID: String
    public var studyInstanceUID: String
    public var frameOfReferenceUID: String
    public var seriesDescription: String
    public var seriesNumber: Int?
    public var modality: String
    /// Image columns, rows and number of slices (frames) in the series before duplicate removal.
    public var dims: SIMD3<Int>
    /// Pixel spacing (i, j) and the median slice step along the normal (mm; 0 for one slice).
    public var spacing: Vec3
    /// Unit slice normal (row direction × column direction).
    public var normal: Vec3
    public var slices: [SliceHeader]
    /// Files holding the slices (sorted by path).
    public var files: [String]
    public var facts: AcquisitionFacts
    public var warnings: [String]

    public var sliceCount: Int { slices.count }

    /// True for an axial stack: the slice normal is within ~37° of the patient's head–foot axis.
    public var isAxial: Bool { abs(normal.z) >= 0.8 }

    /// A name for messages: the SeriesInstanceUID, or the listing number when the UID is empty.
    public var displayName: String { seriesInstanceUID.isEmpty ? "series #\(number) (no SeriesInstanceUID)" : seriesInstanceUID }
}

/// A file the scanner did not use and why.
public struct SkippedFile: Sendable, Codable, Equatable {
    public var path: String
    public var reason: String
}

/// All series found under a path, and the files skipped.
public struct SeriesCatalog: Sendable {
    public var root: String
    public var series: [SeriesInfo]
    public var skipped: [SkippedFile]

    /// The series OpenBCT analyses when the user names none. Rule: prefer axial stacks; then the most
    /// slices; ties → the thinnest slice spacing; then the smallest SeriesNumber; then the earliest in
    /// the listing. (The scanner keeps CT images only, localizers excluded.) Nil when the catalog is empty.
    public var defaultSeries: SeriesInfo? {
        let pool = series.contains(where: \.isAxial) ? series.filter(\.isAxial) : series
        return pool.min { a, b in
            if a.sliceCount != b.sliceCount { return a.sliceCount > b.sliceCount }
            if a.spacing.z != b.spacing.z { return a.spacing.z < b.spacing.z }
            if a.seriesNumber != b.seriesNumber { return (a.seriesNumber ?? .max) < (b.seriesNumber ?? .max) }
            return a.number < b.number
        }
    }

    /// Picks a series by SeriesInstanceUID or listing number; nil picks `defaultSeries`.
    /// - Throws: `InputError` when nothing matches or no CT series exists, listing what was found.
    public func pick(_ selector: String?) throws -> SeriesInfo {
        if let selector {
            if let s = series.first(where: { $0.seriesInstanceUID == selector && !selector.isEmpty }) { return s }
            if let n = Int(selector.trimmingPrefix("#")), let s = series.first(where: { $0.number == n }) { return s }
            let known = series.map { "#\($0.number) \($0.displayName)" }.joined(separator: ", ")
            throw InputError(path: root, "no series \"\(selector)\" (found: \(known.isEmpty ? "none" : known))")
        }
        guard let s = defaultSeries else {
            if skipped.count == 1 && skipped[0].path == root && series.isEmpty {
                throw InputError(path: root, "not usable as a CT image: \(skipped[0].reason)")
            }
            var message = "no CT image series found"
            if !skipped.isEmpty {
                let shown = skipped.prefix(5).map { "\($0.path): \($0.reason)" }.joined(separator: "; ")
                message += "; \(skipped.count) file(s) skipped: \(shown)\(skipped.count > 5 ? "; …" : "")"
            }
            throw InputError(path: root, message)
        }
        return s
    }
}
