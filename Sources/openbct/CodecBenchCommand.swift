// `openbct codec-bench`: decode one compressed frame repeatedly (hidden; used by Benchmarks/codecs).
import ArgumentParser
import Foundation
import OpenBCTCore
import PixelCodecs

struct CodecBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec-bench",
        abstract: "Time PixelCodecs decoding one compressed frame N times; prints one JSON line.",
        shouldDisplay: false)

    @Argument(help: "A file holding one compressed frame (fragments joined).")
    var frame: String

    @Option(help: "Transfer syntax UID of the frame.") var transferSyntax: String
    @Option var rows: Int
    @Option var columns: Int
    @Option var samplesPerPixel: Int = 1
    @Option var bitsAllocated: Int = 16
    @Option var bitsStored: Int = 16
    @Option var pixelRepresentation: Int = 1
    @Option var photometricInterpretation: String = "MONOCHROME2"
    @Option(help: "Number of timed decodes (after one warm-up).") var repeats: Int = 50

    func run() throws {
        guard let codec = PixelCodec(transferSyntaxUID: transferSyntax) else {
            throw ValidationError("transfer syntax \(transferSyntax) is not a compressed syntax PixelCodecs decodes")
        }
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: frame)))
        let descriptor = FrameDescriptor(rows: rows, columns: columns, samplesPerPixel: samplesPerPixel,
                                         bitsAllocated: bitsAllocated, bitsStored: bitsStored,
                                         pixelRepresentation: pixelRepresentation, planarConfiguration: 0,
                                         photometricInterpretation: photometricInterpretation)
        do {
            _ = try codec.decode(data, descriptor: descriptor)
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try codec.decode(data, descriptor: descriptor)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            let megabytes = Double(descriptor.frameByteCount) / 1e6
            let line: [String: Any] = [
                "codec": codec.name, "frames": times.count, "min_ms": times[0] * 1e3, "median_ms": times[times.count / 2] * 1e3,
                "MBps_median": megabytes / times[times.count / 2], "threads": parallelWidth,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
