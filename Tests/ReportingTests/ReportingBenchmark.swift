// Rendering times on a clinical-size case (a benchmark, not a timed test: it asserts nothing about
// time and runs only with OPENBCT_BENCHMARK=1 — see Benchmarks/report/run.sh).
import Foundation
import Testing
import DICOM
import OpenBCTCore
@testable import Reporting
import TestSupport

@Suite("Reporting benchmark")
struct ReportingBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["OPENBCT_BENCHMARK"] == "1"

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    @Test("each rendering of a 512×512×300 case (target < 1 s each)", .enabled(if: enabled, "set OPENBCT_BENCHMARK=1"))
    func renderingTimes() throws {
        let (doc, dir) = try FixtureDocument.make()
        // Two femurs (cylinders) and five vertebral bodies (boxes) on a 512×512×300 grid.
        let grid = ImageGrid(dims: SIMD3(512, 512, 300), spacing: Vec3(0.8, 0.8, 1.25), origin: Vec3(-205, -205, -400))
        var labels = Volume<Int32>(grid: grid)
        for k in 0..<300 { for j in 0..<512 { for i in 0..<512 {
            let dl = Double((i - 170) * (i - 170) + (j - 300) * (j - 300)), dr = Double((i - 340) * (i - 340) + (j - 300) * (j - 300))
            if k < 120 && dl < 900 { labels[i, j, k] = 1 }
            if k < 120 && dr < 900 { labels[i, j, k] = 2 }
            if k >= 150, (230..<290).contains(i), (320..<370).contains(j) { labels[i, j, k] = Int32(120 + min(4, (k - 150) / 30)) }
        } } }
        let segments = try SegmentDefinition.bones(labelTable: [(1, "femur_left"), (2, "femur_right"), (120, "L1_body"), (121, "L2_body"),
                                                                 (122, "L3_body"), (123, "L4_body"), (124, "L5_body")])
        var study = SourceStudy(document: doc)
        study.instances = (0..<300).map { _ in SourceInstance(sopClassUID: SourceStudy.ctImageStorage, sopInstanceUID: UID.generate()) }
        let findings = CodedFindings(document: doc)
        var pdf = Data()
        let tPDF = try Self.seconds { pdf = try ReportRenderer.renderPDF(document: doc, documentDirectory: dir) }
        let tEnc = try Self.seconds { _ = try EncapsulatedPDFWriter.write(pdf: pdf, title: "report", study: study, created: Date()) }
        let tSR = try Self.seconds { _ = try StructuredReportWriter.write(findings: findings, study: study, created: Date(), signature: nil) }
        var seg = Data()
        let tSEG = try Self.seconds { seg = try SegmentationWriter.write(labels: labels, segments: segments, study: study, created: Date()) }
        let tFHIR = try Self.seconds { _ = try FHIRBundleWriter.write(document: doc, findings: findings, study: study, pdf: pdf, signature: nil, created: Date()) }
        print(String(format: "BENCH report: PDF %.3f s (%d bytes), Encapsulated PDF %.3f s, SR %.3f s, SEG %.3f s (%d bytes, 512×512×300, 7 segments), FHIR %.3f s",
                     tPDF, pdf.count, tEnc, tSR, tSEG, seg.count, tFHIR))
    }
}
