// The study and series an analysis read: the identifiers every DICOM output references.
import DICOM
import Foundation
import OpenBCTCore

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
