// The written phantom: pydicom, nibabel, dciodvfy and our own reader all see the same image.
import Foundation
import Testing
import DICOM
import ImageFormats
import OpenBCTCore
import Phantom
import TestSupport

@Suite("Phantom output files")
struct PhantomOutputTests {
    @Test("pydicom and nibabel read the series and NIfTI files with our values and geometry")
    func referenceReaders() throws {
        let (p, dir) = try PhantomFixture.written.get()
        let out = try TestPaths.temporaryDirectory("phantom-reference")
        _ = try ExternalTool.python("phantom_series_reference.py", [dir.path, out.path])
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("reference.json"))) as! [String: Any]
        let g = p.hu.grid
        #expect(ref["files"] as? Int == g.dims.z)
        #expect(ref["rows"] as? Int == g.dims.y && ref["columns"] as? Int == g.dims.x)
        #expect(ref["sopClassUIDs"] as? [String] == ["1.2.840.10008.5.1.4.1.1.2"])
        #expect((ref["seriesUIDs"] as? [String])?.count == 1)
        let origin = try #require(ref["origin"] as? [Double])
        #expect(length(Vec3(origin[0], origin[1], origin[2]) - g.origin) < 1e-6)
        #expect(ref["pixelSpacing"] as? [Double] == [g.spacing.y, g.spacing.x])
        let spacing = try #require(ref["sliceSpacing"] as? Double)
        #expect(abs(spacing - g.spacing.z) < 1e-6)
        #expect(ref["orientation"] as? [Double] == [1, 0, 0, 0, 1, 0])
        // Every pixel value, as pydicom decoded it.
        let raw = try Data(contentsOf: out.appendingPathComponent("series.raw"))
        let values = raw.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)).map { Int16(littleEndian: $0) } }
        #expect(values == p.hu.voxels)
        // NIfTI through nibabel: shapes, RAS affine, and the CT equal to the series.
        let nifti = try #require(ref["nifti"] as? [String: [String: Any]])
        for name in [PhantomWriter.huFile, PhantomWriter.densityFile, PhantomWriter.labelsFile] {
            let info = try #require(nifti[name])
            #expect(info["shape"] as? [Int] == [g.dims.x, g.dims.y, g.dims.z])
            let affine = try #require(info["affine"] as? [[Double]])
            for r in 0..<4 { for c in 0..<4 { #expect(abs(affine[r][c] - g.affineRAS[r][c]) < 1e-4) } }
        }
        #expect(nifti[PhantomWriter.huFile]?["equalsSeries"] as? Bool == true)
        #expect(nifti[PhantomWriter.labelsFile]?["dtype"] as? String == "uint8")
        let labelSum = p.labels.voxels.reduce(0.0) { $0 + Double($1) }
        #expect(nifti[PhantomWriter.labelsFile]?["sum"] as? Double == labelSum)
    }

    @Test("our DICOM reader loads every slice with the generated values and positions")
    func ownReader() throws {
        let (p, dir) = try PhantomFixture.written.get()
        let g = p.hu.grid, plane = g.dims.x * g.dims.y
        for k in 0..<g.dims.z {
            let url = dir.appendingPathComponent("dicom").appendingPathComponent(String(format: "CT%06d.dcm", k + 1))
            let file = try DicomFile.read(contentsOf: url)
            let stored = try file.storedValues(frame: 0)
            #expect(stored.map(Int16.init) == Array(p.hu.voxels[(k * plane) ..< ((k + 1) * plane)]))
            let position = file.dataSet.doubles(.imagePositionPatient)
            #expect(position.count == 3)
            if position.count == 3 {
                #expect(length(Vec3(position[0], position[1], position[2]) - g.physicalPoint(index: Vec3(0, 0, Double(k)))) < 1e-6)
            }
            #expect(file.dataSet.double(.rescaleSlope) == 1 && file.dataSet.double(.rescaleIntercept) == 0)
        }
        let truth = try PhantomWriter.readTruth(dir.appendingPathComponent(PhantomWriter.truthFile))
        #expect(truth.grid == g)
        #expect(truth.hounsfieldModel == p.truth.hounsfieldModel)
    }

    @Test("dciodvfy reports no error on any slice",
          .enabled(if: ExternalTool.isAvailable("dciodvfy"), "needs dicom3tools"))
    func dciodvfy() throws {
        let (p, dir) = try PhantomFixture.written.get()
        let n = p.hu.dims.z
        for k in 1...n {
            let url = dir.appendingPathComponent("dicom").appendingPathComponent(String(format: "CT%06d.dcm", k))
            let r = try ExternalTool.run("dciodvfy", [url.path])
            let report = r.stdout + r.stderr
            let errors = report.split(separator: "\n").filter { $0.hasPrefix("Error") }
            #expect(errors.isEmpty, "dciodvfy on slice \(k): \(errors)")
            #expect(report.contains("CTImage"))
        }
    }
}
