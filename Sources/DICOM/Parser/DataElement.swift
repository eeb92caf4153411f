// One attribute of a data set and the forms its value can take.

/// One DICOM attribute: tag, VR and value.
public struct DataElement: Sendable {
    public let tag: Tag
    public let vr: VR
    public let value: ElementValue

    public init(tag: Tag, vr: VR, value: ElementValue) {
        self.tag = tag; self.vr = vr; self.value = value
    }

    /// The raw value bytes (empty for sequences and encapsulated pixel data).
    public var bytes: [UInt8] {
        if case .bytes(let b) = value { return b }
        return []
    }
}

/// The value of a data element.
///
/// `.bytes` holds the value exactly as encoded in the file *in the file's byte order* (big endian
/// for Explicit VR Big Endian, little endian otherwise), including any padding byte. The typed
/// accessors of `DataSet` (`ints`, `doubles`, …) swap according to `DataSet.isBigEndian`.
public enum ElementValue: Sendable {
    case bytes([UInt8])
    case sequence([DataSet])
    case encapsulated(EncapsulatedPixelData)
}

/// Encapsulated (compressed) pixel data: the Basic Offset Table and the fragments (PS3.5 §A.4).
public struct EncapsulatedPixelData: Sendable {
    /// Offsets of each frame's first fragment item, relative to the first fragment item's tag.
    /// Empty when the file has an empty Basic Offset Table item.
    public var basicOffsetTable: [UInt64]
    /// The fragments' bytes, in order.
    public var fragments: [[UInt8]]
    /// Offset of each fragment's item tag relative to the first fragment item's tag (the coordinate
    /// system of the Basic and Extended Offset Tables).
    public var fragmentOffsets: [UInt64]
    /// False when the file ended before the Sequence Delimitation Item: fragments may be missing,
    /// so frame access is refused (the rest of the file stays readable).
    public var isComplete: Bool

    public init(basicOffsetTable: [UInt64], fragments: [[UInt8]], isComplete: Bool = true) {
        self.basicOffsetTable = basicOffsetTable
        self.fragments = fragments
        self.isComplete = isComplete
        var offsets: [UInt64] = [], position: UInt64 = 0
        for f in fragments { offsets.append(position); position += 8 + UInt64(f.count) }
        self.fragmentOffsets = offsets
    }
}
