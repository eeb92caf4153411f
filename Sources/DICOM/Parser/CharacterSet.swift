// SpecificCharacterSet (0008,0005): how the bytes of PN, LO, SH, ST, LT, UT and UC values are decoded.

/// The character repertoire of a data set's text values.
public enum SpecificCharacterSet: Sendable, Equatable {
    /// No (0008,0005) or ISO_IR 6: ASCII. Decoded as Latin-1 so stray 8-bit bytes survive.
    case defaultRepertoire
    /// ISO_IR 100 / ISO 2022 IR 100: ISO 8859-1.
    case latin1
    /// ISO_IR 192: UTF-8.
    case utf8
    /// Any other defined term: decoded as Latin-1 (a warning is recorded when it is read).
    case unsupported(String)

    /// Interprets the values of (0008,0005). Code extensions (several values) are supported only
    /// when every value is one of the repertoires above.
    init(terms: [String]) {
        let known = terms.map { $0.trimmingDicomPadding() }.filter { !$0.isEmpty }
        if known.isEmpty { self = .defaultRepertoire; return }
        var result = SpecificCharacterSet.defaultRepertoire
        for term in known {
            switch term {
            case "ISO_IR 6", "ISO 2022 IR 6": continue
            case "ISO_IR 100", "ISO 2022 IR 100": result = .latin1
            case "ISO_IR 192": result = .utf8
            default: self = .unsupported(known.joined(separator: "\\")); return
            }
        }
        self = result
    }

    /// The value of (0008,0005) this repertoire is written as (nil for the default).
    public var definedTerm: String? {
        switch self {
        case .defaultRepertoire: return nil
        case .latin1: return "ISO_IR 100"
        case .utf8: return "ISO_IR 192"
        case .unsupported(let t): return t
        }
    }

    /// Decodes one value's bytes.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        if case .utf8 = self { return String(decoding: bytes, as: UTF8.self) }
        // Latin-1: each byte is the Unicode scalar of the same number.
        var s = String(); s.unicodeScalars.reserveCapacity(bytes.count)
        for b in bytes { s.unicodeScalars.append(Unicode.Scalar(b)) }
        return s
    }

    /// Encodes text for writing (UTF-8 for `.utf8`; Latin-1 otherwise, '?' for unencodable characters).
    func encode(_ text: String) -> [UInt8] {
        if case .utf8 = self { return Array(text.utf8) }
        return text.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : 0x3F }
    }
}
