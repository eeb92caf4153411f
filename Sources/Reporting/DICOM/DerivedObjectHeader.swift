// The modules every OpenBCT DICOM output shares: patient, study, a new series, equipment, SOP common.
import DICOM
import Foundation
import OpenBCTCore

/// Identity of one new DICOM object placed in the source study (a new series of its own).
struct DerivedObject {
    var modality: String
    var seriesNumber: Int
    var seriesDescription: String
    var seriesInstanceUID = UID.generate()
    var sopInstanceUID = UID.generate()
    /// When the object was made (Content/Series/Instance Creation date and time).
    var created: Date

    /// Patient, General Study, General Series, General Equipment, Enhanced General Equipment and
    /// SOP Common attributes, filled from `study`. UTF-8 text (ISO_IR 192): names may be non-ASCII.
    func header(study: SourceStudy) -> DataSet {
        var ds = DataSet(characterSet: .utf8)
        ds.set(.specificCharacterSet, .CS, string: "ISO_IR 192")
        let (date, time) = DicomDateTime.parts(created)
        ds.set(.instanceCreationDate, .DA, string: date)
        ds.set(.instanceCreationTime, .TM, string: time)
        // Patient (PS3.3 C.7.1.1): type 2 attributes present even when empty.
        ds.set(.patientName, .PN, string: study.patientName)
        ds.set(.patientID, .LO, string: study.patientID)
        ds.set(.patientBirthDate, .DA, string: study.patientBirthDate)
        ds.set(.patientSex, .CS, string: study.patientSex)
        // General Study (C.7.2.1).
        ds.set(.studyInstanceUID, .UI, string: study.studyInstanceUID)
        ds.set(.studyDate, .DA, string: study.studyDate)
        ds.set(.studyTime, .TM, string: study.studyTime)
        ds.set(.referringPhysicianName, .PN, string: study.referringPhysicianName)
        ds.set(.studyID, .SH, string: study.studyID)
        ds.set(.accessionNumber, .SH, string: study.accessionNumber)
        if !study.studyDescription.isEmpty { ds.set(.studyDescription, .LO, string: study.studyDescription) }
        // General Series (C.7.3.1): a new series in the source study.
        ds.set(.modality, .CS, string: modality)
        ds.set(.seriesInstanceUID, .UI, string: seriesInstanceUID)
        ds.set(.seriesNumber, .IS, ints: [seriesNumber])
        ds.set(.seriesDate, .DA, string: date)
        ds.set(.seriesTime, .TM, string: time)
        ds.set(.seriesDescription, .LO, string: seriesDescription + (study.isDICOM ? "" : " (source not DICOM)"))
        // General and Enhanced General Equipment (C.7.5.1, C.7.5.2).
        ds.set(.manufacturer, .LO, string: OpenBCT.name)
        ds.set(.manufacturerModelName, .LO, string: OpenBCT.name)
        ds.set(.deviceSerialNumber, .LO, string: "none")
        ds.set(.softwareVersions, .LO, string: OpenBCT.version)
        ds.set(.instanceNumber, .IS, ints: [1])
        ds.set(.contentDate, .DA, string: date)
        ds.set(.contentTime, .TM, string: time)
        return ds
    }
}

/// DICOM DA/TM/DT strings in UTC.
enum DicomDateTime {
    private static func formatter(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format
        return f
    }

    /// (YYYYMMDD, HHMMSS) of `date` in UTC.
    static func parts(_ date: Date) -> (String, String) {
        (formatter("yyyyMMdd").string(from: date), formatter("HHmmss").string(from: date))
    }

    /// YYYYMMDDHHMMSS+0000.
    static func dateTime(_ date: Date) -> String { formatter("yyyyMMddHHmmss").string(from: date) + "+0000" }
}

/// Referenced Series Sequence items: the source series with every instance (PS3.3 C.12.2, C.17.2.1).
func referencedSeriesItems(_ study: SourceStudy) -> [DataSet] {
    guard let series = study.seriesInstanceUID, !study.instances.isEmpty else { return [] }
    var item = DataSet()
    item.set(.seriesInstanceUID, .UI, string: series)
    item.set(.referencedInstanceSequence, sequence: study.instances.map(referencedInstance))
    return [item]
}

/// A Referenced SOP class/instance pair.
func referencedInstance(_ i: SourceInstance) -> DataSet {
    var ref = DataSet()
    ref.set(.referencedSOPClassUID, .UI, string: i.sopClassUID)
    ref.set(.referencedSOPInstanceUID, .UI, string: i.sopInstanceUID)
    return ref
}
