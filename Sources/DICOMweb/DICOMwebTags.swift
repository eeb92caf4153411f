// Attributes of DICOMweb responses and of de-identification that the DICOM module does not name.
import DICOM

extension Tag {
    public static let retrieveURL = Tag(0x0008, 0x1190)
    public static let warningReason = Tag(0x0008, 0x1196)
    public static let failureReason = Tag(0x0008, 0x1197)
    public static let failedSOPSequence = Tag(0x0008, 0x1198)
    public static let referencedSOPSequence = Tag(0x0008, 0x1199)
    public static let otherFailuresSequence = Tag(0x0008, 0x119A)
    public static let modalitiesInStudy = Tag(0x0008, 0x0061)
    public static let numberOfStudyRelatedSeries = Tag(0x0020, 0x1206)
    public static let numberOfStudyRelatedInstances = Tag(0x0020, 0x1208)
    public static let numberOfSeriesRelatedInstances = Tag(0x0020, 0x1209)
    public static let patientIdentityRemoved = Tag(0x0012, 0x0062)
    public static let deidentificationMethod = Tag(0x0012, 0x0063)
    public static let deidentificationMethodCodeSequence = Tag(0x0012, 0x0064)
    public static let longitudinalTemporalInformationModified = Tag(0x0028, 0x0303)
}
