// A study's series one at a time from a PACS (QIDO-RS for the list, WADO-RS per series): visited by
// `forEachSeries` (the service's PACS pull stores them through its intake) or copied into a local
// folder by `pullStudy` (`openbct dicomweb pull`).
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
    /// Visits a study's series one at a time: QIDO-RS lists them, `seriesFilter` picks from their
    /// attributes (e.g. modality CT only), WADO-RS retrieves each picked series and `body` gets its Series
    /// Instance UID and instances (Part-10 bytes as the server sent them). Memory holds one series, not
    /// the study. Returns the picked series' QIDO-RS attributes, in visiting order; when none was picked,
    /// nothing was retrieved and `body` never ran.
    @discardableResult
    public func forEachSeries(of studyInstanceUID: String, where seriesFilter: (DataSet) -> Bool = { _ in true },
                              _ body: (_ seriesInstanceUID: String, _ instances: [Data]) async throws -> Void) async throws -> [DataSet] {
        let series = try await searchSeries(studyInstanceUID: studyInstanceUID).filter(seriesFilter)
        for attributes in series {
            guard let seriesUID = attributes.string(.seriesInstanceUID) else { continue }
            try await body(seriesUID, try await retrieveSeries(studyInstanceUID: studyInstanceUID, seriesInstanceUID: seriesUID))
        }
        return series
    }

    /// Copies every instance of a study into `folder` as `<SOPInstanceUID>.dcm`, byte for byte as the
    /// server sent it, series by series (`forEachSeries`). Each file is written atomically; a failure
    /// leaves only complete files behind. `seriesFilter` picks series from their QIDO-RS attributes.
    public func pullStudy(_ studyInstanceUID: String, into folder: URL,
                          seriesFilter: (DataSet) -> Bool = { _ in true }) async throws -> PulledStudy {
        var pulled = PulledStudy(studyInstanceUID: studyInstanceUID, folder: folder, files: [], seriesInstanceUIDs: [])
        let series = try await forEachSeries(of: studyInstanceUID, where: seriesFilter) { seriesUID, instances in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
        guard !series.isEmpty else {
            throw DICOMwebError(method: "GET", url: endpoint(["studies", studyInstanceUID, "series"]).absoluteString, status: 200,
                                message: "the study has no (matching) series")
        }
        return pulled
    }

    /// A UID (digits and dots) is safe as a file name; anything else could escape the folder.
    static func isSafeFileName(_ uid: String) -> Bool {
        !uid.isEmpty && uid.count <= 64 && uid.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber } && uid != "." && uid != ".."
    }
}
