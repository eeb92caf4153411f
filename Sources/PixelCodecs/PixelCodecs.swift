// PixelCodecs: decoders for DICOM encapsulated pixel data (RLE, JPEG baseline/extended/lossless,
// JPEG-LS, JPEG 2000, HTJ2K). The public surface is `FrameDescriptor` and `PixelCodec`.
import Foundation
import OpenBCTCore

/// What the DICOM header says about one frame: the decoder checks the compressed stream against it
/// and lays out its output exactly like uncompressed DICOM pixel data of this description.
public struct FrameDescriptor: Sendable, Equatable {
    /// (0028,0010) Rows.
    public var rows: Int
    /// (0028,0011) Columns.
    public var columns: Int
    /// (0028,0002) SamplesPerPixel: 1 for CT, 3 for colour.
    public var samplesPerPixel: Int
    /// (0028,0100) BitsAllocated: 8, 16 or 32.
    public var bitsAllocated: Int
    /// (0028,0101) BitsStored.
    public var bitsStored: Int
    /// (0028,0103) PixelRepresentation: 0 unsigned, 1 two's-complement signed.
    public var pixelRepresentation: Int
    /// (0028,0006) PlanarConfiguration: 0 colour-by-pixel (interleaved), 1 colour-by-plane.
    public var planarConfiguration: Int
    /// (0028,0004) PhotometricInterpretation, e.g. "MONOCHROME2", "RGB", "YBR_FULL_422".
    public var photometricInterpretation: String

    public init(rows: Int, columns: Int, samplesPerPixel: Int, bitsAllocated: Int, bitsStored: Int,
                pixelRepresentation: Int, planarConfiguration: Int, photometricInterpretation: String) {
        self.rows = rows; self.columns = columns; self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated; self.bitsStored = bitsStored
        self.pixelRepresentation = pixelRepresentation; self.planarConfiguration = planarConfiguration
        self.photometricInterpretation = photometricInterpretation
    }

    /// Bytes per sample in the decoded output (BitsAllocated / 8).
    public var bytesPerSample: Int { bitsAllocated / 8 }
    /// Samples in one frame (rows × columns × samples per pixel).
    public var sampleCount: Int { rows * columns * samplesPerPixel }
    /// Bytes of one decoded frame.
    public var frameByteCount: Int { sampleCount * bytesPerSample }
}

/// A compressed pixel-data encoding, named by its DICOM transfer syntax.
///
/// `decode` returns one frame in the native little-endian layout of uncompressed DICOM pixel data
/// for the descriptor: `bitsAllocated / 8` bytes per sample, signed samples sign-extended to the
/// full width. Colour output is interleaved (planar configuration 0) unless the descriptor asks
/// for 1. Colour JPEG baseline/extended whose stream is YCbCr is returned as RGB (what pydicom
/// does by default); every other codec returns the samples as stored. See docs/pixel-codecs.md.
public enum PixelCodec: Sendable {
    /// RLE Lossless (PS3.5 Annex G), 1.2.840.10008.1.2.5.
    case rle
    /// JPEG baseline, process 1 (8-bit DCT), 1.2.840.10008.1.2.4.50.
    case jpegBaseline
    /// JPEG extended, processes 2 & 4 (12-bit DCT), 1.2.840.10008.1.2.4.51; also the retired
    /// 4.53 / 4.55 syntaxes, which share the DCT decoder.
    case jpegExtended12
    /// JPEG lossless, process 14 (any selection value incl. first-order SV1), 4.57 and 4.70.
    case jpegLossless
    /// JPEG-LS lossless and near-lossless, 4.80 and 4.81.
    case jpegLS
    /// JPEG 2000 (lossless 4.90 / lossy 4.91; also 4.92/4.93 Part 2 multi-component).
    case jpeg2000
    /// High-throughput JPEG 2000, 4.201 – 4.203.
    case htj2k

    /// The codec for a DICOM transfer syntax UID, or nil when the syntax is not compressed pixel
    /// data this module decodes (native syntaxes, deflate, MPEG/HEVC video, JPIP).
    public init?(transferSyntaxUID: String) {
        let uid = transferSyntaxUID.trimmingCharacters(in: [" ", "\0"])
        switch uid {
        case "1.2.840.10008.1.2.5": self = .rle
        case "1.2.840.10008.1.2.4.50": self = .jpegBaseline
        case "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.55": self = .jpegExtended12
        case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70": self = .jpegLossless
        case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81": self = .jpegLS
        case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
             "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93": self = .jpeg2000
        case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203": self = .htj2k
        default: return nil
        }
    }

    /// A human-readable name used in error messages ("JPEG lossless").
    public var name: String {
        switch self {
        case .rle: "RLE lossless"
        case .jpegBaseline: "JPEG baseline"
        case .jpegExtended12: "JPEG extended"
        case .jpegLossless: "JPEG lossless"
        case .jpegLS: "JPEG-LS"
        case .jpeg2000: "JPEG 2000"
        case .htj2k: "HTJ2K"
        }
    }

    /// Decodes one frame (all its fragments concatenated) into native little-endian pixel data of
    /// `descriptor.frameByteCount` bytes. Throws `InputError` naming the codec, the byte offset or
    /// marker and what was expected when the stream is corrupt or does not match the descriptor.
    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> [UInt8] {
        try data.withUnsafeBytes { try decode($0, descriptor: descriptor) }
    }

    /// `decode(_:descriptor:)` over borrowed bytes (no copy of the compressed frame).
    public func decode(_ data: UnsafeRawBufferPointer, descriptor: FrameDescriptor) throws -> [UInt8] {
        try descriptor.validate(codec: self)
        let output: [UInt8]
        switch self {
        case .rle: output = try RLEDecoder.decode(data, descriptor: descriptor)
        case .jpegBaseline, .jpegExtended12, .jpegLossless:
            output = try JPEGDecoder.decode(data, descriptor: descriptor, codec: self)
        case .jpegLS: output = try JPEGLSDecoder.decode(data, descriptor: descriptor)
        case .jpeg2000, .htj2k: output = try JPEG2000Decoder.decode(data, descriptor: descriptor, codec: self)
        }
        guard output.count == descriptor.frameByteCount else {
            throw InputError(location: name, "decoded \(output.count) bytes, expected \(descriptor.frameByteCount) for the frame")
        }
        return output
    }
}

extension FrameDescriptor {
    /// Rejects descriptors no decoder can honour before touching the stream.
    func validate(codec: PixelCodec) throws {
        let at = "\(codec.name): frame descriptor"
        guard rows > 0, columns > 0 else { throw InputError(location: at, "rows × columns is \(rows) × \(columns), expected both > 0") }
        guard [1, 3].contains(samplesPerPixel) || (codec == .rle && samplesPerPixel > 0) else {
            throw InputError(location: at, "SamplesPerPixel is \(samplesPerPixel), expected 1 or 3")
        }
        guard [8, 16, 32].contains(bitsAllocated) else { throw InputError(location: at, "BitsAllocated is \(bitsAllocated), expected 8, 16 or 32") }
        guard bitsStored >= 1, bitsStored <= bitsAllocated else {
            throw InputError(location: at, "BitsStored is \(bitsStored), expected 1…BitsAllocated (\(bitsAllocated))")
        }
        guard pixelRepresentation == 0 || pixelRepresentation == 1 else {
            throw InputError(location: at, "PixelRepresentation is \(pixelRepresentation), expected 0 or 1")
        }
        guard planarConfiguration == 0 || planarConfiguration == 1 else {
            throw InputError(location: at, "PlanarConfiguration is \(planarConfiguration), expected 0 or 1")
        }
        // Guard against absurd headers that would make us allocate terabytes.
        guard rows <= 65535, columns <= 65535, frameByteCount <= 1 << 34 else {
            throw InputError(location: at, "frame of \(rows) × \(columns) × \(samplesPerPixel) is too large")
        }
    }
}
