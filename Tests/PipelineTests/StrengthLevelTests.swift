import Anatomy
import Foundation
import ImageFormats
import OpenBCTCore
import Phantom
import Testing
import TestSupport
@testable import Pipeline
import ResultModel

/// The spine strength level (methods.md §10: L1, then L2, T12, L3 — the first eligible) and the
/// whole-in-the-scan check on every border of the field of view, on digital phantoms.
@Suite("strength level and field of view", .serialized)
struct StrengthLevelTests {
    @Test("L1 cut by the field of view: L2 is solved, and the document and the PDF say why")
    func fallbackToL2() throws {
        // The phantom's L1 spans z 224–250 mm: a scan ending at 240 mm cuts it; L2 (189–215) stays whole.
        // The sacrum (below z 70) stays in the scan, so the levels are still named from it.
        let (dicom, _) = try EndToEndTests.phantom("l1cut", sites: [.spine]) { $0.zCoverage = [0, 240] }
        // Three load steps: the test checks which level is solved and what is said, not the strength value.
        let (doc, out) = try EndToEndTests.analyze(dicom, "l1cut", sites: [.spine]) { $0.options.nonlinearSteps = 3 }
        let spine = try #require(doc.strength.first { $0.site == .spine }, "omissions: \(doc.omissions)")
        #expect(spine.level == "L2")
        let selection = try #require(spine.levelSelection)
        #expect(selection.preferred == "L1" && selection.used == "L2")
        #expect(selection.refused.map(\.level) == ["L1"] && selection.refused[0].reason.contains("cut by the field of view"))
        #expect(doc.qualityFindings.contains { $0.code == "strengthLevelRefused" && $0.message.contains("L2 used instead") })
        #expect(doc.status == .completed, "a fallback level is a complete spine analysis: \(doc.omissions)")
        let check = try ExternalTool.python("result_document_check.py", [TestPaths.repositoryRoot.appendingPathComponent("schemas/result-document-1.schema.json").path,
                                                                        out.appendingPathComponent("result.json").path])
        #expect(check.hasPrefix("ok"))
        if ExternalTool.isAvailable("pdftotext") {
            let text = try ExternalTool.run("pdftotext", [out.appendingPathComponent("report.pdf").path, "-"]).stdout
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("Vertebral strength level L2: L1 refused (cut by the field of view"), "\(text.prefix(3000))")
        }
    }

    @Test("a vertebral body 30 % shorter than its whole neighbours is screened out as a suspected fracture")
    func suspectedFracture() throws {
        var o = PhantomOptions()
        o.sites = [.spine]; o.pixelSpacing = 2; o.sliceThickness = 2
        o.zCoverage = [70, 300]   // T12 (z 260–285) whole too, so that L1 has two whole neighbours
        let hu = try PhantomGenerator(o).generate().hu.map { Float($0) }
        var vertebrae = AnatomyStage.segment(hu, sites: [.spine]).result.vertebrae
        // The phantom's bodies are 25–26 mm high: none is suspected as segmented.
        for level in SpineStrengthLevel.order {
            #expect(SpineStrengthLevel.screen(level, vertebrae: vertebrae) == nil, "\(level.name)")
        }
        let i = try #require(vertebrae.firstIndex { $0.level == "L1" })
        let neighbours = vertebrae.filter { $0.level == "T12" || $0.level == "L2" }.compactMap(\.landmarks?.heightMM)
        #expect(neighbours.count == 2)
        vertebrae[i].landmarks!.heightMM = 0.7 * neighbours.reduce(0, +) / 2
        let reason = try #require(SpineStrengthLevel.screen(.L1, vertebrae: vertebrae))
        #expect(reason.contains("suspected compression fracture") && reason.contains("30 % below the mean of"))
        #expect(SpineStrengthLevel.screen(.L2, vertebrae: vertebrae) == nil, "a short neighbour does not make L2 suspect")
    }

    @Test("an off-centre reconstruction circle cutting the left greater trochanter: the left femur is not solved, the right is")
    func reconstructionCircleCut() throws {
        // The patient lies off-centre: the reconstruction circle (centre x = −40 mm, radius 165 mm) ends at
        // x = 125 mm, through the left greater trochanter (head at x = 88 mm); outside it the scanner pads
        // with −3,024 HU. The image edge is not touched, so the eligibility rule on the image edge passes.
        var o = PhantomOptions()
        o.sites = [.hip]; o.pixelSpacing = 2; o.sliceThickness = 2; o.age = 70; o.patientSex = "F"
        var hu = try PhantomGenerator(o).generate().hu.map { Float($0) }
        let g = hu.grid
        for k in 0..<g.dims.z { for j in 0..<g.dims.y { for i in 0..<g.dims.x {
            let p = g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))
            if (p.x + 40) * (p.x + 40) + p.y * p.y > 165 * 165 { hu.voxels[g.linearIndex(i, j, k)] = -3024 }
        } } }
        let dir = try TestPaths.temporaryDirectory("pipeline-circle")
        let input = dir.appendingPathComponent("circle.nii.gz")
        try ImageFile.write(hu, to: input)
        // Three load steps: the test checks which femur is solved, not its strength value.
        let (doc, _) = try EndToEndTests.analyze(input, "circle", sites: [.hip]) {
            $0.options.renderings = false; $0.options.nonlinearSteps = 3; $0.patient.sex = "F"; $0.patient.ageYears = 70
        }
        #expect(doc.omissions.contains { $0.part == "hip strength (left femur)" && $0.reason.contains("reconstruction circle") }, "\(doc.omissions)")
        #expect(doc.anatomy?.femurs.first { $0.side == .left }?.cutByFieldOfView == true)
        #expect(doc.strength.map(\.side) == [.right], "\(doc.strength.map(\.side))")
        // The hip is still analysed (the right femur drives the class): a partial document, no modifier 52.
        #expect(doc.status == .partial && doc.billing?.lines.first?.modifiers.isEmpty == true)
    }

    @Test("contact with each border: first/last slice, image edge, reconstruction-circle padding")
    func borders() {
        let grid = ImageGrid(dims: SIMD3(8, 8, 4))
        var labels = Volume<UInt8>(grid: grid)
        var hu = Volume<Float>(grid: grid)
        func set(_ l: UInt8, _ i: Int, _ j: Int, _ k: Int) { labels.voxels[grid.linearIndex(i, j, k)] = l }
        set(1, 4, 4, 0)                     // first slice
        set(2, 4, 4, 3)                     // last slice
        set(3, 0, 4, 1)                     // image edge (i = 0)
        set(4, 3, 3, 2); hu.voxels[grid.linearIndex(2, 3, 2)] = -3024    // padding next to it
        set(5, 4, 4, 1)                     // whole, inside air at −1,000 HU
        hu.voxels[grid.linearIndex(5, 4, 1)] = -1000
        let b = FieldOfViewContact.borders(labels: labels, hu: hu, wanted: [1, 2, 3, 4, 5])
        #expect(b[1] == [.firstSlice] && b[2] == [.lastSlice] && b[3] == [.imageEdge] && b[4] == [.reconstructionCircle])
        #expect(b[5] == nil)
    }
}
