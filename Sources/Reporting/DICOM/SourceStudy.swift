// The study and series an analysis read: the identifiers every DICOM output references.
import DICOM
import Foundation
import OpenBCTCore
import ResultModel

/// One image of the source series, as a reference target.
public struct SourceInstance: Sendable, Codable, Equatable {
    public var sopClassUID: String
    public var sopInstanceUID: String

    public init(sopClassUID: String, sopInstanceUID: String) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID
    }
}

/// Patient, study and series identifiers of the CT the analysis read. The report objects join this
/// study (same Study Instance UID, new series) and reference this series and its instances.
///
/// A source that was not DICOM (a NIfTI volume) has no UIDs: `notDICOM` mints a new study and frame
/// of reference, and every output says the source was not DICOM (methods.md §10).
public struct SourceStudy: Sendable, Codable, Equatable {
    public var isDICOM: Bool
    public var studyInstanceUID: String
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String
    /// The source images in slice order (slice k of the analysed volume is `instances[k]`).
    public var instances: [SourceInstance]
    public var patientName: String
    public var patientID: String
    /// DICOM DA (YYYYMMDD), empty when unknown.
    public var patientBirthDate: String
    /// M, F, O or empty.
    public var patientSex: String
    public var studyDate: String
    public var studyTime: String
    public var studyID: String
    public var accessionNumber: String
    public var referringPhysicianName: String
    public var studyDescription: String

    public init(isDICOM: Bool, studyInstanceUID: String, seriesInstanceUID: String?, frameOfReferenceUID: String,
                instances: [SourceInstance], patientName: String = "", patientID: String = "",
                patientBirthDate: String = "", patientSex: String = "", studyDate: String = "",
                studyTime: String = "", studyID: String = "", accessionNumber: String = "",
                referringPhysicianName: String = "", studyDescription: String = "") {
        self.isDICOM = isDICOM; self.studyInstanceUID = studyInstanceUID; self.seriesInstanceUID = seriesInstanceUID
        self.frameOfReferenceUID = frameOfReferenceUID; self.instances = instances
        self.patientName = patientName; self.patientID = patientID; self.patientBirthDate = patientBirthDate
        self.patientSex = patientSex; self.studyDate = studyDate; self.studyTime = studyTime; self.studyID = studyID
        self.accessionNumber = accessionNumber; self.referringPhysicianName = referringPhysicianName
        self.studyDescription = studyDescription
    }

    /// A stand-in for a source that was not DICOM: new study and frame-of-reference UIDs, no
    /// instances to reference.
    public static func notDICOM(patientName: String = "", patientID: String = "") -> SourceStudy {
        SourceStudy(isDICOM: false, studyInstanceUID: UID.generate(), seriesInstanceUID: nil,
                    frameOfReferenceUID: UID.generate(), instances: [], patientName: patientName, patientID: patientID)
    }
}

extension SourceStudy {
    /// CT Image Storage, assumed for source slices whose class the document does not record.
    static let ctImageStorage = "1.2.840.10008.5.1.4.1.1.2"

    /// The source study as the result document records it. A document from a non-DICOM source gets a
    /// study UID derived from its analysis id (stable across re-renders, e.g. on signing).
    public init(document doc: ResultDocument) {
        let s = doc.study, p = doc.patient
        let isDICOM = s.sourceIsDICOM && s.studyInstanceUID != nil
        let minted = UUID(uuidString: doc.analysisID).map(UID.derived(from:)) ?? UID.generate()
        self.init(isDICOM: isDICOM,
                  studyInstanceUID: isDICOM ? s.studyInstanceUID! : minted,
                  seriesInstanceUID: isDICOM ? s.seriesInstanceUID : nil,
                  frameOfReferenceUID: (isDICOM ? s.frameOfReferenceUID : nil) ?? UID.generate(),
                  instances: isDICOM ? s.sopInstanceUIDs.map { SourceInstance(sopClassUID: s.sopClassUID ?? Self.ctImageStorage, sopInstanceUID: $0) } : [],
                  patientName: p.name ?? "", patientID: p.id ?? "", patientBirthDate: p.birthDate ?? "",
                  patientSex: p.sex ?? "", studyDate: s.studyDate ?? "", studyTime: s.studyTime ?? "",
                  studyID: s.studyID ?? "", accessionNumber: s.accessionNumber ?? "",
                  referringPhysicianName: s.referringPhysician ?? "", studyDescription: s.studyDescription ?? "")
    }
}
