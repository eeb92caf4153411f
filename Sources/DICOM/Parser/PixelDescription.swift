// The Image Pixel module attributes (PS3.3 C.7.6.3) needed to interpret pixel data, validated once.
import OpenBCTCore
import PixelCodecs

/// How a data set's pixel data is laid out, from the Image Pixel module: the codecs' `FrameDescriptor`,
/// read from a data set and validated so that frame arithmetic cannot overflow or index outside the value.
public typealias PixelDescription = FrameDescriptor

extension FrameDescriptor {
    /// Reads and checks the module. Missing Rows, Columns or BitsAllocated is an error (naming the
    /// tag); BitsStored defaults to BitsAllocated, SamplesPerPixel to 1, PixelRepresentation and
    /// PlanarConfiguration to 0, PhotometricInterpretation to MONOCHROME2.
    public init(_ ds: DataSet, path: String?) throws {
        func required(_ tag: Tag) throws -> Int {
            guard let v = ds.int(tag) else {
                throw InputError(path: path, location: tag.label, "missing or empty; required to interpret the pixel data")
            }
            return v
        }
        func check(_ ok: Bool, _ tag: Tag, _ value: Int, _ expected: String) throws {
            if !ok { throw InputError(path: path, location: tag.label, "value \(value); expected \(expected)") }
        }
        let bitsAllocated = try required(.bitsAllocated)
        self.init(rows: try required(.rows), columns: try required(.columns),
                  samplesPerPixel: ds.int(.samplesPerPixel) ?? 1, bitsAllocated: bitsAllocated,
                  bitsStored: ds.int(.bitsStored) ?? bitsAllocated,
                  pixelRepresentation: ds.int(.pixelRepresentation) ?? 0,
                  planarConfiguration: ds.int(.planarConfiguration) ?? 0,
                  photometricInterpretation: ds.string(.photometricInterpretation) ?? "MONOCHROME2")
        try check(rows > 0 && rows <= 65535, .rows, rows, "1…65535")
        try check(columns > 0 && columns <= 65535, .columns, columns, "1…65535")
        try check([1, 8, 16, 32].contains(bitsAllocated), .bitsAllocated, bitsAllocated, "1, 8, 16 or 32")
        try check(bitsStored >= 1 && bitsStored <= bitsAllocated, .bitsStored, bitsStored, "1…BitsAllocated (\(bitsAllocated))")
        try check(samplesPerPixel >= 1 && samplesPerPixel <= 4, .samplesPerPixel, samplesPerPixel, "1…4")
        try check(pixelRepresentation == 0 || pixelRepresentation == 1, .pixelRepresentation, pixelRepresentation, "0 or 1")
        try check(planarConfiguration == 0 || planarConfiguration == 1, .planarConfiguration, planarConfiguration, "0 or 1")
        if isSubsampled422 {
            try check(columns % 2 == 0, .columns, columns, "an even number for YBR_FULL_422 (pixels are stored in pairs)")
        }
    }

    public var isSigned: Bool { pixelRepresentation == 1 }

    /// Native YBR_FULL_422 stores two luminance and one pair of chroma samples per two pixels.
    var isSubsampled422: Bool { samplesPerPixel == 3 && photometricInterpretation == "YBR_FULL_422" }

    /// Samples per frame as returned by `storedValues` (full resolution, interleaved).
    public var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Bits of one native (uncompressed) frame as encoded.
    var nativeFrameBits: Int {
        let samples = isSubsampled422 ? rows * columns * 2 : samplesPerFrame
        return samples * bitsAllocated
    }

    /// The descriptor handed to a codec: interleaved output is requested whatever the stream holds.
    var codecDescriptor: FrameDescriptor {
        FrameDescriptor(rows: rows, columns: columns, samplesPerPixel: samplesPerPixel, bitsAllocated: bitsAllocated,
                        bitsStored: bitsStored, pixelRepresentation: pixelRepresentation, planarConfiguration: 0,
                        photometricInterpretation: photometricInterpretation)
    }
}
