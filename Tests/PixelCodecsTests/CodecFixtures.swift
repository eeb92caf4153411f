// Frames and reference pixels extracted from ../shared/data/dicom by Tests/Python/codec_fixtures.py
// (pydicom + pylibjpeg; dcmtk or gdcm where pydicom fails).
import Foundation
import PixelCodecs
import TestSupport

struct CodecFixture: Decodable, Sendable {
    struct Descriptor: Decodable, Sendable {
        var rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, planarConfiguration: Int
        var photometricInterpretation: String
    }
    var name: String
    var transferSyntax: String
    var descriptor: Descriptor
    var frames: [String]
    var reference: [String]?
    var referenceSource: String?
    /// Largest |difference| from the reference allowed (0 lossless; see codec_fixtures.py).
    var tolerance: Int

    var frameDescriptor: FrameDescriptor {
        let d = descriptor
        return FrameDescriptor(rows: d.rows, columns: d.columns, samplesPerPixel: d.samplesPerPixel,
                               bitsAllocated: d.bitsAllocated, bitsStored: d.bitsStored,
                               pixelRepresentation: d.pixelRepresentation, planarConfiguration: d.planarConfiguration,
                               photometricInterpretation: d.photometricInterpretation)
    }

    func frame(_ i: Int) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: frames[i]))) }
    func referenceFrame(_ i: Int) throws -> [UInt8]? {
        guard let reference else { return nil }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: reference[i])))
    }
}

enum CodecFixtures {
    /// Every compressed frame of ../shared/data/dicom, extracted once per test process.
    static let all: Result<[CodecFixture], Error> = Result {
        try extract("codec_fixtures.py", [TestPaths.shared("dicom").path])
    }

    /// JPEG lossless variants (SV 1–7, point transforms, 8/12/16 bits, restart intervals) made
    /// from a real CT slice by Tests/Python/lossless_variants.py.
    static let losslessVariants: Result<[CodecFixture], Error> = Result {
        try extract("lossless_variants.py", [TestPaths.shared("dicom/one-ct-15-syntaxes/CTImage.dcm").path])
    }

    static func load() throws -> [CodecFixture] { try all.get() }

    /// Runs a fixture script into a new temporary folder and reads its manifest.
    private static func extract(_ script: String, _ arguments: [String]) throws -> [CodecFixture] {
        let folder = try TestPaths.temporaryDirectory("codec-fixtures")
        _ = try ExternalTool.python(script, arguments + [folder.path])
        let manifest = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode([CodecFixture].self, from: manifest)
    }
}

/// Largest absolute difference between two frames of samples in the descriptor's layout.
func maximumDifference(_ a: [UInt8], _ b: [UInt8], _ d: FrameDescriptor) -> Int {
    precondition(a.count == b.count)
    let signed = d.pixelRepresentation == 1
    var worst = 0
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            for i in 0..<(a.count / d.bytesPerSample) {
                let x: Int, y: Int
                switch d.bitsAllocated {
                case 8: x = signed ? Int(pa.load(fromByteOffset: i, as: Int8.self)) : Int(pa[i])
                        y = signed ? Int(pb.load(fromByteOffset: i, as: Int8.self)) : Int(pb[i])
                case 16: x = signed ? Int(pa.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) : Int(pa.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                         y = signed ? Int(pb.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) : Int(pb.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                default: x = signed ? Int(pa.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) : Int(pa.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                         y = signed ? Int(pb.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) : Int(pb.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                }
                worst = max(worst, abs(x - y))
            }
        }
    }
    return worst
}
