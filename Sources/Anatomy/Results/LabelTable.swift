// The label values of OpenBCT's anatomy label maps (documented in docs/anatomy.md).

/// OpenBCT's label values. A label map is UInt8; 0 is background.
public enum AnatomyLabel {
    public static let femurLeft: UInt8 = 1
    public static let femurRight: UInt8 = 2
    /// Pelvic bone on the acetabular side of each hip joint (as far as the hip ROI reaches).
    public static let pelvisLeft: UInt8 = 3
    public static let pelvisRight: UInt8 = 4

    /// Vertebral body of a named level: 100 + level number (C1 = 1 … L5 = 24, L6 = 25, sacrum = 26).
    public static func body(_ level: VertebralLevel) -> UInt8 { UInt8(100 + level.rawValue) }
    /// Posterior elements of a named level: 150 + level number.
    public static func posterior(_ level: VertebralLevel) -> UInt8 { UInt8(150 + level.rawValue) }
    /// Body of an unnamed vertebra, by chain ordinal from the most inferior (0…19): 200 + ordinal.
    public static func unnamedBody(_ ordinal: Int) -> UInt8 { UInt8(200 + min(ordinal, 19)) }
    /// Posterior elements of an unnamed vertebra: 220 + ordinal.
    public static func unnamedPosterior(_ ordinal: Int) -> UInt8 { UInt8(220 + min(ordinal, 19)) }
    public static func femur(_ side: Side) -> UInt8 { side == .left ? femurLeft : femurRight }
    public static func pelvis(_ side: Side) -> UInt8 { side == .left ? pelvisLeft : pelvisRight }

    /// Name of a label value ("femur_left", "L1_body", "vertebra_0_posterior", …), nil if unused.
    public static func name(of value: UInt8) -> String? {
        switch value {
        case 0: return "background"
        case femurLeft: return "femur_left"
        case femurRight: return "femur_right"
        case pelvisLeft: return "pelvis_left"
        case pelvisRight: return "pelvis_right"
        case 101...126: return VertebralLevel(rawValue: Int(value) - 100).map { "\($0.name)_body" }
        case 151...176: return VertebralLevel(rawValue: Int(value) - 150).map { "\($0.name)_posterior" }
        case 200..<220: return "vertebra_\(value - 200)_body"
        case 220..<240: return "vertebra_\(value - 220)_posterior"
        default: return nil
        }
    }
}

/// One row of the label table written with every label map.
public struct LabelEntry: Sendable, Codable, Equatable {
    public var value: UInt8
    public var name: String
}
