// Parser speed against pydicom on the same files (a benchmark, not a timed test: it asserts nothing
// about time and runs only with OPENBCT_BENCHMARK=1 — see Benchmarks/dicom-parser/run.sh).
import DICOM
import Foundation
import Testing
import TestSupport

@Suite("Parser benchmark")
struct ParserBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["OPENBCT_BENCHMARK"] == "1" && TestPaths.hasSharedData

    static func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var t = Double.infinity
        for _ in 0 ..< repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            t = min(t, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
        }
        return t
    }

    @Test("parse and decode times of real CT slices vs pydicom", .enabled(if: enabled, "set OPENBCT_BENCHMARK=1"))
    func parserSpeed() throws {
        let repeats = Int(ProcessInfo.processInfo.environment["OPENBCT_BENCHMARK_REPEATS"] ?? "") ?? 200
        let files = [
            "one-ct-15-syntaxes/CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm",
            "one-ct-15-syntaxes/CTImage.dcm_LittleEndianImplicitTransferSyntax_1.2.840.10008.1.2.dcm",
            "one-ct-15-syntaxes/CTImage.dcm_BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2.dcm",
            "one-ct-15-syntaxes/CTImage.dcm_DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99.dcm",
            "pydicom-data/eCT_Supplemental.dcm",
        ].map { TestPaths.shared("dicom/" + $0) }
        let peerJSON = try ExternalTool.run("python3", [TestPaths.repositoryRoot.appendingPathComponent("Benchmarks/dicom-parser/pydicom_peer.py").path,
                                                       String(max(5, repeats / 10))] + files.map(\.path)).stdout
        let peer = try JSONDecoder().decode([String: [String: Double]].self, from: Data(peerJSON.utf8))
        print("file | ours header µs | pydicom header µs | ratio | ours full parse µs | pydicom full µs | ratio | ours parse+HU frame 0 µs | pydicom parse+pixel_array+HU µs | ratio")
        for url in files {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            let header = try Self.best(repeats) {
                let f = try DicomFile.read(data: data, stopBeforePixelData: true)
                for e in f.dataSet.elements { _ = f.dataSet.strings(e.tag) }
            }
            let full = try Self.best(repeats) { _ = try DicomFile.read(data: data) }
            let file = try DicomFile.read(data: data)
            let d = try file.pixelDescription()
            var out = [Float](repeating: 0, count: d.samplesPerFrame)
            let pixels = try Self.best(repeats) {
                let f = try DicomFile.read(data: data)
                try out.withUnsafeMutableBufferPointer { try f.decodeFrame(0, rescaledInto: $0, slope: 1, intercept: -1024) }
            }
            let p = peer[url.path] ?? [:]
            func ratio(_ theirs: Double?, _ ours: Double) -> String { theirs.map { String(format: "%.1f×", $0 / ours) } ?? "-" }
            print(String(format: "%@ | %.0f | %.0f | %@ | %.0f | %.0f | %@ | %.0f | %.0f | %@", url.lastPathComponent,
                         header, p["header_us"] ?? .nan, ratio(p["header_us"], header),
                         full, p["full_us"] ?? .nan, ratio(p["full_us"], full),
                         pixels, p["pixels_us"] ?? .nan, ratio(p["pixels_us"], pixels)))
        }
    }
}
