// The DICOM JSON model (PS3.18 §F.2): data sets as JSON objects keyed by tag, as QIDO-RS, WADO-RS
// metadata and STOW-RS responses carry them.
import DICOM
import Foundation
import OpenBCTCore

/// Converts between `DataSet` and the DICOM JSON model.
///
/// Encoding: text VRs become strings (PN as `{"Alphabetic": …}`), DS/IS and binary numbers become
/// JSON numbers, AT becomes "GGGGEEEE", SQ nests objects, bulk VRs (OB, OW, OF, OD, OL, OV, UN)
/// become `InlineBinary` (base64, little endian) — or are left out with `omitBulkData`. Empty
/// values have no "Value". Decoding accepts the same, plus numbers sent as strings (some servers do
/// it for DS/IS); `BulkDataURI` values are collected in `DicomJSON.Decoded.bulkDataURIs`, not fetched.
public enum DicomJSON {
    // MARK: Encoding

    /// The JSON object of one data set (as Foundation values for `JSONSerialization`).
    public static func object(_ ds: DataSet, omitBulkData: Bool = false) -> [String: Any] {
        var result: [String: Any] = [:]
        for e in ds.elements where !e.tag.isGroupLength {
            if omitBulkData && isBulk(e.vr) { continue }
            var attribute: [String: Any] = ["vr": e.vr.rawValue]
            switch e.value {
            case .sequence(let items):
                if !items.isEmpty { attribute["Value"] = items.map { object($0, omitBulkData: omitBulkData) } }
            case .encapsulated(let pixels):
                // Fragments are not a JSON value: name them as bulk data the receiver must fetch.
                _ = pixels; attribute["vr"] = "OB"
            case .bytes(let bytes):
                if bytes.isEmpty { break }
                if isBulk(e.vr) {
                    attribute["InlineBinary"] = Data(littleEndianBytes(e, in: ds)).base64EncodedString()
                } else if let values = jsonValues(e, in: ds), !values.isEmpty {
                    attribute["Value"] = values
                }
            }
            result[key(e.tag)] = attribute
        }
        return result
    }

    /// A JSON array of data sets (a QIDO-RS or metadata response body), keys sorted.
    public static func encode(_ dataSets: [DataSet], omitBulkData: Bool = false) throws -> Data {
        try JSONSerialization.data(withJSONObject: dataSets.map { object($0, omitBulkData: omitBulkData) }, options: [.sortedKeys])
    }

    /// One data set as a JSON object (a STOW-RS response body), keys sorted.
    public static func encode(_ dataSet: DataSet, omitBulkData: Bool = false) throws -> Data {
        try JSONSerialization.data(withJSONObject: object(dataSet, omitBulkData: omitBulkData), options: [.sortedKeys])
    }

    /// "GGGGEEEE" in upper-case hex.
    public static func key(_ tag: Tag) -> String {
        String(format: "%04X%04X", tag.group, tag.element)
    }

    static func isBulk(_ vr: VR) -> Bool {
        switch vr {
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN: return true
        default: return false
        }
    }

    private static func littleEndianBytes(_ e: DataElement, in ds: DataSet) -> [UInt8] {
        var bytes = e.bytes
        if ds.isBigEndian, let unit = e.vr.binaryWordSize, unit > 1 {
            for w in stride(from: 0, to: bytes.count - bytes.count % unit, by: unit) { bytes[w ..< w + unit].reverse() }
        }
        return bytes
    }

    private static func jsonValues(_ e: DataElement, in ds: DataSet) -> [Any]? {
        switch e.vr {
        case .PN:
            return ds.strings(e.tag).map { $0.isEmpty ? NSNull() as Any : ["Alphabetic": $0] as Any }
        case .DS:
            return ds.strings(e.tag).map { s in s.isEmpty ? NSNull() : (Double(s).map { $0 as Any } ?? s) }
        case .IS:
            return ds.strings(e.tag).map { s in s.isEmpty ? NSNull() : (Int(s).map { $0 as Any } ?? s) }
        case .AT:
            let words = BinaryValuesView.uint16s(littleEndianBytes(e, in: ds))
            return stride(from: 0, to: words.count - 1, by: 2).map { String(format: "%04X%04X", words[$0], words[$0 + 1]) }
        case .FL, .FD:
            return ds.doubles(e.tag)
        case .SS, .US, .SL, .UL, .SV, .UV:
            return ds.ints(e.tag)
        default:
            guard e.vr.isText else { return nil }
            return ds.strings(e.tag).map { $0.isEmpty ? NSNull() as Any : $0 as Any }
        }
    }

    // MARK: Decoding

    /// A decoded data set and the bulk data it only references.
    public struct Decoded: Sendable {
        public var dataSet: DataSet
        /// Attributes sent as `BulkDataURI` (top level only), to fetch separately if needed.
        public var bulkDataURIs: [Tag: String]
    }

    /// Decodes a JSON array of data sets (QIDO-RS results, WADO-RS metadata).
    public static func decodeArray(_ data: Data, source: String = "DICOM JSON") throws -> [DataSet] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(path: source, "not valid JSON: \(error.localizedDescription)")
        }
        guard let array = root as? [Any] else { throw InputError(path: source, "expected a JSON array of data sets") }
        return try array.enumerated().map { i, item in
            guard let object = item as? [String: Any] else {
                throw InputError(path: source, location: "item \(i)", "expected a JSON object")
            }
            return try decode(object, source: source, location: "item \(i)").dataSet
        }
    }

    /// Decodes one JSON object (a STOW-RS response).
    public static func decodeObject(_ data: Data, source: String = "DICOM JSON") throws -> Decoded {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(path: source, "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else { throw InputError(path: source, "expected a JSON object") }
        return try decode(object, source: source, location: "")
    }

    /// Decodes a parsed JSON object; `location` prefixes error locations ("item 3").
    public static func decode(_ object: [String: Any], source: String, location: String) throws -> Decoded {
        var ds = DataSet(characterSet: .utf8)
        var bulk: [Tag: String] = [:]
        for (key, value) in object {
            guard key.count == 8, let number = UInt32(key, radix: 16) else {
                throw InputError(path: source, location: join(location, key), "attribute key must be 8 hex digits")
            }
            let tag = Tag(combined: number)
            let here = join(location, tag.label)
            guard let attribute = value as? [String: Any], let vrText = attribute["vr"] as? String, let vr = VR(rawValue: vrText) else {
                throw InputError(path: source, location: here, "attribute must be an object with a valid \"vr\"")
            }
            if let uri = attribute["BulkDataURI"] as? String { bulk[tag] = uri; continue }
            if let base64 = attribute["InlineBinary"] as? String {
                guard let bytes = Data(base64Encoded: base64) else {
                    throw InputError(path: source, location: here, "InlineBinary is not valid base64")
                }
                ds.set(tag, vr, bytes: [UInt8](bytes)); continue
            }
            let values = attribute["Value"] as? [Any] ?? []
            try set(tag, vr, values, into: &ds, source: source, location: here)
        }
        return Decoded(dataSet: ds, bulkDataURIs: bulk)
    }

    private static func set(_ tag: Tag, _ vr: VR, _ values: [Any], into ds: inout DataSet, source: String, location: String) throws {
        func number(_ v: Any) throws -> Double {
            if let n = v as? NSNumber { return n.doubleValue }
            if let s = v as? String, let d = Double(s.trimmingSpaces()) { return d }
            throw InputError(path: source, location: location, "expected a number, got \(v)")
        }
        switch vr {
        case .SQ:
            let items = try values.enumerated().map { i, v -> DataSet in
                guard let o = v as? [String: Any] else { throw InputError(path: source, location: "\(location) item \(i)", "expected an object") }
                return try decode(o, source: source, location: "\(location) item \(i)").dataSet
            }
            ds.set(tag, sequence: items)
        case .PN:
            ds.set(tag, vr, strings: values.map { v in
                if let o = v as? [String: Any] { return (o["Alphabetic"] as? String) ?? "" }
                return (v as? String) ?? ""
            })
        case .DS, .IS:
            ds.set(tag, vr, strings: try values.map { v in
                if v is NSNull { return "" }
                if let s = v as? String { return s }
                let d = try number(v)
                // The writer's own DS formatting (shortest form within 16 characters).
                var scratch = DataSet(); scratch.set(tag, vr, doubles: [d])
                return scratch.string(tag) ?? ""
            })
        case .AT:
            var bytes: [UInt8] = []
            for v in values {
                guard let s = v as? String, let n = UInt32(s, radix: 16) else {
                    throw InputError(path: source, location: location, "AT value must be \"GGGGEEEE\"")
                }
                for word in [UInt16(n >> 16), UInt16(truncatingIfNeeded: n)] { withUnsafeBytes(of: word.littleEndian) { bytes += $0 } }
            }
            ds.set(tag, vr, bytes: bytes)
        case .FL, .FD, .SS, .US, .SL, .UL, .SV, .UV:
            ds.set(tag, vr, doubles: try values.map(number))
        default:
            ds.set(tag, vr, strings: values.map { v in
                if let s = v as? String { return s }
                if let n = v as? NSNumber { return n.stringValue }
                return ""
            })
        }
    }

    private static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a) \(b)" }
}

/// Little-endian 16-bit words of a byte array (for AT values).
enum BinaryValuesView {
    static func uint16s(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }
}
