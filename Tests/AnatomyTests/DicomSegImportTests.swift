// Binary DICOM SEG input: a SEG written by highdicom (an independent implementation of the SEG IOD)
// from the thoracolumbar J2K series and its TotalSegmentator label map comes back onto the CT grid
// voxel for voxel; one moved to another physical space is refused.
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
import DICOM
@testable import Anatomy
import TestSupport

@Suite("Importing a DICOM SEG", .enabled(if: TestPaths.hasSharedData && ExternalTool.isAvailable("python3"), "needs ../shared/data and python3 with highdicom"))
struct DicomSegImportTests {
    let root = TestPaths.shared("ct/thoracolumbar-dicom-j2k")

    /// Writes the SEG (T12 = segment 1, T11 = segment 2) and returns its path and highdicom's
    /// voxel count per segment.
    func makeSEG(_ dir: URL, shiftMM: Double = 0) throws -> (URL, [String: Int]) {
        let out = dir.appendingPathComponent("seg.dcm")
        var args = [root.appendingPathComponent("series").path, root.appendingPathComponent("segmentation.nii.gz").path, out.path,
                    "32=vertebrae_T12", "33=vertebrae_T11"]
        if shiftMM != 0 { args += ["--shift-mm", String(shiftMM)] }
        let counts = try JSONSerialization.jsonObject(with: Data(try ExternalTool.python("anatomy_make_seg.py", args).utf8)) as! [String: Int]
        return (out, counts)
    }

    @Test("segments, frames and positions land on the CT grid exactly; levels and landmarks follow")
    func onCTGrid() throws {
        let dir = try TestPaths.temporaryDirectory("anatomy-seg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, counts) = try makeSEG(dir)
        let (map, names) = try DicomSegImport.read(contentsOf: url)
        #expect(names.nameByID == [1: "vertebrae_T12", 2: "vertebrae_T11"])
        let ct = try CTSeriesLoader.load(try SeriesScanner.scan(root.appendingPathComponent("series")).pick(nil)).volume
        let (onCT, findings) = try LabelMapImport.resample(map, onto: ct.grid, path: url.path)
        #expect(findings.isEmpty)
        // highdicom's masks were sampled on the CT's pixel centres: the same voxels, counted exactly.
        for (id, name) in [(Int32(1), "vertebrae_T12"), (Int32(2), "vertebrae_T11")] {
            #expect(onCT.voxels.reduce(0) { $0 + ($1 == id ? 1 : 0) } == counts[name], "\(name)")
        }
        // And they agree with the NIfTI label map brought onto the CT by the NIfTI path.
        let nifti = try NIfTI.read(contentsOf: root.appendingPathComponent("segmentation.nii.gz")).asLabels()
        let (niftiOnCT, _) = try LabelMapImport.resample(nifti, onto: ct.grid, path: "segmentation.nii.gz")
        for (seg, ts) in [(Int32(1), Int32(32)), (Int32(2), Int32(33))] {
            let dice = OverlapMetrics.dice(onCT.map { $0 == seg ? 1 : 0 }, niftiOnCT.map { $0 == ts ? 1 : 0 })
            #expect(dice > 0.999, "segment \(seg): Dice \(dice) against the NIfTI import")
        }
        let result = LabelMapImport.segmentation(from: onCT, names: names, source: url.path).result
        #expect(result.vertebrae.map(\.level) == ["T12", "T11"])
    }

    @Test("a SEG placed 1 m away is refused with an InputError naming the file")
    func refuseDisjoint() throws {
        let dir = try TestPaths.temporaryDirectory("anatomy-seg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, _) = try makeSEG(dir, shiftMM: 1000)
        let (map, _) = try DicomSegImport.read(contentsOf: url)
        let ct = try CTSeriesLoader.load(try SeriesScanner.scan(root.appendingPathComponent("series")).pick(nil)).volume
        #expect { _ = try LabelMapImport.resample(map, onto: ct.grid, path: url.path) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.path == url.path && e.message.contains("does not overlap")
        }
    }

    @Test("a DICOM file that is not a SEG is refused, naming SOP Class UID")
    func refuseCTImage() throws {
        let slice = try #require(try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("series"), includingPropertiesForKeys: nil).first)
        #expect { _ = try DicomSegImport.read(contentsOf: slice) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.location == Tag.sopClassUID.label && e.message.contains("not Segmentation Storage")
        }
    }
}
