// Encodes data elements, sequences and encapsulated pixel data into bytes of one transfer syntax.
import OpenBCTCore

/// How the writer encodes sequence and item lengths.
public enum SequenceLengthEncoding: Sendable {
    /// 0xFFFFFFFF with delimitation items (streamable; the common choice).
    case undefined
    /// Explicit byte counts computed from the encoded items.
    case defined
}

struct ElementEncoder {
    let explicitVR: Bool
    let bigEndian: Bool
    let sequenceLengths: SequenceLengthEncoding

    private func put16(_ v: UInt16, _ out: inout [UInt8]) {
        withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian) { out.append(contentsOf: $0) }
    }

    private func put32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian) { out.append(contentsOf: $0) }
    }

    private func putTag(_ t: Tag, _ out: inout [UInt8]) { put16(t.group, &out); put16(t.element, &out) }

    /// Encodes a data set's elements (group lengths are dropped: they would be stale).
    func encode(_ ds: DataSet, into out: inout [UInt8]) throws {
        for e in ds.elements where !e.tag.isGroupLength {
            try encode(e, from: ds, into: &out)
        }
    }

    private func header(_ tag: Tag, _ vr: VR, length: UInt32, _ out: inout [UInt8]) throws {
        putTag(tag, &out)
        if explicitVR {
            out.append(contentsOf: vr.rawValue.utf8)
            if vr.hasLongLength {
                out.append(contentsOf: [0, 0]); put32(length, &out)
            } else {
                guard length <= UInt32(UInt16.max) else {
                    throw InputError(location: tag.label, "value of \(length) bytes is too long for VR \(vr.rawValue) (at most 65534)")
                }
                put16(UInt16(length), &out)
            }
        } else {
            put32(length, &out)
        }
    }

    private func encode(_ e: DataElement, from ds: DataSet, into out: inout [UInt8]) throws {
        switch e.value {
        case .bytes(let bytes):
            var value = bytes
            if ds.isBigEndian != bigEndian, let unit = e.vr.binaryWordSize, unit > 1 {
                let whole = value.count - value.count % unit
                for w in stride(from: 0, to: whole, by: unit) { value[w ..< w + unit].reverse() }
            }
            if value.count % 2 == 1 { value.append(e.vr.paddingByte) }
            guard value.count < Int(UInt32.max) else {
                throw InputError(location: e.tag.label, "value of \(value.count) bytes does not fit a 32-bit length")
            }
            try header(e.tag, e.vr, length: UInt32(value.count), &out)
            out.append(contentsOf: value)
        case .sequence(let items):
            switch sequenceLengths {
            case .undefined:
                try header(e.tag, .SQ, length: 0xFFFF_FFFF, &out)
                for item in items {
                    putTag(.item, &out); put32(0xFFFF_FFFF, &out)
                    try encode(item, into: &out)
                    putTag(.itemDelimitationItem, &out); put32(0, &out)
                }
                putTag(.sequenceDelimitationItem, &out); put32(0, &out)
            case .defined:
                var body: [UInt8] = []
                for item in items {
                    var encoded: [UInt8] = []
                    try encode(item, into: &encoded)
                    putTag(.item, &body); put32(UInt32(encoded.count), &body)
                    body += encoded
                }
                try header(e.tag, .SQ, length: UInt32(body.count), &out)
                out += body
            }
        case .encapsulated(let pixels):
            guard !bigEndian else {
                throw InputError(location: e.tag.label, "encapsulated pixel data cannot be written big endian")
            }
            try header(e.tag, .OB, length: 0xFFFF_FFFF, &out)
            // Basic Offset Table: as given (offsets refer to the same fragment layout we write).
            putTag(.item, &out); put32(UInt32(pixels.basicOffsetTable.count * 4), &out)
            for offset in pixels.basicOffsetTable { put32(UInt32(truncatingIfNeeded: offset), &out) }
            for fragment in pixels.fragments {
                let padded = fragment.count % 2 == 1
                putTag(.item, &out); put32(UInt32(fragment.count + (padded ? 1 : 0)), &out)
                out += fragment
                if padded { out.append(0) }
            }
            putTag(.sequenceDelimitationItem, &out); put32(0, &out)
        }
    }
}
