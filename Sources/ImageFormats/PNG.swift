// PNG writing (8-bit grey or RGB, no interlace) for figures that travel beside a result document.
import CZlib
import Foundation

/// A minimal PNG encoder: 8-bit greyscale (1 channel) or RGB (3 channels), filter 0 on every row.
public enum PNG {
    /// Encodes `pixels` (row-major, `channels` bytes per pixel, top row first).
    public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws -> Data {
        guard width > 0, height > 0, channels == 1 || channels == 3, pixels.count == width * height * channels else {
            throw ImageWriteError("PNG: \(width)×\(height)×\(channels) does not match \(pixels.count) bytes (1 or 3 channels)")
        }
        var raw = [UInt8](); raw.reserveCapacity((width * channels + 1) * height)
        for r in 0..<height {
            raw.append(0)   // filter type None
            raw.append(contentsOf: pixels[(r * width * channels)..<((r + 1) * width * channels)])
        }
        var idat = Data()
        try raw.withUnsafeBytes { buf in
            try parallelDeflate([buf], container: .zlib, level: 6) { idat.append(contentsOf: $0) }
        }
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(bigEndian: UInt32(width)); header.append(bigEndian: UInt32(height))
        header.append(contentsOf: [8, channels == 1 ? 0 : 2, 0, 0, 0])
        chunk("IHDR", header, into: &out)
        chunk("IDAT", idat, into: &out)
        chunk("IEND", Data(), into: &out)
        return out
    }

    private static func chunk(_ type: String, _ body: Data, into out: inout Data) {
        out.append(bigEndian: UInt32(body.count))
        var typed = Data(type.utf8); typed.append(body)
        out.append(typed)
        let crc = typed.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
        out.append(bigEndian: crc)
    }
}

private extension Data {
    mutating func append(bigEndian v: UInt32) { Swift.withUnsafeBytes(of: v.bigEndian) { append(contentsOf: $0) } }
}
