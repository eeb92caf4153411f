// The SEG on a real DICOM series (the digital phantom's): each frame sits in the plane of the source
// image it references, as pydicom reads both.
import Foundation
import Testing
import DICOM
import OpenBCTCore
import Phantom
@testable import Reporting
import TestSupport

@Suite("SEG geometry")
struct SegmentationGeometryTests {
    @Test("every SEG frame of the phantom's femurs lies in the plane of its source image (pydicom), same orientation and size",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func framesInSourcePlanes() throws {
        var options = PhantomOptions()
        options.pixelSpacing = 4
        options.sliceThickness = 4
        let phantom = try PhantomGenerator(options).generate()
        let dir = try TestPaths.temporaryDirectory("report-seg-phantom")
        try PhantomWriter.write(phantom, to: dir)
        let dicom = dir.appendingPathComponent(PhantomWriter.dicomFolder)
        let series = try #require(try SeriesScanner.scan(dicom).defaultSeries)
        // The source images in stack order — the order of the loaded volume's slices.
        let plan = try SliceStackPlan.make(series.slices, seriesName: series.displayName)
        let instances = try plan.stack.map { i -> SourceInstance in
            let ds = try DicomFile.read(contentsOf: URL(fileURLWithPath: series.slices[i].source.path), stopBeforePixelData: true).dataSet
            return SourceInstance(sopClassUID: try #require(ds.string(.sopClassUID)), sopInstanceUID: try #require(ds.string(.sopInstanceUID)))
        }
        let ct = try CTSeriesLoader.load(series)
        #expect(ct.volume.grid.dims == phantom.labels.grid.dims)
        // Femur tissue labels of the phantom → OpenBCT's femur labels, on the loaded CT's grid.
        let femurLeft: Set<UInt8> = [PhantomLabel.femurLeftCortical, PhantomLabel.femurLeftTrabecular, PhantomLabel.femurLeftMarrow]
        let femurRight: Set<UInt8> = [PhantomLabel.femurRightCortical, PhantomLabel.femurRightTrabecular, PhantomLabel.femurRightMarrow]
        let labels = Volume<Int32>(grid: ct.volume.grid, voxels: phantom.labels.voxels.map { femurLeft.contains($0) ? 1 : femurRight.contains($0) ? 2 : 0 })
        let study = SourceStudy(isDICOM: true, studyInstanceUID: series.studyInstanceUID, seriesInstanceUID: series.seriesInstanceUID,
                                frameOfReferenceUID: series.frameOfReferenceUID, instances: instances)
        let data = try SegmentationWriter.write(labels: labels, segments: SegmentDefinition.bones(labelTable: [(1, "femur_left"), (2, "femur_right")]),
                                                study: study, created: Date())
        let url = dir.appendingPathComponent("seg.dcm")
        try writeAtomically(data, to: url)
        let errors = try dciodvfyErrors(url)
        #expect(errors.isEmpty, "dciodvfy: \(errors)")
        let g = try decodeJSON(try ExternalTool.python("report_dicom_check.py", ["geometry", url.path, dicom.path]))
        #expect((g["frames"] as? Int ?? 0) > 10)
        #expect(g["referenced"] as? Int == g["frames"] as? Int)
        #expect((g["worstDistance"] as? Double ?? 1) < 1e-3)
        #expect(g["sameOrientation"] as? Bool == true)
    }
}
