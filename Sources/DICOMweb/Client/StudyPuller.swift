// Pulling a study from a PACS into a local folder (QIDO-RS for its series, WADO-RS per series):
// what the service's worker does before an analysis.
import DICOM
import Foundation
import OpenBCTCore

/// A study copied into a folder.
public struct PulledStudy: Sendable {
    public var studyInstanceUID: String
    public var folder: URL
    /// One file per instance, `<SOPInstanceUID>.dcm`, in retrieval order.
    public var files: [URL]
    public var seriesInstanceUIDs: [String]
}

extension DICOMwebClient {
    /// Copies every instance of a study into `folder` as `<SOPInstanceUID>.dcm`, byte for byte as the
    /// server sent it. Series are fetched one at a time, so memory holds one series, not the study.
    /// Each file is written atomically; a failure leaves only complete files behind. `seriesFilter`
    /// picks series from their QIDO-RS attributes (e.g. modality CT only).
    public func pullStudy(_ studyInstanceUID: String, into folder: URL,
                          seriesFilter: (DataSet) -> Bool = { _ in true }) async throws -> PulledStudy {
        let series = try await searchSeries(studyInstanceUID: studyInstanceUID).filter(seriesFilter)
        guard !series.isEmpty else {
            throw DICOMwebError(method: "GET", url: endpoint(["studies", studyInstanceUID, "series"]).absoluteString, status: 200,
                                message: "the study has no (matching) series")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var pulled = PulledStudy(studyInstanceUID: studyInstanceUID, folder: folder, files: [], seriesInstanceUIDs: [])
        for attributes in series {
            guard let seriesUID = attributes.string(.seriesInstanceUID) else { continue }
            let instances = try await retrieveSeries(studyInstanceUID: studyInstanceUID, seriesInstanceUID: seriesUID)
            for (i, instance) in instances.enumerated() {
                let header = try DicomFile.read(data: instance, path: "\(seriesUID) instance \(i + 1)", stopBeforePixelData: true)
                guard let sop = header.dataSet.string(.sopInstanceUID) ?? header.meta.string(.mediaStorageSOPInstanceUID),
                      Self.isSafeFileName(sop) else {
                    throw InputError(path: "\(seriesUID) instance \(i + 1)", location: Tag.sopInstanceUID.label, "missing or not a UID")
                }
                let url = folder.appendingPathComponent("\(sop).dcm")
                try writeAtomically(instance, to: url)
                pulled.files.append(url)
            }
            pulled.seriesInstanceUIDs.append(seriesUID)
        }
        return pulled
    }

    /// A UID (digits and dots) is safe as a file name; anything else could escape the folder.
    static func isSafeFileName(_ uid: String) -> Bool {
        !uid.isEmpty && uid.count <= 64 && uid.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber } && uid != "." && uid != ".."
    }
}
