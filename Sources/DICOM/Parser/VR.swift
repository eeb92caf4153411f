// Value representations (PS3.5 §6.2): how a value is encoded and how it is padded.

/// A DICOM value representation.
public enum VR: String, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV

    /// Parses the two ASCII bytes of an explicit-VR header; nil for anything not in the standard.
    init?(byte0: UInt8, byte1: UInt8) {
        guard byte0 >= 0x41, byte0 <= 0x5A, byte1 >= 0x41, byte1 <= 0x5A else { return nil }
        self.init(rawValue: String(decoding: [byte0, byte1], as: UTF8.self))
    }

    /// Explicit-VR encodings of these VRs use 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2).
    public var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: return true
        default: return false
        }
    }

    /// Character strings (as opposed to binary numbers or bytes).
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// Text VRs whose bytes are interpreted with SpecificCharacterSet (the others are plain ASCII).
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: return true
        default: return false
        }
    }

    /// Text VRs holding one value (a backslash is an ordinary character, not a separator).
    public var isSingleValuedText: Bool {
        switch self {
        case .LT, .ST, .UT, .UR: return true
        default: return false
        }
    }

    /// Size in bytes of one binary number of this VR (the byte-swap unit), nil when not a number.
    public var binaryWordSize: Int? {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return nil
        }
    }

    /// The byte appended to make a value's length even: NUL for UI and binary, space for text.
    public var paddingByte: UInt8 { isText && self != .UI ? 0x20 : 0x00 }
}
