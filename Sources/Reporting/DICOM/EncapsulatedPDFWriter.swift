// DICOM Encapsulated PDF Storage (PS3.3 A.45.1): the PDF report placed in the CT's study.
import DICOM
import Foundation

/// Wraps a PDF in an Encapsulated PDF instance of a new series of the source study.
enum EncapsulatedPDFWriter {
    static let sopClassUID = "1.2.840.10008.5.1.4.1.1.104.1"

    /// The Part-10 bytes. `title` becomes the Document Title; the document references every source
    /// image it was derived from (Source Instance Sequence).
    static func write(pdf: Data, title: String, study: SourceStudy, created: Date, seriesNumber: Int = 9001) throws -> Data {
        let object = DerivedObject(modality: "DOC", seriesNumber: seriesNumber,
                                   seriesDescription: "OpenBCT report (PDF)", created: created)
        var ds = object.header(study: study)
        ds.set(.conversionType, .CS, string: "WSD")   // SC Equipment: made on a workstation
        ds.set(.acquisitionDateTime, .DT, string: DicomDateTime.dateTime(created))
        ds.set(.burnedInAnnotation, .CS, string: "YES")   // the PDF carries the patient's name and ID
        ds.set(.documentTitle, .ST, string: title)
        ds.set(.conceptNameCodeSequence, sequence: [LOINC.procedure.dicomItem])
        ds.set(.mimeTypeOfEncapsulatedDocument, .LO, string: "application/pdf")
        if !study.instances.isEmpty {
            ds.set(.sourceInstanceSequence, sequence: study.instances.map(referencedInstance))
        }
        // PS3.3 C.24.2: an odd-length document is padded with one NUL; the true length is recorded.
        ds.set(.encapsulatedDocumentLength, .UL, ints: [pdf.count])
        ds.set(.encapsulatedDocument, .OB, bytes: [UInt8](pdf))
        return try DicomWriter.write(dataSet: ds, sopClassUID: sopClassUID, sopInstanceUID: object.sopInstanceUID)
    }
}
