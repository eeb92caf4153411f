// The documented default-series rule and picking by UID or listing number.
import Foundation
import OpenBCTCore
import Testing
@testable import DICOM

@Suite("Series catalog: default pick")
struct SeriesCatalogTests {
    func series(_ number: Int, uid: String, slices: Int, step: Double, seriesNumber: Int?, normal: Vec3 = Vec3(0, 0, 1)) -> SeriesInfo {
        let header = SliceHeader(position: .zero, rowDirection: Vec3(1, 0, 0), columnDirection: Vec3(0, 1, 0),
                                 pixelSpacing: SIMD2(1, 1), rows: 2, columns: 2, source: SliceSource(path: uid))
        return SeriesInfo(number: number, seriesInstanceUID: uid, studyInstanceUID: "", frameOfReferenceUID: "",
                          seriesDescription: "", seriesNumber: seriesNumber, modality: "CT", dims: SIMD3(2, 2, slices),
                          spacing: Vec3(1, 1, step), normal: normal, slices: Array(repeating: header, count: slices),
                          files: [uid], facts: AcquisitionFacts(), warnings: [])
    }

    @Test("axial first, then most slices, then thinnest spacing, then lowest series number")
    func defaultRule() throws {
        let sagittal = series(1, uid: "sag", slices: 900, step: 0.5, seriesNumber: 1, normal: Vec3(1, 0, 0))
        let short = series(2, uid: "short", slices: 100, step: 0.5, seriesNumber: 2)
        let thick = series(3, uid: "thick", slices: 300, step: 2, seriesNumber: 3)
        let thinLate = series(4, uid: "thinLate", slices: 300, step: 1, seriesNumber: 9)
        let thinEarly = series(5, uid: "thinEarly", slices: 300, step: 1, seriesNumber: 4)
        let catalog = SeriesCatalog(root: "/x", series: [sagittal, short, thick, thinLate, thinEarly], skipped: [])
        #expect(catalog.defaultSeries?.seriesInstanceUID == "thinEarly")
        #expect(try catalog.pick(nil).seriesInstanceUID == "thinEarly")
        #expect(try catalog.pick("thick").number == 3)
        #expect(try catalog.pick("#2").seriesInstanceUID == "short")
        #expect(throws: InputError.self) { try catalog.pick("9.9.9") }
        // With no axial stack the other orientations compete.
        let onlySagittal = SeriesCatalog(root: "/x", series: [sagittal], skipped: [])
        #expect(onlySagittal.defaultSeries?.seriesInstanceUID == "sag")
    }

    @Test("an empty catalog names what was skipped")
    func emptyCatalog() {
        let catalog = SeriesCatalog(root: "/d", series: [], skipped: [SkippedFile(path: "/d/a.txt", reason: "not a DICOM file")])
        #expect { try catalog.pick(nil) } throws: { "\($0)".contains("no CT image series found") && "\($0)".contains("a.txt: not a DICOM file") }
    }
}
