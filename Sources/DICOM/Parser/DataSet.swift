// A data set: elements sorted by tag, with typed accessors that decode text and numbers.
import Foundation

/// A DICOM data set (the top level of a file, or one sequence item).
///
/// Values are kept as encoded (`ElementValue.bytes`, in the file's byte order); the accessors below
/// decode them on demand: text with `characterSet`, binary numbers with `isBigEndian`.
public struct DataSet: Sendable {
    /// The elements in ascending tag order (at most one per tag).
    public private(set) var elements: [DataElement]
    /// Byte order of binary values in `.bytes` (true only for Explicit VR Big Endian input).
    public var isBigEndian: Bool
    /// The repertoire of text values (inherited by sequence items that have no (0008,0005)).
    public var characterSet: SpecificCharacterSet

    public init(elements: [DataElement] = [], isBigEndian: Bool = false,
                characterSet: SpecificCharacterSet = .defaultRepertoire) {
        self.isBigEndian = isBigEndian
        self.characterSet = characterSet
        self.elements = DataSet.sortedUnique(elements)
    }

    /// Sorts by tag; when a tag repeats, the later element wins (as pydicom and dcmtk do).
    static func sortedUnique(_ elements: [DataElement]) -> [DataElement] {
        var isSortedUnique = true
        for i in elements.indices.dropFirst() where elements[i - 1].tag >= elements[i].tag {
            isSortedUnique = false; break
        }
        if isSortedUnique { return elements }
        var latest: [Tag: Int] = [:]
        for (i, e) in elements.enumerated() { latest[e.tag] = i }
        return latest.sorted { $0.key < $1.key }.map { elements[$0.value] }
    }

    public var isEmpty: Bool { elements.isEmpty }

    private func index(of tag: Tag) -> (found: Bool, at: Int) {
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if elements[mid].tag < tag { lo = mid + 1 } else { hi = mid }
        }
        return (lo < elements.count && elements[lo].tag == tag, lo)
    }

    public subscript(tag: Tag) -> DataElement? {
        let (found, i) = index(of: tag)
        return found ? elements[i] : nil
    }

    public func contains(_ tag: Tag) -> Bool { index(of: tag).found }

    // MARK: Text

    /// The first value as text: decoded with the character set, padding trimmed. For binary VRs,
    /// the first number written in decimal. Nil when absent or empty.
    public func string(_ tag: Tag) -> String? {
        strings(tag).first.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// All values as text (split at backslashes except for LT, ST, UT and UR), each with leading
    /// and trailing spaces (and trailing NULs) removed. Binary numbers are written in decimal.
    public func strings(_ tag: Tag) -> [String] {
        guard let e = self[tag], case .bytes(let bytes) = e.value, !bytes.isEmpty else { return [] }
        if !e.vr.isText {
            if e.vr == .FL || e.vr == .FD || e.vr == .OF || e.vr == .OD { return doubles(tag).map { "\($0)" } }
            return ints(tag).map(String.init)
        }
        let charset = e.vr.usesSpecificCharacterSet ? characterSet : .defaultRepertoire
        return bytes.withUnsafeBytes { raw in
            var values: [String] = []
            var start = 0
            let split = !e.vr.isSingleValuedText
            for i in 0...raw.count where i == raw.count || (split && raw[i] == 0x5C) {
                values.append(Self.trimmed(UnsafeRawBufferPointer(rebasing: raw[start..<i]), charset, vr: e.vr))
                start = i + 1
            }
            return values
        }
    }

    private static func trimmed(_ b: UnsafeRawBufferPointer, _ charset: SpecificCharacterSet, vr: VR) -> String {
        var lo = 0, hi = b.count
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0 { hi -= 1 }
        // Leading spaces are significant in LT, ST and UT (PS3.5 §6.2).
        if !vr.isSingleValuedText { while lo < hi, b[lo] == 0x20 { lo += 1 } }
        return charset.decode(UnsafeRawBufferPointer(rebasing: b[lo..<hi]))
    }

    // MARK: Numbers

    /// All values as doubles: DS/IS text parsed, binary VRs (FL, FD, US, SS, UL, SL, SV, UV, OF, OD,
    /// OW) read in the data set's byte order. Unparseable text values are skipped.
    public func doubles(_ tag: Tag) -> [Double] {
        guard let e = self[tag], case .bytes(let bytes) = e.value else { return [] }
        if e.vr.isText { return strings(tag).compactMap { Double($0) } }
        return BinaryValues(bytes: bytes, vr: e.vr, bigEndian: isBigEndian).doubles
    }

    public func double(_ tag: Tag) -> Double? { doubles(tag).first }

    /// All values as integers: IS text (and integral DS text), or binary integer VRs in the data
    /// set's byte order. Non-integral or unparseable values are skipped.
    public func ints(_ tag: Tag) -> [Int] {
        guard let e = self[tag], case .bytes(let bytes) = e.value else { return [] }
        if e.vr.isText {
            return strings(tag).compactMap { s in
                if let i = Int(s) { return i }
                if let d = Double(s), d.rounded() == d, abs(d) < 9e18 { return Int(d) }
                return nil
            }
        }
        return BinaryValues(bytes: bytes, vr: e.vr, bigEndian: isBigEndian).ints
    }

    public func int(_ tag: Tag) -> Int? { ints(tag).first }

    /// The items of a sequence, or nil when the element is absent or not a sequence.
    public func sequence(_ tag: Tag) -> [DataSet]? {
        guard let e = self[tag], case .sequence(let items) = e.value else { return nil }
        return items
    }

    // MARK: Building (used by the writer)

    /// Inserts or replaces an element.
    public mutating func set(_ element: DataElement) {
        let (found, i) = index(of: element.tag)
        if found { elements[i] = element } else { elements.insert(element, at: i) }
    }

    /// Removes an element if present.
    public mutating func remove(_ tag: Tag) {
        let (found, i) = index(of: tag)
        if found { elements.remove(at: i) }
    }

    /// Sets raw value bytes (in this data set's byte order).
    public mutating func set(_ tag: Tag, _ vr: VR, bytes: [UInt8]) {
        set(DataElement(tag: tag, vr: vr, value: .bytes(bytes)))
    }

    /// Sets a text value (several values are joined with backslashes).
    public mutating func set(_ tag: Tag, _ vr: VR, strings: [String]) {
        let charset = vr.usesSpecificCharacterSet ? characterSet : .defaultRepertoire
        set(tag, vr, bytes: charset.encode(strings.joined(separator: "\\")))
    }

    public mutating func set(_ tag: Tag, _ vr: VR, string: String) { set(tag, vr, strings: [string]) }

    /// Sets numbers: DS/IS as text (shortest round-trip form that fits 16 characters for DS),
    /// binary VRs encoded in this data set's byte order.
    public mutating func set(_ tag: Tag, _ vr: VR, doubles: [Double]) {
        switch vr {
        case .DS: set(tag, vr, strings: doubles.map(Self.decimalString))
        case .IS: set(tag, vr, strings: doubles.map { String(Int($0.rounded())) })
        default: set(tag, vr, bytes: BinaryValues.encode(doubles, vr: vr, bigEndian: isBigEndian))
        }
    }

    public mutating func set(_ tag: Tag, _ vr: VR, ints: [Int]) {
        switch vr {
        case .IS, .DS: set(tag, vr, strings: ints.map(String.init))
        default: set(tag, vr, bytes: BinaryValues.encode(ints.map(Double.init), vr: vr, bigEndian: isBigEndian))
        }
    }

    /// Sets a sequence (the VR is always SQ; the parameter exists for symmetry with the other setters).
    public mutating func set(_ tag: Tag, _ vr: VR = .SQ, sequence items: [DataSet]) {
        set(DataElement(tag: tag, vr: .SQ, value: .sequence(items)))
    }

    /// A DS value of at most 16 characters (PS3.5 §6.2): the shortest exact form if it fits,
    /// else rounded to fewer significant digits.
    static func decimalString(_ v: Double) -> String {
        var s = "\(v)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        if s.count <= 16 { return s }
        for digits in stride(from: 15, through: 1, by: -1) {
            let t = String(format: "%.\(digits)g", v)
            if t.count <= 16 { return t }
        }
        return String(format: "%.0f", v)
    }
}
