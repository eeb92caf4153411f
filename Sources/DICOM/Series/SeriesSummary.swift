// A serialisable description of a scanned series (for `openbct inspect --json` and provenance records).
import OpenBCTCore

/// What a series is and how it would be assembled, without decoding pixels.
public struct SeriesSummary: Codable, Sendable {
    public var number: Int
    public var seriesInstanceUID: String
    public var seriesDescription: String
    public var seriesNumber: Int?
    public var modality: String
    public var isDefault: Bool
    public var sliceCount: Int
    public var fileCount: Int
    /// Columns, rows, slices as found (before duplicate removal or resampling).
    public var dims: [Int]
    /// ImageOrientationPatient of the first slice (row direction, then column direction).
    public var orientation: [Double]
    /// The volume grid the loader would produce; nil when the geometry is refused.
    public var outputGrid: ImageGrid?
    /// Why the loader would refuse the series, when it would.
    public var refusal: String?
    public var facts: AcquisitionFacts
    public var warnings: [String]

    /// Summarises `series`; `isDefault` marks the catalog's default pick.
    public init(_ series: SeriesInfo, isDefault: Bool) {
        number = series.number
        seriesInstanceUID = series.seriesInstanceUID
        seriesDescription = series.seriesDescription
        seriesNumber = series.seriesNumber
        modality = series.modality
        self.isDefault = isDefault
        sliceCount = series.sliceCount
        fileCount = series.files.count
        dims = [series.dims.x, series.dims.y, series.dims.z]
        let first = series.slices[0]
        orientation = [first.rowDirection.x, first.rowDirection.y, first.rowDirection.z,
                       first.columnDirection.x, first.columnDirection.y, first.columnDirection.z]
        facts = series.facts
        warnings = series.warnings
        do {
            let plan = try SliceStackPlan.make(series.slices, seriesName: series.displayName)
            outputGrid = plan.outputGrid
            warnings += plan.warnings
        } catch {
            refusal = "\(error)"
        }
    }
}

extension SeriesCatalog {
    /// Summaries of every series, the default pick marked.
    public var summaries: [SeriesSummary] {
        let pick = defaultSeries?.number
        return series.map { SeriesSummary($0, isDefault: $0.number == pick) }
    }
}
