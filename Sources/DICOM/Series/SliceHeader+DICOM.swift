// Reading slice headers from DICOM: classic single-frame images and Enhanced CT multi-frame objects
// (per-frame and shared functional groups).
import OpenBCTCore

extension SliceHeader {
    /// One header per frame of `file`.
    /// - Throws: `InputError` naming the file and tag when geometry or pixel spacing is missing or malformed.
    public static func headers(of file: DicomFile, path: String) throws -> [SliceHeader] {
        let ds = file.dataSet
        guard let rows = ds.int(.rows), let columns = ds.int(.columns), rows > 0, columns > 0 else {
            throw InputError(path: path, location: "(0028,0010) Rows / (0028,0011) Columns", "missing or zero image size")
        }
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence)
        let shared = ds.sequence(.sharedFunctionalGroupsSequence)?.first
        guard perFrame != nil || shared != nil else {
            return [try header(macros: [ds], rows: rows, columns: columns, source: SliceSource(path: path))]
        }
        // From the tag, not `file.numberOfFrames`: headers are read without the pixel data.
        let frames = max(1, ds.int(.numberOfFrames) ?? 1)
        if let perFrame, perFrame.count != frames {
            throw InputError(path: path, location: "(5200,9230) PerFrameFunctionalGroupsSequence",
                             "\(perFrame.count) items for \(frames) frames")
        }
        return try (0..<frames).map { f in
            // Per-frame macros override shared ones; the top level is the last resort.
            var macros: [DataSet] = []
            for group in [perFrame?[f], shared].compactMap({ $0 }) {
                for element in group.elements { if case .sequence(let items) = element.value, let item = items.first { macros.append(item) } }
            }
            macros.append(ds)
            return try header(macros: macros, rows: rows, columns: columns, source: SliceSource(path: path, frame: f))
        }
    }

    /// Builds a header from the first data set in `macros` that holds each attribute.
    private static func header(macros: [DataSet], rows: Int, columns: Int, source: SliceSource) throws -> SliceHeader {
        func values(_ tag: Tag, count: Int, name: String) throws -> [Double] {
            guard let v = macros.lazy.map({ $0.doubles(tag) }).first(where: { !$0.isEmpty }) else {
                throw InputError(path: source.path, location: "\(tag) \(name)", "missing (needed to place the slice in space)")
            }
            guard v.count == count, v.allSatisfy(\.isFinite) else {
                throw InputError(path: source.path, location: "\(tag) \(name)", "expected \(count) finite numbers, found \(v)")
            }
            return v
        }
        let ipp = try values(.imagePositionPatient, count: 3, name: "ImagePositionPatient")
        let iop = try values(.imageOrientationPatient, count: 6, name: "ImageOrientationPatient")
        let ps = try values(.pixelSpacing, count: 2, name: "PixelSpacing")
        let row = Vec3(iop[0], iop[1], iop[2]), col = Vec3(iop[3], iop[4], iop[5])
        guard abs(length(row) - 1) < 0.01, abs(length(col) - 1) < 0.01, abs(dot(row, col)) < 0.01 else {
            throw InputError(path: source.path, location: "\(Tag.imageOrientationPatient) ImageOrientationPatient",
                             "direction cosines \(iop) are not two orthogonal unit vectors")
        }
        guard ps[0] > 0, ps[1] > 0 else {
            throw InputError(path: source.path, location: "\(Tag.pixelSpacing) PixelSpacing", "expected positive spacings, found \(ps)")
        }
        let slope = macros.lazy.compactMap { $0.double(.rescaleSlope) }.first ?? 1
        let intercept = macros.lazy.compactMap { $0.double(.rescaleIntercept) }.first ?? 0
        guard slope.isFinite, intercept.isFinite, slope != 0 else {
            throw InputError(path: source.path, location: "\(Tag.rescaleSlope) RescaleSlope", "expected a finite non-zero slope, found \(slope)")
        }
        return SliceHeader(position: Vec3(ipp[0], ipp[1], ipp[2]), rowDirection: row, columnDirection: col,
                           pixelSpacing: SIMD2(ps[1], ps[0]), rows: rows, columns: columns,
                           rescaleSlope: slope, rescaleIntercept: intercept,
                           sliceThickness: macros.lazy.compactMap { $0.double(.sliceThickness) }.first, source: source)
    }
}
