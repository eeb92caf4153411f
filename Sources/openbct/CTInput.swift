// The CT input every command accepts: a HU volume file, or a DICOM folder/file assembled into one
// (Pipeline's CTVolume, the reader the pipeline uses too, without the input hashing only `analyze` needs).
import Calibration
import DICOM
import Foundation
import OpenBCTCore
import Pipeline

/// A HU volume and, for DICOM input, the series' acquisition facts.
struct CTInput {
    var volume: Volume<Float>
    var facts: AcquisitionFacts?

    /// Reads `path`: a .nii/.nii.gz/.mha/.mhd volume as it is, or the series `seriesUID` (default rule
    /// when nil) of a DICOM folder/file. Assembly warnings go to stderr.
    static func load(_ path: String, series seriesUID: String? = nil) throws -> CTInput {
        let ct = try CTVolume.read(path, series: seriesUID)
        for w in ct.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        return CTInput(volume: ct.volume, facts: ct.facts)
    }
}

extension CTInput {
    /// The scan's identity for calibration provenance (DICOM identifiers when the input was DICOM).
    func reference(_ path: String) -> ScanReference { ScanReference(path: path, facts: facts) }
}
