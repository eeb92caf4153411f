// The Native DICOM Model (PS3.19 §A.1): data sets as XML, as some servers answer STOW-RS with
// `application/dicom+xml`.
import DICOM
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OpenBCTCore

/// Reads `<NativeDicomModel>` XML into a `DataSet`: `DicomAttribute` (tag, vr), `Value`,
/// `PersonName/Alphabetic` (its components joined with `^`), `Item` (sequences), `InlineBinary`.
/// `BulkData` references are skipped.
public enum NativeDicomModel {
    public static func decode(_ xml: Data, source: String = "DICOM XML") throws -> DataSet {
        let reader = Reader(source: source)
        let parser = XMLParser(data: xml)
        parser.delegate = reader
        guard parser.parse(), reader.error == nil, let root = reader.stack.first else {
            throw reader.error ?? InputError(path: source, "not valid Native DICOM Model XML: \(parser.parserError.map { "\($0)" } ?? "no root element")")
        }
        return root.dataSet
    }

    /// Builds data sets while the parser walks the XML.
    private final class Reader: NSObject, XMLParserDelegate {
        final class Level { var dataSet = DataSet(characterSet: .utf8) }
        struct Attribute { var tag: Tag; var vr: VR; var values: [String] = []; var items: [DataSet] = []; var binary: [UInt8]? }

        let source: String
        var stack: [Level] = [Level()]
        var attributes: [Attribute] = []
        var text = ""
        var nameComponents: [String: String] = [:]
        var inAlphabetic = false
        var error: InputError?

        init(source: String) { self.source = source }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes attrs: [String: String] = [:]) {
            text = ""
            switch name {
            case "DicomAttribute":
                guard let t = attrs["tag"], t.count == 8, let n = UInt32(t, radix: 16), let vr = attrs["vr"].flatMap(VR.init(rawValue:)) else {
                    error = InputError(path: source, location: "DicomAttribute", "needs tag=\"GGGGEEEE\" and a valid vr"); parser.abortParsing(); return
                }
                attributes.append(Attribute(tag: Tag(combined: n), vr: vr))
            case "Item": stack.append(Level())
            case "Alphabetic": inAlphabetic = true; nameComponents = [:]
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "Value": attributes.indices.last.map { attributes[$0].values.append(text) }
            case "InlineBinary":
                attributes.indices.last.map { attributes[$0].binary = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)).map { [UInt8]($0) } ?? [] }
            case "FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix":
                if inAlphabetic { nameComponents[name] = text }
            case "Alphabetic":
                inAlphabetic = false
                let order = ["FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"].map { nameComponents[$0] ?? "" }
                var joined = order.joined(separator: "^")
                while joined.hasSuffix("^") { joined.removeLast() }
                attributes.indices.last.map { attributes[$0].values.append(joined) }
            case "Item":
                let item = stack.removeLast().dataSet
                attributes.indices.last.map { attributes[$0].items.append(item) }
            case "DicomAttribute":
                guard let a = attributes.popLast() else { return }
                var ds = stack[stack.count - 1].dataSet
                if a.vr == .SQ { ds.set(a.tag, sequence: a.items) }
                else if let binary = a.binary { ds.set(a.tag, a.vr, bytes: binary) }
                else if a.vr.isText || a.vr == .PN { ds.set(a.tag, a.vr, strings: a.values) }
                else { ds.set(a.tag, a.vr, doubles: a.values.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }) }
                stack[stack.count - 1].dataSet = ds
            default: break
            }
        }
    }
}
