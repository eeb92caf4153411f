// DICOM Segmentation Storage (PS3.3 A.51), binary: the bones of a label map on the CT's geometry.
import DICOM
import Foundation
import OpenBCTCore

/// Writes a binary DICOM SEG from a label map: one frame per (segment, slice) that holds any of the
/// segment's voxels, each frame positioned (Plane Position) and, when the label map covers the whole
/// DICOM source series slice for slice, derived from its source image (Derivation Image Sequence).
enum SegmentationWriter {
    static let sopClassUID = "1.2.840.10008.5.1.4.1.1.66.4"

    struct Frame { var segment: Int; var slice: Int }

    /// The Part-10 bytes. The label map's grid must be the CT's patient space (LPS); its i axis runs
    /// along image rows, j down the columns, k across slices.
    static func write(labels: Volume<Int32>, segments: [SegmentDefinition], study: SourceStudy, created: Date,
                      seriesNumber: Int = 9003) throws -> Data {
        guard !segments.isEmpty else { throw InputError(location: "label map", "no bone segments to write") }
        let grid = labels.grid
        let (columns, rows, slices) = (grid.dims.x, grid.dims.y, grid.dims.z)
        guard rows <= Int(UInt16.max), columns <= Int(UInt16.max) else {
            throw InputError(location: "label map", "slices of \(columns)×\(rows) exceed DICOM's 65535 rows/columns")
        }
        let segmentOf = segmentLookup(segments)
        let counts = voxelCounts(labels, segmentOf: segmentOf, segmentCount: segments.count)
        var frames: [Frame] = []
        for s in segments.indices { for k in 0..<slices where counts[k * segments.count + s] > 0 { frames.append(Frame(segment: s, slice: k)) } }
        guard !frames.isEmpty else { throw InputError(location: "label map", "none of the segments has a voxel") }

        let object = DerivedObject(modality: "SEG", seriesNumber: seriesNumber,
                                   seriesDescription: "OpenBCT bone segmentation", created: created)
        var ds = object.header(study: study)
        ds.set(.frameOfReferenceUID, .UI, string: study.frameOfReferenceUID)
        ds.set(.positionReferenceIndicator, .LO, string: "")
        ds.set(.imageType, .CS, strings: ["DERIVED", "PRIMARY"])
        ds.set(.contentLabel, .CS, string: "BONES")
        ds.set(.contentDescription, .LO, string: "Bones segmented by OpenBCT (research use only)")
        ds.set(.contentCreatorName, .PN, string: "")
        ds.set(.samplesPerPixel, .US, ints: [1])
        ds.set(.photometricInterpretation, .CS, string: "MONOCHROME2")
        ds.set(.rows, .US, ints: [rows])
        ds.set(.columns, .US, ints: [columns])
        ds.set(.bitsAllocated, .US, ints: [1])
        ds.set(.bitsStored, .US, ints: [1])
        ds.set(.highBit, .US, ints: [0])
        ds.set(.pixelRepresentation, .US, ints: [0])
        ds.set(.lossyImageCompression, .CS, string: "00")
        ds.set(.segmentationType, .CS, string: "BINARY")
        ds.set(.segmentSequence, sequence: segments.map(segmentItem))
        ds.set(.numberOfFrames, .IS, ints: [frames.count])
        if !study.instances.isEmpty { ds.set(.referencedSeriesSequence, sequence: referencedSeriesItems(study)) }

        // Multi-frame Dimension: segment number, then position along the stack.
        let organisation = UID.generate()
        ds.set(.dimensionOrganizationSequence, sequence: [{ var d = DataSet(); d.set(.dimensionOrganizationUID, .UI, string: organisation); return d }()])
        ds.set(.dimensionIndexSequence, sequence: [
            dimensionIndex(organisation, pointer: .referencedSegmentNumber, group: .segmentIdentificationSequence, label: "ReferencedSegmentNumber"),
            dimensionIndex(organisation, pointer: .imagePositionPatient, group: .planePositionSequence, label: "ImagePositionPatient"),
        ])

        // Shared: pixel measures and orientation. Per frame: position, segment, derivation.
        var measures = DataSet()
        measures.set(.pixelSpacing, .DS, doubles: [grid.spacing.y, grid.spacing.x])
        measures.set(.sliceThickness, .DS, doubles: [grid.spacing.z])
        measures.set(.spacingBetweenSlices, .DS, doubles: [grid.spacing.z])
        var orientation = DataSet()
        let (r, c) = (grid.direction.c0, grid.direction.c1)
        orientation.set(.imageOrientationPatient, .DS, doubles: [r.x, r.y, r.z, c.x, c.y, c.z])
        var shared = DataSet()
        shared.set(.pixelMeasuresSequence, sequence: [measures])
        shared.set(.planeOrientationSequence, sequence: [orientation])
        ds.set(.sharedFunctionalGroupsSequence, sequence: [shared])
        // Slice k was read from source image k when the label map spans the whole source series.
        let sourceOfSlice = study.instances.count == slices ? study.instances : nil
        ds.set(.perFrameFunctionalGroupsSequence, sequence: frames.map { f in
            let origin = grid.physicalPoint(index: Vec3(0, 0, Double(f.slice)))
            var item = DataSet()
            var content = DataSet()
            content.set(.dimensionIndexValues, .UL, ints: [segments[f.segment].number, f.slice + 1])
            item.set(.frameContentSequence, sequence: [content])
            var position = DataSet()
            position.set(.imagePositionPatient, .DS, doubles: [origin.x, origin.y, origin.z])
            item.set(.planePositionSequence, sequence: [position])
            var identification = DataSet()
            identification.set(.referencedSegmentNumber, .US, ints: [segments[f.segment].number])
            item.set(.segmentIdentificationSequence, sequence: [identification])
            if let source = sourceOfSlice?[f.slice] {
                item.set(.derivationImageSequence, sequence: [derivation(from: source)])
            }
            return item
        })
        ds.set(.pixelData, .OB, bytes: packFrames(labels, frames: frames, segmentOf: segmentOf))
        return try DicomWriter.write(dataSet: ds, sopClassUID: sopClassUID, sopInstanceUID: object.sopInstanceUID)
    }

    /// Segment index (0-based) for each label value 0…255, −1 where none (label maps are UInt8-valued).
    static func segmentLookup(_ segments: [SegmentDefinition]) -> [Int8] {
        var table = [Int8](repeating: -1, count: 256)
        for (s, seg) in segments.enumerated() {
            for v in seg.labelValues where (0..<256).contains(v) { table[Int(v)] = Int8(s) }
        }
        return table
    }

    /// Voxels of each segment in each slice: `counts[k * segmentCount + s]`.
    static func voxelCounts(_ labels: Volume<Int32>, segmentOf: [Int8], segmentCount: Int) -> [Int] {
        let plane = labels.grid.dims.x * labels.grid.dims.y
        let slices = labels.grid.dims.z
        var counts = [Int](repeating: 0, count: slices * segmentCount)
        labels.voxels.withUnsafeBufferPointer { voxels in
            segmentOf.withUnsafeBufferPointer { lut in
                counts.withUnsafeMutableBufferPointer { out in
                    let src = SendableConstPointer(voxels.baseAddress!), table = SendableConstPointer(lut.baseAddress!)
                    let dst = SendablePointer(out.baseAddress!)
                    parallelFor(slices) { k in
                        for n in k * plane ..< (k + 1) * plane {
                            let v = src[n]
                            guard v > 0, v < 256 else { continue }
                            let s = Int(table[Int(v)])
                            if s >= 0 { dst[k * segmentCount + s] += 1 }
                        }
                    }
                }
            }
        }
        return counts
    }

    /// The frames' bits, packed without padding between frames (PS3.5 §8.1.1): pixel n of the whole
    /// sequence is bit n % 8 of byte n / 8, least significant bit first.
    static func packFrames(_ labels: Volume<Int32>, frames: [Frame], segmentOf: [Int8]) -> [UInt8] {
        let plane = labels.grid.dims.x * labels.grid.dims.y
        var bits = [UInt8](repeating: 0, count: (frames.count * plane + 7) / 8)
        labels.voxels.withUnsafeBufferPointer { voxels in
            segmentOf.withUnsafeBufferPointer { lut in
                bits.withUnsafeMutableBufferPointer { out in
                    let src = SendableConstPointer(voxels.baseAddress!), table = SendableConstPointer(lut.baseAddress!)
                    let dst = SendablePointer(out.baseAddress!)
                    let fill: @Sendable (Int) -> Void = { f in
                        let frame = frames[f]
                        let base = f * plane, start = frame.slice * plane
                        for p in 0..<plane {
                            let v = src[start + p]
                            guard v > 0, v < 256, Int(table[Int(v)]) == frame.segment else { continue }
                            let bit = base + p
                            dst[bit >> 3] |= UInt8(1) << UInt8(bit & 7)
                        }
                    }
                    // Frames share a byte only when a plane is not a whole number of bytes.
                    if plane % 8 == 0 { parallelFor(frames.count, fill) } else { for f in frames.indices { fill(f) } }
                }
            }
        }
        return bits
    }

    static func segmentItem(_ seg: SegmentDefinition) -> DataSet {
        var item = DataSet(characterSet: .utf8)
        item.set(.segmentNumber, .US, ints: [seg.number])
        item.set(.segmentLabel, .LO, string: seg.label)
        item.set(.segmentAlgorithmType, .CS, string: "AUTOMATIC")
        item.set(.segmentAlgorithmName, .LO, string: "\(OpenBCT.name) \(OpenBCT.version) anatomy")
        item.set(.segmentedPropertyCategoryCodeSequence, sequence: [SNOMED.anatomicalStructure.dicomItem])
        var type = seg.propertyType.dicomItem
        if let modifier = seg.modifier { type.set(.segmentedPropertyTypeModifierCodeSequence, sequence: [modifier.dicomItem]) }
        item.set(.segmentedPropertyTypeCodeSequence, sequence: [type])
        return item
    }

    static func dimensionIndex(_ organisation: String, pointer: Tag, group: Tag, label: String) -> DataSet {
        var d = DataSet()
        d.set(.dimensionOrganizationUID, .UI, string: organisation)
        d.set(.dimensionIndexPointer, .AT, bytes: attributeTag(pointer))
        d.set(.functionalGroupPointer, .AT, bytes: attributeTag(group))
        d.set(.dimensionDescriptionLabel, .LO, string: label)
        return d
    }

    /// An AT value: group then element, each 16-bit little endian.
    static func attributeTag(_ t: Tag) -> [UInt8] {
        [UInt8(t.group & 0xFF), UInt8(t.group >> 8), UInt8(t.element & 0xFF), UInt8(t.element >> 8)]
    }

    /// Derivation Image item: this frame was segmented from `source` (DCM 113076 Segmentation;
    /// purpose DCM 121322 Source image for image processing operation).
    static func derivation(from source: SourceInstance) -> DataSet {
        var sourceImage = referencedInstance(source)
        sourceImage.set(.purposeOfReferenceCodeSequence, sequence: [CodedConcept("121322", "DCM", "Source image for image processing operation").dicomItem])
        var item = DataSet()
        item.set(.derivationCodeSequence, sequence: [CodedConcept("113076", "DCM", "Segmentation").dicomItem])
        item.set(.sourceImageSequence, sequence: [sourceImage])
        return item
    }
}
