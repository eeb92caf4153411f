// Binary DICOM Segmentation objects (SEG IOD, PS3.3 A.51) as label maps: each frame is one plane
// of one segment, placed by its Plane Position / Orientation and Pixel Measures (per-frame or
// shared functional groups) and tied to its segment by Referenced Segment Number. The frames are
// laid on a grid of their own; `LabelMapImport.resample` then brings it onto the CT.
import DICOM
import Foundation
import OpenBCTCore

public enum DicomSegImport {
    static let segmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4"

    /// True when `url` is a DICOM file (a SEG is then expected), not a volume file.
    public static func looksLikeSegmentation(_ url: URL) -> Bool { DicomFile.looksLikeDicom(url) }

    /// Reads a binary SEG: a label map on the frames' own grid (value = segment number; where
    /// segments overlap the higher number wins) and the segment labels by number. Throws an
    /// `InputError` naming the element for anything that is not a readable binary SEG.
    public static func read(contentsOf url: URL) throws -> (map: Volume<Int32>, names: TotalSegmentatorLabels) {
        let path = url.path
        let file = try DicomFile.read(contentsOf: url)
        let ds = file.dataSet
        func fail(_ tag: Tag, _ message: String) -> InputError { InputError(path: path, location: tag.label, message) }
        let sopClass = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        guard sopClass == segmentationStorage else {
            throw fail(.sopClassUID, "'\(sopClass)' is not Segmentation Storage (\(segmentationStorage)): --labels-from takes a DICOM SEG or a label-map volume")
        }
        guard ds.string(.segmentationType)?.uppercased() == "BINARY" else {
            throw fail(.segmentationType, "'\(ds.string(.segmentationType) ?? "")': only BINARY segmentations are read (a FRACTIONAL one needs a threshold the SEG does not carry)")
        }
        guard let segments = ds.sequence(.segmentSequence), !segments.isEmpty else { throw fail(.segmentSequence, "missing or empty") }
        var names: [Int32: String] = [:]
        for item in segments {
            guard let number = item.int(.segmentNumber) else { throw fail(.segmentNumber, "missing in a Segment Sequence item") }
            names[Int32(number)] = item.string(.segmentLabel) ?? "segment_\(number)"
        }
        let rows = ds.int(.rows) ?? 0, columns = ds.int(.columns) ?? 0
        guard rows > 0, columns > 0 else { throw fail(.rows, "Rows × Columns is \(rows) × \(columns)") }
        let frameCount = file.numberOfFrames
        guard frameCount > 0 else { throw fail(.pixelData, "no frames") }
        let shared = ds.sequence(.sharedFunctionalGroupsSequence)?.first
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence) ?? []
        guard perFrame.count == frameCount else {
            throw fail(.perFrameFunctionalGroupsSequence, "\(perFrame.count) items for \(frameCount) frames")
        }
        // A functional group's macro from the frame's item, else from the shared item.
        func macro(_ frame: Int, _ tag: Tag) -> DataSet? {
            perFrame[frame].sequence(tag)?.first ?? shared?.sequence(tag)?.first
        }
        struct Frame { var position: Vec3; var segment: Int32 }
        var frames: [Frame] = []
        var orientation: [Double]?
        var pixelSpacing: [Double]?
        var declaredSliceSpacing: Double?
        for f in 0..<frameCount {
            guard let ipp = macro(f, .planePositionSequence)?.doubles(.imagePositionPatient), ipp.count == 3 else {
                throw fail(.planePositionSequence, "frame \(f + 1): no Image Position (Patient) in the Plane Position Sequence")
            }
            guard let iop = macro(f, .planeOrientationSequence)?.doubles(.imageOrientationPatient), iop.count == 6 else {
                throw fail(.planeOrientationSequence, "frame \(f + 1): no Image Orientation (Patient) in the Plane Orientation Sequence")
            }
            if let o = orientation, zip(o, iop).contains(where: { abs($0 - $1) > 1e-4 }) {
                throw fail(.planeOrientationSequence, "frame \(f + 1) is oriented \(iop), frame 1 \(o): frames of one SEG must be parallel")
            }
            orientation = iop
            guard let measures = macro(f, .pixelMeasuresSequence) else {
                throw fail(.pixelMeasuresSequence, "frame \(f + 1): no Pixel Measures Sequence")
            }
            let ps = measures.doubles(.pixelSpacing)
            guard ps.count == 2, ps.allSatisfy({ $0 > 0 }) else {
                throw fail(.pixelMeasuresSequence, "frame \(f + 1): no positive Pixel Spacing in the Pixel Measures Sequence")
            }
            pixelSpacing = ps
            declaredSliceSpacing = declaredSliceSpacing ?? measures.double(.spacingBetweenSlices) ?? measures.double(.sliceThickness)
            guard let number = macro(f, .segmentIdentificationSequence)?.int(.referencedSegmentNumber), names[Int32(number)] != nil else {
                throw fail(.segmentIdentificationSequence, "frame \(f + 1): no Referenced Segment Number of a segment in the Segment Sequence")
            }
            frames.append(Frame(position: Vec3(ipp[0], ipp[1], ipp[2]), segment: Int32(number)))
        }
        let iop = orientation!, ps = pixelSpacing!
        let row = normalize(Vec3(iop[0], iop[1], iop[2])), col = normalize(Vec3(iop[3], iop[4], iop[5]))
        let normal = normalize(cross(row, col))
        // Planes: distinct positions along the normal. Their spacing is the declared one, else the
        // smallest gap; every plane must sit on that lattice and share the in-plane origin.
        let heights = frames.map { dot($0.position, normal) }
        let distinct = heights.sorted().reduce(into: [Double]()) { acc, h in if acc.last.map({ h - $0 > 1e-3 }) ?? true { acc.append(h) } }
        let gaps = zip(distinct.dropFirst(), distinct).map { $0 - $1 }
        let spacing = declaredSliceSpacing.flatMap { $0 > 0 ? $0 : nil } ?? gaps.min() ?? 1
        let first = frames[heights.firstIndex(of: distinct[0])!].position
        var planeOf: [Int] = []
        for (f, frame) in frames.enumerated() {
            let d = frame.position - first
            let k = dot(d, normal) / spacing
            guard abs(k - k.rounded()) < 0.1, abs(dot(d, row)) < 0.1 * ps[1], abs(dot(d, col)) < 0.1 * ps[0] else {
                throw fail(.planePositionSequence, "frame \(f + 1) at \(frame.position) is not on the grid of frame planes (slice spacing \(spacing) mm from \(first))")
            }
            planeOf.append(Int(k.rounded()))
        }
        let planes = (planeOf.max() ?? 0) + 1
        // Pixel Spacing is (between rows, between columns): x along a row steps by the second.
        let grid = ImageGrid(dims: SIMD3(columns, rows, planes), spacing: Vec3(ps[1], ps[0], spacing), origin: first,
                             direction: Matrix3(columns: row, col, normal))
        var map = Volume<Int32>(grid: grid, repeating: 0)
        let planeSize = rows * columns
        for (f, frame) in frames.enumerated() {
            let values = try file.storedValues(frame: f)
            guard values.count == planeSize else { throw fail(.pixelData, "frame \(f + 1) holds \(values.count) samples, expected \(planeSize)") }
            let base = planeOf[f] * planeSize
            for p in 0..<planeSize where values[p] != 0 { map.voxels[base + p] = max(map.voxels[base + p], frame.segment) }
        }
        return (map, TotalSegmentatorLabels(nameByID: names))
    }
}

extension Tag {
    static let segmentationType = Tag(0x0062, 0x0001)
    static let segmentSequence = Tag(0x0062, 0x0002)
    static let segmentNumber = Tag(0x0062, 0x0004)
    static let segmentLabel = Tag(0x0062, 0x0005)
    static let segmentIdentificationSequence = Tag(0x0062, 0x000A)
    static let referencedSegmentNumber = Tag(0x0062, 0x000B)
}
