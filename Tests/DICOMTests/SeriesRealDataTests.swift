// Series assembly on real data: the anonymised 20-slice JPEG 2000 series against dcm2niix and its
// segmentation, and an Enhanced CT multi-frame object against pydicom.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOM

/// True when every voxel centre of `b` is a voxel centre of `a` and both have as many voxels: the same
/// lattice, whatever the axis order or flips (dcm2niix flips rows; NIfTI files are RAS).
func sameVoxelLattice(_ a: ImageGrid, _ b: ImageGrid, tolerance: Double = 1e-3) -> Bool {
    guard a.count == b.count else { return false }
    for c in 0..<8 {
        let corner = Vec3(Double((c & 1) * (b.dims.x - 1)), Double((c >> 1 & 1) * (b.dims.y - 1)), Double((c >> 2 & 1) * (b.dims.z - 1)))
        let s = a.continuousIndex(physical: b.physicalPoint(index: corner))
        let r = s.rounded(.toNearestOrEven)
        guard (s - r).max() <= tolerance, (r - s).max() <= tolerance, all(r .>= .zero),
              r.x < Double(a.dims.x), r.y < Double(a.dims.y), r.z < Double(a.dims.z) else { return false }
    }
    return true
}

@Suite("Series assembly (real data)", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct SeriesRealDataTests {
    static let j2kSeries = "ct/thoracolumbar-dicom-j2k/series"
    /// Loaded once for the tests that share it (J2K decoding dominates their run time).
    static let thoracolumbar = Result { try CTSeriesLoader.load(try SeriesScanner.scan(TestPaths.shared(j2kSeries)).pick(nil)) }

    @Test("anonymised J2K series: grouped despite empty UIDs, same affine and HU as dcm2niix")
    func thoracolumbarAgainstDcm2niix() throws {
        let folder = TestPaths.shared(Self.j2kSeries)
        let catalog = try SeriesScanner.scan(folder)
        #expect(catalog.series.count == 1 && catalog.skipped.isEmpty)
        let series = try catalog.pick(nil)
        #expect(series.seriesInstanceUID.isEmpty)
        #expect(series.warnings.contains { $0.contains("SeriesInstanceUID is empty") })
        #expect(series.facts.manufacturer == "SIEMENS" && series.facts.kvp != nil)
        let ct = try Self.thoracolumbar.get()
        #expect(ct.volume.dims == SIMD3(512, 512, 20))

        let out = try TestPaths.temporaryDirectory("dcm2niix")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try ExternalTool.run("dcm2niix", ["-z", "n", "-b", "n", "-f", "reference", "-o", out.path, folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let reference = try NIfTI.read(contentsOf: out.appendingPathComponent("reference.nii")).asFloat()
        #expect(sameVoxelLattice(ct.volume.grid, reference.grid), "ours \(ct.volume.grid) vs dcm2niix \(reference.grid)")
        // Resampling ours onto dcm2niix's grid only reorders voxels when the lattices coincide.
        let ours = ct.volume.resampled(to: reference.grid, interpolation: .nearest, outside: .nan)
        let differing = zip(ours.voxels, reference.voxels).filter { $0 != $1 }.count
        #expect(differing == 0)
    }

    @Test("J2K series lines up with its NIfTI segmentation voxel for voxel")
    func thoracolumbarSegmentation() throws {
        let ct = try Self.thoracolumbar.get()
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("ct/thoracolumbar-dicom-j2k/segmentation.nii.gz")).asLabels()
        #expect(sameVoxelLattice(ct.volume.grid, labels.grid))
        // Aligned, the T12 label (TotalSegmentator id 32) covers bone and the liver (id 5) soft tissue.
        let onCT = labels.resampled(to: ct.volume.grid, interpolation: .nearest)
        func meanHU(_ label: Int32) -> Double {
            let values = zip(onCT.voxels, ct.volume.voxels).filter { $0.0 == label }.map { Double($0.1) }
            return values.reduce(0, +) / Double(max(1, values.count))
        }
        #expect(meanHU(32) > 200)
        #expect((30...150).contains(meanHU(5)))
    }

    @Test("Enhanced CT multi-frame: frames placed and rescaled as pydicom reads them")
    func enhancedCT() throws {
        let file = TestPaths.shared("dicom/pydicom-data/eCT_Supplemental.dcm")
        let dir = try TestPaths.temporaryDirectory("ect")
        defer { try? FileManager.default.removeItem(at: dir) }
        let raw = dir.appendingPathComponent("hu.f32")
        struct Reference: Decodable { struct Frame: Decodable { var ipp: [Double] }; var iop: [Double]; var pixel_spacing: [Double]; var frames: [Frame]; var order: [Int] }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(try ExternalTool.python("enhanced_ct_reference.py", [file.path, raw.path]).utf8))

        let series = try SeriesScanner.scan(file).pick(nil)
        #expect(series.sliceCount == reference.frames.count)
        let ct = try CTSeriesLoader.load(series)
        let g = ct.volume.grid
        let first = reference.frames[reference.order[0]].ipp
        #expect(length(g.origin - Vec3(first[0], first[1], first[2])) < 1e-6)
        #expect(length(g.direction.c0 - Vec3(reference.iop[0], reference.iop[1], reference.iop[2])) < 1e-9)
        #expect(abs(g.spacing.x - reference.pixel_spacing[1]) < 1e-9 && abs(g.spacing.y - reference.pixel_spacing[0]) < 1e-9)
        let last = reference.frames[reference.order.last!].ipp
        #expect(length(g.physicalPoint(index: Vec3(0, 0, Double(g.dims.z - 1))) - Vec3(last[0], last[1], last[2])) < 1e-6)
        let expected = try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(ct.volume.voxels == expected)
    }
}
