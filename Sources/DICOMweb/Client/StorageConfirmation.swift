// Confirming a STOW-RS: DICOMweb has no storage commitment (DIMSE's is an N-ACTION request answered
// later by an N-EVENT-REPORT, PS3.4 Annex J, on an association the PACS opens back to us). The web-side
// confirmation is to ask the server, after it answered "stored", whether it lists each instance: a QIDO-RS
// search by Study, Series and SOP Instance UID. It proves the PACS indexed the instance and will serve it —
// not the long-term safekeeping a commitment promises, which a DICOMweb PACS does not expose.
import DICOM
import Foundation
import OpenBCTCore

/// Where an instance lives on a DICOMweb server.
public struct InstanceLocation: Sendable, Hashable {
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    public var sopInstanceUID: String

    public init(studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String) {
        self.studyInstanceUID = studyInstanceUID; self.seriesInstanceUID = seriesInstanceUID; self.sopInstanceUID = sopInstanceUID
    }

    /// Read from a Part-10 file's header; throws `InputError` when a UID is missing.
    public init(file: URL) throws {
        let ds = try DicomFile.read(contentsOf: file, stopBeforePixelData: true).dataSet
        func uid(_ tag: Tag) throws -> String {
            guard let value = ds.string(tag), !value.isEmpty else { throw InputError(path: file.path, location: tag.label, "missing") }
            return value
        }
        self.init(studyInstanceUID: try uid(.studyInstanceUID), seriesInstanceUID: try uid(.seriesInstanceUID),
                  sopInstanceUID: try uid(.sopInstanceUID))
    }
}

extension DICOMwebClient {
    /// The instances the server does not list: one QIDO-RS instance search per instance, within its
    /// study and series, matching its SOP Instance UID. Empty when every one is there.
    public func unlisted(_ instances: [InstanceLocation]) async throws -> [InstanceLocation] {
        var missing: [InstanceLocation] = []
        for instance in instances {
            let found = try await searchInstances(studyInstanceUID: instance.studyInstanceUID, seriesInstanceUID: instance.seriesInstanceUID,
                                                  .matching(.sopInstanceUID, instance.sopInstanceUID))
            if !found.contains(where: { $0.string(.sopInstanceUID) == instance.sopInstanceUID }) { missing.append(instance) }
        }
        return missing
    }
}
