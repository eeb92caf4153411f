// PS3.15 Annex E Table E.1-1, Basic Application Level Confidentiality Profile: the rows for
// attributes that occur in CT image instances (CT Image and Enhanced CT IODs, their patient, study,
// series, equipment, acquisition and request modules), with the action OpenBCT takes for each.
import DICOM

/// What the de-identifier does to one attribute.
public enum DeidentificationAction: String, Sendable {
    /// X: remove the attribute.
    case remove = "X"
    /// Z: keep the attribute with an empty value (type 2 attributes).
    case empty = "Z"
    /// D: replace with a dummy value of the same VR (type 1 attributes).
    case dummy = "D"
    /// U: replace the UID by one consistent within the export.
    case replaceUID = "U"
    /// U*: keep the sequence, replacing every UID inside it consistently.
    case keepWithReplacedUIDs = "U*"
}

/// One row of the profile table.
public struct ConfidentialityProfileRow: Sendable {
    public let tag: Tag
    public let keyword: String
    /// The Basic Profile column of PS3.15 Table E.1-1 (2026c) verbatim, e.g. "X/Z/D".
    public let profileCode: String
    /// The action OpenBCT chose where the code offers several: the least retaining one that keeps a
    /// CT Image instance valid (X for type 3, Z for type 2, D for type 1 attributes).
    public let action: DeidentificationAction
    /// For Enhanced CT, where the attribute is type 1 (Content Date/Time, Acquisition DateTime),
    /// a dummy replaces it instead.
    public let dummyInEnhancedCT: Bool

    init(_ group: UInt16, _ element: UInt16, _ keyword: String, _ profileCode: String, _ action: DeidentificationAction,
         dummyInEnhancedCT: Bool = false) {
        tag = Tag(group, element); self.keyword = keyword; self.profileCode = profileCode; self.action = action
        self.dummyInEnhancedCT = dummyInEnhancedCT
    }
}

/// The rows of PS3.15 Table E.1-1 that apply to CT instances. Attributes not listed are kept,
/// except: private attributes (removed), overlay data and comments (60xx,3000/4000) and curves
/// (50xx) (removed), any other UID not of the DICOM root 1.2.840.10008 (replaced), any other person
/// name (removed) — the last two go beyond the profile on purpose: a CT file from a vendor may hold
/// attributes this table does not list.
public enum ConfidentialityProfileTable {
    public static let rows: [ConfidentialityProfileRow] = [
        .init(0x0008, 0x0012, "InstanceCreationDate", "X/D", .remove),
        .init(0x0008, 0x0013, "InstanceCreationTime", "X/Z/D", .remove),
        .init(0x0008, 0x0014, "InstanceCreatorUID", "U", .replaceUID),
        .init(0x0008, 0x0015, "InstanceCoercionDateTime", "X", .remove),
        .init(0x0008, 0x0017, "AcquisitionUID", "U", .replaceUID),
        .init(0x0008, 0x0018, "SOPInstanceUID", "U", .replaceUID),
        .init(0x0008, 0x0020, "StudyDate", "Z", .empty),
        .init(0x0008, 0x0021, "SeriesDate", "X/D", .remove),
        .init(0x0008, 0x0022, "AcquisitionDate", "X/Z", .remove),
        .init(0x0008, 0x0023, "ContentDate", "Z/D", .empty, dummyInEnhancedCT: true),
        .init(0x0008, 0x002A, "AcquisitionDateTime", "X/Z/D", .remove, dummyInEnhancedCT: true),
        .init(0x0008, 0x0030, "StudyTime", "Z", .empty),
        .init(0x0008, 0x0031, "SeriesTime", "X/D", .remove),
        .init(0x0008, 0x0032, "AcquisitionTime", "X/Z", .remove),
        .init(0x0008, 0x0033, "ContentTime", "Z/D", .empty, dummyInEnhancedCT: true),
        .init(0x0008, 0x0050, "AccessionNumber", "Z", .empty),
        .init(0x0008, 0x0054, "RetrieveAETitle", "X", .remove),
        .init(0x0008, 0x0055, "StationAETitle", "X", .remove),
        .init(0x0008, 0x0080, "InstitutionName", "X/Z/D", .remove),
        .init(0x0008, 0x0081, "InstitutionAddress", "X", .remove),
        .init(0x0008, 0x0082, "InstitutionCodeSequence", "X/Z/D", .remove),
        .init(0x0008, 0x0090, "ReferringPhysicianName", "Z", .empty),
        .init(0x0008, 0x0092, "ReferringPhysicianAddress", "X", .remove),
        .init(0x0008, 0x0094, "ReferringPhysicianTelephoneNumbers", "X", .remove),
        .init(0x0008, 0x0096, "ReferringPhysicianIdentificationSequence", "X", .remove),
        .init(0x0008, 0x009C, "ConsultingPhysicianName", "Z", .empty),
        .init(0x0008, 0x0201, "TimezoneOffsetFromUTC", "X", .remove),
        .init(0x0008, 0x1010, "StationName", "X/Z/D", .remove),
        .init(0x0008, 0x1030, "StudyDescription", "X", .remove),
        .init(0x0008, 0x103E, "SeriesDescription", "X", .remove),
        .init(0x0008, 0x1040, "InstitutionalDepartmentName", "X", .remove),
        .init(0x0008, 0x1048, "PhysiciansOfRecord", "X", .remove),
        .init(0x0008, 0x1050, "PerformingPhysicianName", "X", .remove),
        .init(0x0008, 0x1060, "NameOfPhysiciansReadingStudy", "X", .remove),
        .init(0x0008, 0x1070, "OperatorsName", "X/Z/D", .remove),
        .init(0x0008, 0x1072, "OperatorIdentificationSequence", "X/D", .remove),
        .init(0x0008, 0x1080, "AdmittingDiagnosesDescription", "X", .remove),
        .init(0x0008, 0x1084, "AdmittingDiagnosesCodeSequence", "X", .remove),
        .init(0x0008, 0x1110, "ReferencedStudySequence", "X/Z", .remove),
        .init(0x0008, 0x1111, "ReferencedPerformedProcedureStepSequence", "X/Z/D", .remove),
        .init(0x0008, 0x1120, "ReferencedPatientSequence", "X", .remove),
        .init(0x0008, 0x1140, "ReferencedImageSequence", "X/Z/U*", .keepWithReplacedUIDs),
        .init(0x0008, 0x1155, "ReferencedSOPInstanceUID", "U", .replaceUID),
        .init(0x0008, 0x2111, "DerivationDescription", "X", .remove),
        .init(0x0008, 0x2112, "SourceImageSequence", "X/Z/U*", .keepWithReplacedUIDs),
        .init(0x0008, 0x3010, "IrradiationEventUID", "U", .replaceUID),
        .init(0x0008, 0x4000, "IdentifyingComments", "X", .remove),
        .init(0x0010, 0x0010, "PatientName", "Z", .empty),
        .init(0x0010, 0x0020, "PatientID", "Z/D", .empty),
        .init(0x0010, 0x0021, "IssuerOfPatientID", "X", .remove),
        .init(0x0010, 0x0030, "PatientBirthDate", "Z", .empty),
        .init(0x0010, 0x0032, "PatientBirthTime", "X", .remove),
        .init(0x0010, 0x0040, "PatientSex", "Z", .empty),
        .init(0x0010, 0x0050, "PatientInsurancePlanCodeSequence", "X", .remove),
        .init(0x0010, 0x1000, "OtherPatientIDs", "X", .remove),
        .init(0x0010, 0x1001, "OtherPatientNames", "X", .remove),
        .init(0x0010, 0x1002, "OtherPatientIDsSequence", "X", .remove),
        .init(0x0010, 0x1005, "PatientBirthName", "X", .remove),
        .init(0x0010, 0x1010, "PatientAge", "X", .remove),
        .init(0x0010, 0x1020, "PatientSize", "X", .remove),
        .init(0x0010, 0x1030, "PatientWeight", "X", .remove),
        .init(0x0010, 0x1040, "PatientAddress", "X", .remove),
        .init(0x0010, 0x1060, "PatientMotherBirthName", "X", .remove),
        .init(0x0010, 0x1080, "MilitaryRank", "X", .remove),
        .init(0x0010, 0x1081, "BranchOfService", "X", .remove),
        .init(0x0010, 0x1090, "MedicalRecordLocator", "X", .remove),
        .init(0x0010, 0x2000, "MedicalAlerts", "X", .remove),
        .init(0x0010, 0x2110, "Allergies", "X", .remove),
        .init(0x0010, 0x2150, "CountryOfResidence", "X", .remove),
        .init(0x0010, 0x2152, "RegionOfResidence", "X", .remove),
        .init(0x0010, 0x2154, "PatientTelephoneNumbers", "X", .remove),
        .init(0x0010, 0x2160, "EthnicGroup", "X", .remove),
        .init(0x0010, 0x2180, "Occupation", "X", .remove),
        .init(0x0010, 0x21A0, "SmokingStatus", "X", .remove),
        .init(0x0010, 0x21B0, "AdditionalPatientHistory", "X", .remove),
        .init(0x0010, 0x21C0, "PregnancyStatus", "X", .remove),
        .init(0x0010, 0x21D0, "LastMenstrualDate", "X", .remove),
        .init(0x0010, 0x21F0, "PatientReligiousPreference", "X", .remove),
        .init(0x0010, 0x4000, "PatientComments", "X", .remove),
        .init(0x0018, 0x0010, "ContrastBolusAgent", "Z/D", .empty),
        .init(0x0018, 0x1000, "DeviceSerialNumber", "X/Z/D", .remove),
        .init(0x0018, 0x1002, "DeviceUID", "U", .replaceUID),
        .init(0x0018, 0x1004, "PlateID", "X", .remove),
        .init(0x0018, 0x1005, "GeneratorID", "X", .remove),
        .init(0x0018, 0x1007, "CassetteID", "X", .remove),
        .init(0x0018, 0x1008, "GantryID", "X", .remove),
        .init(0x0018, 0x1030, "ProtocolName", "X/D", .remove),
        .init(0x0018, 0x1042, "ContrastBolusStartTime", "X", .remove),
        .init(0x0018, 0x1043, "ContrastBolusStopTime", "X", .remove),
        .init(0x0018, 0x1200, "DateOfLastCalibration", "X", .remove),
        .init(0x0018, 0x1201, "TimeOfLastCalibration", "X", .remove),
        .init(0x0018, 0x1400, "AcquisitionDeviceProcessingDescription", "X/D", .remove),
        .init(0x0018, 0x4000, "AcquisitionComments", "X", .remove),
        .init(0x0018, 0x700A, "DetectorID", "X/D", .remove),
        .init(0x0018, 0x9074, "FrameAcquisitionDateTime", "D", .dummy),
        .init(0x0018, 0x9151, "FrameReferenceDateTime", "D", .dummy),
        .init(0x0018, 0x9424, "AcquisitionProtocolDescription", "X", .remove),
        .init(0x0018, 0x9516, "StartAcquisitionDateTime", "X/D", .remove),
        .init(0x0018, 0x9517, "EndAcquisitionDateTime", "X/D", .remove),
        .init(0x0020, 0x000D, "StudyInstanceUID", "U", .replaceUID),
        .init(0x0020, 0x000E, "SeriesInstanceUID", "U", .replaceUID),
        .init(0x0020, 0x0010, "StudyID", "Z", .empty),
        .init(0x0020, 0x0052, "FrameOfReferenceUID", "U", .replaceUID),
        .init(0x0020, 0x0200, "SynchronizationFrameOfReferenceUID", "U", .replaceUID),
        .init(0x0020, 0x4000, "ImageComments", "X", .remove),
        .init(0x0020, 0x9158, "FrameComments", "X", .remove),
        .init(0x0020, 0x9161, "ConcatenationUID", "U", .replaceUID),
        .init(0x0020, 0x9164, "DimensionOrganizationUID", "U", .replaceUID),
        .init(0x0028, 0x4000, "ImagePresentationComments", "X", .remove),
        .init(0x0032, 0x1032, "RequestingPhysician", "X", .remove),
        .init(0x0032, 0x1033, "RequestingService", "X", .remove),
        .init(0x0032, 0x1060, "RequestedProcedureDescription", "X/Z", .remove),
        .init(0x0032, 0x1070, "RequestedContrastAgent", "X", .remove),
        .init(0x0032, 0x4000, "StudyComments", "X", .remove),
        .init(0x0038, 0x0010, "AdmissionID", "X", .remove),
        .init(0x0038, 0x0300, "CurrentPatientLocation", "X", .remove),
        .init(0x0038, 0x0400, "PatientInstitutionResidence", "X", .remove),
        .init(0x0038, 0x0500, "PatientState", "X", .remove),
        .init(0x0040, 0x0002, "ScheduledProcedureStepStartDate", "X", .remove),
        .init(0x0040, 0x0003, "ScheduledProcedureStepStartTime", "X", .remove),
        .init(0x0040, 0x0004, "ScheduledProcedureStepEndDate", "X", .remove),
        .init(0x0040, 0x0005, "ScheduledProcedureStepEndTime", "X", .remove),
        .init(0x0040, 0x0007, "ScheduledProcedureStepDescription", "X", .remove),
        .init(0x0040, 0x0009, "ScheduledProcedureStepID", "X", .remove),
        .init(0x0040, 0x0241, "PerformedStationAETitle", "X", .remove),
        .init(0x0040, 0x0242, "PerformedStationName", "X", .remove),
        .init(0x0040, 0x0243, "PerformedLocation", "X", .remove),
        .init(0x0040, 0x0244, "PerformedProcedureStepStartDate", "X", .remove),
        .init(0x0040, 0x0245, "PerformedProcedureStepStartTime", "X", .remove),
        .init(0x0040, 0x0250, "PerformedProcedureStepEndDate", "X", .remove),
        .init(0x0040, 0x0251, "PerformedProcedureStepEndTime", "X", .remove),
        .init(0x0040, 0x0253, "PerformedProcedureStepID", "X", .remove),
        .init(0x0040, 0x0254, "PerformedProcedureStepDescription", "X", .remove),
        .init(0x0040, 0x0275, "RequestAttributesSequence", "X", .remove),
        .init(0x0040, 0x0280, "CommentsOnThePerformedProcedureStep", "X", .remove),
        .init(0x0040, 0x0310, "CommentsOnRadiationDose", "X", .remove),
        .init(0x0040, 0x1001, "RequestedProcedureID", "X", .remove),
        .init(0x0040, 0x1002, "ReasonForTheRequestedProcedure", "X", .remove),
        .init(0x0040, 0x2016, "PlacerOrderNumberImagingServiceRequest", "Z", .empty),
        .init(0x0040, 0x2017, "FillerOrderNumberImagingServiceRequest", "Z", .empty),
        .init(0x0040, 0xA124, "UID", "U", .replaceUID),
        .init(0x0088, 0x0200, "IconImageSequence", "X", .remove),
        .init(0x0400, 0x0550, "ModifiedAttributesSequence", "X", .remove),
        .init(0x0400, 0x0561, "OriginalAttributesSequence", "X", .remove),
        .init(0xFFFA, 0xFFFA, "DigitalSignaturesSequence", "X", .remove),
        .init(0xFFFC, 0xFFFC, "DataSetTrailingPadding", "X", .remove),
    ]

    /// The rows by tag.
    public static let byTag: [Tag: ConfidentialityProfileRow] = Dictionary(uniqueKeysWithValues: rows.map { ($0.tag, $0) })
}
