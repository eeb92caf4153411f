// Coded concepts (code value, scheme, meaning) shared by the SR, the SEG and the FHIR bundle.
import DICOM

/// A coded concept: (code value, coding scheme designator, code meaning).
public struct CodedConcept: Sendable, Equatable, Hashable, Codable {
    public var value: String
    public var scheme: String
    public var meaning: String

    public init(_ value: String, _ scheme: String, _ meaning: String) {
        self.value = value; self.scheme = scheme; self.meaning = meaning
    }

    /// The DICOM Code Sequence Macro item (PS3.3 Table 8.8-1).
    var dicomItem: DataSet {
        var item = DataSet()
        item.set(.codeValue, .SH, string: value)
        item.set(.codingSchemeDesignator, .SH, string: scheme)
        item.set(.codeMeaning, .LO, string: meaning)
        return item
    }

    /// The FHIR `system` URI of the scheme.
    var fhirSystem: String {
        switch scheme {
        case "LN": return "http://loinc.org"
        case "SCT": return "http://snomed.info/sct"
        case "UCUM": return "http://unitsofmeasure.org"
        case "DCM": return "http://dicom.nema.org/resources/ontology/DCM"
        case PrivateCodes.scheme: return PrivateCodes.fhirSystem
        default: return "urn:oid:unknown-scheme:\(scheme)"
        }
    }
}
