// Reading a CT input without provenance work: the HU volume (and, for DICOM, the series' facts).
// Every command that only needs the image uses this; `analyze` adds the hashes on top (`CTSource`).
import DICOM
import Foundation
import ImageFormats
import OpenBCTCore

/// A CT read as it is: HU volume, acquisition facts (DICOM only), assembly warnings and the series picked.
public struct CTVolume: Sendable {
    public var volume: Volume<Float>
    public var facts: AcquisitionFacts?
    /// Assembly warnings (gaps, duplicate slices, …).
    public var warnings: [String]
    /// The DICOM series that was assembled (nil for volume files).
    public var series: SeriesInfo?

    /// Reads `path`: a .nii/.nii.gz/.mha/.mhd volume as it is, or the series `seriesUID` (default rule of
    /// `SeriesCatalog.pick` when nil) of a DICOM folder/file through `CTSeriesLoader`. No file is hashed.
    public static func read(_ path: String, series seriesUID: String? = nil) throws -> CTVolume {
        let url = URL(fileURLWithPath: path)
        if ImageFile.format(of: url) != nil {
            return CTVolume(volume: try ImageFile.read(contentsOf: url).asFloat(), facts: nil, warnings: [], series: nil)
        }
        let info = try SeriesScanner.scan(url).pick(seriesUID)
        let ct = try CTSeriesLoader.load(info)
        return CTVolume(volume: ct.volume, facts: ct.facts, warnings: ct.warnings, series: info)
    }
}
