// The SR content tree (PS3.3 C.17.3): typed content items and their encoding as Content Sequence items.
import DICOM

/// One node of an SR content tree.
struct SRContentItem {
    enum Value {
        case container(separate: Bool)
        case code(CodedConcept)
        case text(String)
        case numeric(Double, unit: CodedConcept)
        case uidReference(String)
        case image(sopClassUID: String, sopInstanceUID: String)
        case composite(sopClassUID: String, sopInstanceUID: String)
        case person(String)
        case dateTime(String)
    }

    /// CONTAINS, HAS OBS CONTEXT, HAS CONCEPT MOD, HAS PROPERTIES, INFERRED FROM …; nil for the root.
    var relationship: String?
    var concept: CodedConcept
    var value: Value
    var children: [SRContentItem] = []

    static func container(_ concept: CodedConcept, _ relationship: String? = "CONTAINS", _ children: [SRContentItem]) -> SRContentItem {
        SRContentItem(relationship: relationship, concept: concept, value: .container(separate: true), children: children)
    }

    var valueType: String {
        switch value {
        case .container: return "CONTAINER"
        case .code: return "CODE"
        case .text: return "TEXT"
        case .numeric: return "NUM"
        case .uidReference: return "UIDREF"
        case .image: return "IMAGE"
        case .composite: return "COMPOSITE"
        case .person: return "PNAME"
        case .dateTime: return "DATETIME"
        }
    }

    /// The attributes of this item (the root's go straight into the data set; children become
    /// Content Sequence items).
    func encode(into ds: inout DataSet) {
        if let relationship { ds.set(.relationshipType, .CS, string: relationship) }
        ds.set(.valueType, .CS, string: valueType)
        ds.set(.conceptNameCodeSequence, sequence: [concept.dicomItem])
        switch value {
        case .container(let separate):
            ds.set(.continuityOfContent, .CS, string: separate ? "SEPARATE" : "CONTINUOUS")
        case .code(let code):
            ds.set(.conceptCodeSequence, sequence: [code.dicomItem])
        case .text(let text):
            ds.set(.textValue, .UT, string: text)
        case .numeric(let number, let unit):
            var measured = DataSet()
            measured.set(.numericValue, .DS, doubles: [number])
            measured.set(.measurementUnitsCodeSequence, sequence: [unit.dicomItem])
            ds.set(.measuredValueSequence, sequence: [measured])
        case .uidReference(let uid):
            ds.set(.uid, .UI, string: uid)
        case .image(let sopClass, let sopInstance), .composite(let sopClass, let sopInstance):
            var ref = DataSet()
            ref.set(.referencedSOPClassUID, .UI, string: sopClass)
            ref.set(.referencedSOPInstanceUID, .UI, string: sopInstance)
            ds.set(.referencedSOPSequence, sequence: [ref])
        case .person(let name):
            ds.set(.personName, .PN, string: name)
        case .dateTime(let dt):
            ds.set(.dateTime, .DT, string: dt)
        }
        if !children.isEmpty {
            ds.set(.contentSequence, sequence: children.map { child in
                var item = DataSet(characterSet: .utf8)
                child.encode(into: &item)
                return item
            })
        }
    }
}
