// A ZIP archive produced as a stream (PKWARE APPNOTE.TXT 6.3.10): each entry's local header and bytes
// as it is added, the central directory at the end — so a download starts at once and the server never
// holds the whole archive. Entries are stored, not deflated: the research export is CT slices (pixel data
// gains roughly 2:1 at best) and a download should cost the server disk reads, not minutes of CPU.
// Zip64 records are written when a size, an offset or the entry count passes the classic 32/16-bit
// fields, so exports larger than 4 GiB stay valid archives.
import CZlib
import Foundation

struct ZipStreamWriter {
    private struct Entry {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
    }

    private var entries: [Entry] = []
    private var offset: UInt64 = 0
    private let dosTime: UInt16
    private let dosDate: UInt16
    /// Sizes and offsets at or above this go into Zip64 fields. Only tests lower it (to read Zip64
    /// archives of a few kilobytes with other tools); every archive keeps the 32-bit limit otherwise.
    let zip64Threshold: UInt64

    /// `modified`: the time every entry carries (MS-DOS date and time, UTC).
    init(modified: Date = Date(), zip64Threshold: UInt64 = 0xFFFF_FFFF) {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: modified)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        dosDate = UInt16(max((c.year ?? 1980) - 1980, 0) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        self.zip64Threshold = zip64Threshold
    }

    /// One stored entry: its local header followed by `data`. `name` uses `/` between folders.
    mutating func entry(name: String, data: Data) -> Data {
        let nameBytes = Array(name.utf8)
        let size = UInt64(data.count)
        let crc = Self.crc32(data)
        let zip64 = size >= zip64Threshold
        var out = Data()
        out.reserveCapacity(30 + nameBytes.count + 20 + data.count)
        out.le32(0x0403_4B50)
        out.le16(zip64 ? 45 : 20)                       // version needed: 4.5 for Zip64, else 2.0
        out.le16(0x0800)                                // names are UTF-8
        out.le16(0)                                     // stored
        out.le16(dosTime); out.le16(dosDate)
        out.le32(crc)
        out.le32(zip64 ? 0xFFFF_FFFF : UInt32(size))    // compressed size
        out.le32(zip64 ? 0xFFFF_FFFF : UInt32(size))    // uncompressed size
        out.le16(UInt16(nameBytes.count))
        out.le16(zip64 ? 20 : 0)
        out.append(contentsOf: nameBytes)
        if zip64 { out.le16(0x0001); out.le16(16); out.le64(size); out.le64(size) }
        out.append(data)
        entries.append(Entry(name: nameBytes, crc: crc, size: size, offset: offset))
        offset += UInt64(out.count)
        return out
    }

    /// The central directory and end records; the archive is complete after these bytes.
    mutating func finish() -> Data {
        var out = Data()
        let directoryOffset = offset
        for e in entries {
            let bigSize = e.size >= zip64Threshold, bigOffset = e.offset >= zip64Threshold
            var extra = Data()
            if bigSize { extra.le64(e.size); extra.le64(e.size) }   // uncompressed, compressed
            if bigOffset { extra.le64(e.offset) }
            out.le32(0x0201_4B50)
            out.le16(3 << 8 | 45)                       // made by: UNIX, 4.5
            out.le16(bigSize || bigOffset ? 45 : 20)
            out.le16(0x0800); out.le16(0)
            out.le16(dosTime); out.le16(dosDate)
            out.le32(e.crc)
            out.le32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
            out.le32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
            out.le16(UInt16(e.name.count))
            out.le16(extra.isEmpty ? 0 : UInt16(4 + extra.count))
            out.le16(0); out.le16(0); out.le16(0)       // comment length, disk number, internal attributes
            out.le32(0o100644 << 16)                    // external attributes: a regular file, rw-r--r--
            out.le32(bigOffset ? 0xFFFF_FFFF : UInt32(e.offset))
            out.append(contentsOf: e.name)
            if !extra.isEmpty { out.le16(0x0001); out.le16(UInt16(extra.count)); out.append(extra) }
        }
        let directorySize = UInt64(out.count)
        let count = UInt64(entries.count)
        let zip64 = count >= 0xFFFF || directorySize >= zip64Threshold || directoryOffset >= zip64Threshold
        if zip64 {
            let recordOffset = directoryOffset + directorySize
            out.le32(0x0606_4B50); out.le64(44)         // Zip64 end of central directory record
            out.le16(3 << 8 | 45); out.le16(45)
            out.le32(0); out.le32(0)
            out.le64(count); out.le64(count)
            out.le64(directorySize); out.le64(directoryOffset)
            out.le32(0x0706_4B50); out.le32(0)          // its locator
            out.le64(recordOffset); out.le32(1)
        }
        out.le32(0x0605_4B50)                           // end of central directory
        out.le16(0); out.le16(0)
        out.le16(zip64 ? 0xFFFF : UInt16(count)); out.le16(zip64 ? 0xFFFF : UInt16(count))
        out.le32(zip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        out.le32(zip64 ? 0xFFFF_FFFF : UInt32(directoryOffset))
        out.le16(0)
        offset += UInt64(out.count)
        return out
    }

    /// CRC-32 (ISO 3309, the ZIP and gzip one) by zlib, in pieces its 32-bit length takes.
    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw in
            var crc = CZlib.crc32(0, nil, 0)
            var start = 0
            while start < raw.count {
                let n = min(raw.count - start, 1 << 30)
                crc = CZlib.crc32(crc, raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self), uInt(n))
                start += n
            }
            return UInt32(crc)
        }
    }
}

private extension Data {
    mutating func le16(_ v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func le32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func le64(_ v: UInt64) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
}
