// The DXA hip regions of interest.

/// A DXA-like region of the proximal femur.
public enum HipRegion: String, Sendable, Codable, CaseIterable {
    case femoralNeck, trochanter, intertrochanter, totalHip

    /// The name a report prints.
    public var displayName: String {
        switch self {
        case .femoralNeck: "femoral neck"
        case .trochanter: "trochanter"
        case .intertrochanter: "intertrochanter"
        case .totalHip: "total hip"
        }
    }

    /// The value of the region in `ProjectionImage.regions` (total hip = the union of codes 1–3).
    public var code: UInt8 {
        switch self {
        case .femoralNeck: 1
        case .trochanter: 2
        case .intertrochanter: 3
        case .totalHip: 0
        }
    }

    /// Whether a pixel labelled `label` belongs to this region.
    @inlinable public func contains(label: UInt8) -> Bool {
        self == .totalHip ? (label >= 1 && label <= 3) : label == code
    }
}
