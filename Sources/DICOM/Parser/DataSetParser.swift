// Decodes data elements, sequences and encapsulated pixel data from an encoded byte range.
// All reads are bounds-checked against the range: bad bytes become an InputError, never a trap.
import OpenBCTCore

/// How the elements in a byte range are encoded.
struct ElementEncoding: Equatable {
    var explicitVR: Bool
    var bigEndian: Bool
    static let implicitLittle = ElementEncoding(explicitVR: false, bigEndian: false)
    static let explicitLittle = ElementEncoding(explicitVR: true, bigEndian: false)
    static let explicitBig = ElementEncoding(explicitVR: true, bigEndian: true)
}

/// Parses one encoded buffer (a file, or an inflated deflate stream).
struct DataSetParser {
    let buffer: UnsafeRawBufferPointer
    let path: String?
    /// How positions are named in messages: "byte" in a file, "inflated byte" in a deflated stream.
    let positionLabel: String
    /// Added to buffer positions in messages (the file offset of the buffer's first byte).
    let positionBase: Int
    var stopBeforePixelData = false
    private(set) var warnings: [String] = []

    /// Nesting deeper than this is refused (it only occurs in crafted files, and would exhaust the stack).
    static let maximumDepth = 64
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    init(buffer: UnsafeRawBufferPointer, path: String?, positionLabel: String = "byte", positionBase: Int = 0) {
        self.buffer = buffer; self.path = path; self.positionLabel = positionLabel; self.positionBase = positionBase
    }

    func error(_ tag: Tag?, at position: Int, _ message: String) -> InputError {
        let place = "\(positionLabel) \(positionBase + position)"
        let location = tag.map { "\($0.label) at \(place)" } ?? place
        return InputError(path: path, location: location, message)
    }

    mutating func warn(_ tag: Tag?, at position: Int, _ message: String) {
        let t = tag.map { "\($0) " } ?? ""
        warnings.append("\(t)at \(positionLabel) \(positionBase + position): \(message)")
    }

    // MARK: Primitive reads (callers check bounds first)

    @inline(__always) func u16(_ p: Int, _ big: Bool) -> UInt16 {
        let v = buffer.loadUnaligned(fromByteOffset: p, as: UInt16.self)
        return big ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    @inline(__always) func u32(_ p: Int, _ big: Bool) -> UInt32 {
        let v = buffer.loadUnaligned(fromByteOffset: p, as: UInt32.self)
        return big ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    func tag(at p: Int, _ big: Bool) -> Tag { Tag(u16(p, big), u16(p + 2, big)) }

    func copy(_ range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: buffer[range])) }

    // MARK: Data sets

    /// Where a data set ends.
    enum Terminator {
        /// At the end of the range (top level, or a defined-length item).
        case rangeEnd
        /// At an Item Delimitation Item (an undefined-length item).
        case itemDelimiter
        /// Before the first element whose group differs (the file meta group).
        case groupChange(UInt16)
    }

    /// Parses elements from `start` up to `end` or the terminator; returns the data set and the
    /// position after it.
    mutating func parseDataSet(from start: Int, to end: Int, encoding: ElementEncoding,
                               characterSet inherited: SpecificCharacterSet, terminator: Terminator,
                               depth: Int = 0) throws -> (DataSet, next: Int) {
        guard depth <= Self.maximumDepth else {
            throw error(nil, at: start, "sequences nested deeper than \(Self.maximumDepth) levels")
        }
        var elements: [DataElement] = []
        var charset = inherited
        var pixelRepresentation: Int?
        var pos = start
        while pos < end {
            guard end - pos >= 8 else {
                if case .itemDelimiter = terminator {
                    throw error(nil, at: pos, "\(end - pos) bytes left where an element or item delimiter was expected")
                }
                warn(nil, at: pos, "ignored \(end - pos) trailing bytes (too short for an element header)")
                pos = end; break
            }
            let tag = tag(at: pos, encoding.bigEndian)
            if case .groupChange(let group) = terminator, tag.group != group { break }
            if tag == .itemDelimitationItem {
                if case .itemDelimiter = terminator { return (makeDataSet(elements, encoding, charset), pos + 8) }
                warn(tag, at: pos, "item delimiter outside an undefined-length item ignored")
                pos += 8; continue
            }
            if tag == .sequenceDelimitationItem || tag == .item {
                if depth == 0, elements.isEmpty == false, case .rangeEnd = terminator {
                    warn(tag, at: pos, "stray sequence delimiter/item at top level: ignored the remaining \(end - pos) bytes")
                    pos = end; break
                }
                throw error(tag, at: pos, "item or sequence delimiter where a data element was expected")
            }
            if stopBeforePixelData, depth == 0, tag == .pixelData { break }

            // Element header.
            var vr: VR
            let length: UInt32
            let valueStart: Int
            if encoding.explicitVR {
                let b0 = buffer[pos + 4], b1 = buffer[pos + 5]
                guard let explicit = VR(byte0: b0, byte1: b1) else {
                    throw error(tag, at: pos + 4, "invalid VR bytes 0x\(hex2(b0)) 0x\(hex2(b1)); expected two letters naming a VR (explicit VR transfer syntax)")
                }
                vr = explicit
                if vr.hasLongLength {
                    guard end - pos >= 12 else { throw error(tag, at: pos, "truncated element header (needs 12 bytes, \(end - pos) left)") }
                    length = u32(pos + 8, encoding.bigEndian); valueStart = pos + 12
                } else {
                    length = UInt32(u16(pos + 6, encoding.bigEndian)); valueStart = pos + 8
                }
            } else {
                vr = DataDictionary.entry(for: tag)?.vr ?? .UN
                if vr == .US, pixelRepresentation == 1, Self.pixelValueTags.contains(tag) { vr = .SS }
                length = u32(pos + 4, encoding.bigEndian); valueStart = pos + 8
            }

            let element: DataElement
            if length == Self.undefinedLength {
                if tag == .pixelData && vr != .SQ {
                    let (pixels, next) = try parseEncapsulated(tag, from: valueStart, to: end, encoding: encoding)
                    element = DataElement(tag: tag, vr: vr == .UN ? .OB : vr, value: .encapsulated(pixels)); pos = next
                } else if vr == .SQ || vr == .UN || !encoding.explicitVR {
                    // PS3.5 §6.2.2: UN of undefined length is an implicit VR little endian sequence.
                    let itemEncoding = vr == .UN && encoding.explicitVR ? ElementEncoding.implicitLittle : encoding
                    let (items, next) = try parseItems(tag, from: valueStart, to: end, length: nil,
                                                       encoding: itemEncoding, characterSet: charset, depth: depth)
                    element = DataElement(tag: tag, vr: .SQ, value: .sequence(items)); pos = next
                } else {
                    throw error(tag, at: pos, "undefined length (0xFFFFFFFF) is not allowed for VR \(vr.rawValue)")
                }
            } else {
                var count = Int(length)
                if count > end - valueStart {
                    // Truncated pixel data at the end of a file: keep the header usable; frame access
                    // reports the truncation. Any other overrun is refused.
                    guard depth == 0, tag == .pixelData, case .rangeEnd = terminator else {
                        throw error(tag, at: pos, "value length \(count) exceeds the \(max(0, end - valueStart)) bytes left in the \(depth == 0 ? "data" : "enclosing item")")
                    }
                    warn(tag, at: pos, "pixel data truncated: value length \(count), only \(end - valueStart) bytes present")
                    count = end - valueStart
                }
                let range = valueStart ..< valueStart + count
                if vr == .SQ {
                    let (items, _) = try parseItems(tag, from: range.lowerBound, to: range.upperBound, length: count,
                                                    encoding: encoding, characterSet: charset, depth: depth)
                    element = DataElement(tag: tag, vr: .SQ, value: .sequence(items))
                } else if vr == .UN, !tag.isPrivate, let items = unknownAsSequence(tag, range, charset: charset, depth: depth) {
                    element = DataElement(tag: tag, vr: .SQ, value: .sequence(items))
                } else {
                    if vr == .UN, !encoding.bigEndian, let known = DataDictionary.entry(for: tag)?.vr, known != .SQ {
                        vr = known   // UN of a known attribute (PS3.5 §6.2.2 note): relabel, as pydicom does
                    }
                    element = DataElement(tag: tag, vr: vr, value: .bytes(copy(range)))
                }
                pos = range.upperBound
            }
            if tag == .specificCharacterSet { charset = characterSet(of: element, at: pos) }
            if tag == .pixelRepresentation, case .bytes(let b) = element.value, b.count >= 2 {
                pixelRepresentation = Int(encoding.bigEndian ? b[1] : b[0])
            }
            elements.append(element)
        }
        if case .itemDelimiter = terminator {
            throw error(nil, at: pos, "item of undefined length not closed by an item delimiter (FFFE,E00D) before the end of its sequence")
        }
        return (makeDataSet(elements, encoding, charset), pos)
    }

    /// A UN value of a standard attribute (explicit UN, or one missing from our dictionary in
    /// implicit VR) that starts with an item tag is a sequence in implicit VR little endian
    /// (PS3.5 §6.2.2): parsed as such; nil (keep the bytes) when it does not parse. Private
    /// attributes keep their bytes, as pydicom and dcmtk do.
    private mutating func unknownAsSequence(_ tag: Tag, _ range: Range<Int>, charset: SpecificCharacterSet,
                                            depth: Int) -> [DataSet]? {
        guard range.count >= 8, u16(range.lowerBound, false) == 0xFFFE,
              u16(range.lowerBound + 2, false) == 0xE000 || u16(range.lowerBound + 2, false) == 0xE0DD
        else { return nil }
        let saved = warnings
        guard let (items, _) = try? parseItems(tag, from: range.lowerBound, to: range.upperBound, length: range.count,
                                               encoding: .implicitLittle, characterSet: charset, depth: depth)
        else { warnings = saved; return nil }
        return items
    }

    /// Attributes whose VR is US or SS depending on PixelRepresentation (implicit VR only).
    static let pixelValueTags: Set<Tag> = [.smallestImagePixelValue, .largestImagePixelValue, .pixelPaddingValue]

    private func makeDataSet(_ elements: [DataElement], _ encoding: ElementEncoding,
                             _ charset: SpecificCharacterSet) -> DataSet {
        DataSet(elements: elements, isBigEndian: encoding.bigEndian, characterSet: charset)
    }

    private mutating func characterSet(of element: DataElement, at pos: Int) -> SpecificCharacterSet {
        let terms = String(decoding: element.bytes, as: UTF8.self).split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
        let set = SpecificCharacterSet(terms: terms)
        if case .unsupported(let term) = set {
            warn(element.tag, at: pos, "character set '\(term)' is not supported; its text is decoded as ISO 8859-1 (Latin-1)")
        }
        return set
    }

    // MARK: Sequences

    /// Parses sequence items from `start`: up to `start + length` when the sequence has a defined
    /// length, else up to its Sequence Delimitation Item.
    mutating func parseItems(_ sequenceTag: Tag, from start: Int, to end: Int, length: Int?,
                             encoding: ElementEncoding, characterSet: SpecificCharacterSet,
                             depth: Int) throws -> ([DataSet], next: Int) {
        var items: [DataSet] = []
        var pos = start
        while true {
            if length != nil && pos >= end { return (items, end) }
            guard end - pos >= 8 else {
                throw error(sequenceTag, at: pos, "sequence truncated: an item or sequence delimiter was expected, \(end - pos) bytes left")
            }
            let tag = tag(at: pos, encoding.bigEndian)
            let itemLength = u32(pos + 4, encoding.bigEndian)
            if tag == .sequenceDelimitationItem {
                pos += 8
                if length == nil { return (items, pos) }
                warn(sequenceTag, at: pos - 8, "sequence delimiter inside a defined-length sequence ignored")
                continue
            }
            guard tag == .item else {
                throw error(sequenceTag, at: pos, "expected an item tag (FFFE,E000) in the sequence, found \(tag)")
            }
            if itemLength == Self.undefinedLength {
                let (item, next) = try parseDataSet(from: pos + 8, to: end, encoding: encoding, characterSet: characterSet,
                                                    terminator: .itemDelimiter, depth: depth + 1)
                items.append(item); pos = next
            } else {
                var count = Int(itemLength)
                if count > end - (pos + 8) {
                    // A last item overrunning its sequence (seen in truncated DICOMDIRs): read what is there.
                    warn(sequenceTag, at: pos, "item length \(count) exceeds the \(end - pos - 8) bytes left in the sequence; item read up to the sequence end")
                    count = end - (pos + 8)
                }
                let (item, _) = try parseDataSet(from: pos + 8, to: pos + 8 + count, encoding: encoding,
                                                 characterSet: characterSet, terminator: .rangeEnd, depth: depth + 1)
                items.append(item); pos += 8 + count
            }
        }
    }

    // MARK: Encapsulated pixel data

    /// Parses the Basic Offset Table item and the fragment items up to the Sequence Delimitation Item.
    /// A missing delimiter at the end of the data is tolerated with a warning, the pixel data being
    /// marked incomplete.
    mutating func parseEncapsulated(_ pixelTag: Tag, from start: Int, to end: Int,
                                    encoding: ElementEncoding) throws -> (EncapsulatedPixelData, next: Int) {
        var pos = start
        var offsetTable: [UInt64]?
        var fragments: [[UInt8]] = []
        var isComplete = true
        while true {
            if pos == end {
                warn(pixelTag, at: pos, "encapsulated pixel data ends without a sequence delimiter (FFFE,E0DD): truncated file, frames unavailable")
                isComplete = false
                break
            }
            guard end - pos >= 8 else {
                throw error(pixelTag, at: pos, "encapsulated pixel data truncated: \(end - pos) bytes where an item header (8 bytes) was expected")
            }
            let tag = tag(at: pos, encoding.bigEndian)
            let length = u32(pos + 4, encoding.bigEndian)
            if tag == .sequenceDelimitationItem { pos += 8; break }
            guard tag == .item else {
                throw error(pixelTag, at: pos, "expected a fragment item (FFFE,E000) in encapsulated pixel data, found \(tag)")
            }
            guard length != Self.undefinedLength, Int(length) <= end - pos - 8 else {
                throw error(pixelTag, at: pos, "fragment length \(length == Self.undefinedLength ? "undefined" : String(length)) exceeds the \(end - pos - 8) bytes left")
            }
            let range = pos + 8 ..< pos + 8 + Int(length)
            if offsetTable == nil {
                guard length % 4 == 0 else {
                    throw error(pixelTag, at: pos, "Basic Offset Table length \(length) is not a multiple of 4")
                }
                offsetTable = stride(from: range.lowerBound, to: range.upperBound, by: 4).map { UInt64(u32($0, false)) }
            } else {
                fragments.append(copy(range))
            }
            pos = range.upperBound
        }
        return (EncapsulatedPixelData(basicOffsetTable: offsetTable ?? [], fragments: fragments, isComplete: isComplete), pos)
    }
}

func hex2(_ b: UInt8) -> String {
    let s = String(b, radix: 16, uppercase: true)
    return s.count == 1 ? "0" + s : s
}
