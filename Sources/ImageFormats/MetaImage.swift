// MetaImage (ITK MetaIO) images: .mha (header + data in one file) and .mhd (+ .raw or .zraw).
import Foundation
import OpenBCTCore

/// MetaImage reading and writing.
///
/// Coordinates are LPS (ITK's physical space), so no axis flip. `TransformMatrix` lists the direction
/// vector of each voxel axis in turn (ITK's `SetDirection(i, matrix[3i ..< 3i+3])`). Compressed data
/// (`CompressedData = True`) is a zlib stream (gzip is accepted when reading).
public enum MetaImage {
    /// Reads a `.mha` or `.mhd` image. 2-D images become one-slice volumes.
    public static func read(contentsOf url: URL) throws -> AnyVolume {
        let file = try mapped(url)
        let header = try MetaImageHeader.parse(file, path: url.path)
        let grid = try header.grid()
        let data: Data, dataPath: String, start: Int
        if let name = header.dataFileName {
            let dataURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : url.deletingLastPathComponent().appendingPathComponent(name)
            data = try mapped(dataURL); dataPath = dataURL.path; start = 0
        } else {
            data = file; dataPath = url.path; start = header.dataOffset
        }
        let byteCount = grid.count * header.type.byteSize
        let source: ByteSource
        var offset = start
        if header.compressed {
            source = try InflatingByteSource(data, offset: start, container: .automatic, path: dataPath)
        } else {
            // HeaderSize -1 means "the data are the last bytes of the file".
            if header.headerSize == -1 { offset = data.count - byteCount } else if header.headerSize > 0 { offset += header.headerSize }
            offset = max(0, offset)
            source = PlainByteSource(data, offset: offset)
        }
        let context = VoxelDataContext(path: dataPath, dataOffset: offset,
                                       promise: "DimSize \(grid.dims.x)×\(grid.dims.y)×\(grid.dims.z) of \(header.type.metaImageName) from byte \(offset)")
        return try readVoxels(header.type, grid: grid, from: source, bigEndian: header.bigEndian, context: context)
    }

    /// Writes `volume` as `.mha` (one file) or `.mhd` + `.raw` (`.zraw` when `compressed`), little
    /// endian. Each file appears complete or not at all; for `.mhd` the data file is written first.
    public static func write<T: VoxelValue>(_ volume: Volume<T>, to url: URL, compressed: Bool = false) throws {
        guard let type = StoredVoxelType(T.self) else { throw ImageWriteError("MetaImage cannot store voxel type \(T.self)") }
        try requireWritable(volume.grid)
        let ext = url.pathExtension.lowercased()
        guard ext == "mha" || ext == "mhd" else { throw ImageWriteError("\(url.path): MetaImage files end in .mha or .mhd") }
        let payload: Data? = compressed ? try zlibCompressed(volume.voxels) : nil
        let dataName = ext == "mhd" ? url.deletingPathExtension().lastPathComponent + (compressed ? ".zraw" : ".raw") : nil
        let headerText = MetaImageHeader.text(grid: volume.grid, type: type, compressedSize: payload?.count,
                                              dataFile: dataName ?? "LOCAL")
        func writeVoxels(_ handle: FileHandle) throws {
            if let payload { try payload.withUnsafeBytes { try handle.writeAll($0) }; return }
            try volume.voxels.withUnsafeBytes { try handle.writeAll($0) }
        }
        if let dataName {
            try writeAtomically(to: url.deletingLastPathComponent().appendingPathComponent(dataName), writeVoxels)
            try writeAtomically(Data(headerText.utf8), to: url)
        } else {
            try writeAtomically(to: url) { handle in
                try Array(headerText.utf8).withUnsafeBytes { try handle.writeAll($0) }
                try writeVoxels(handle)
            }
        }
    }

    /// Writes a volume of any voxel type (see `write(_:to:compressed:)`).
    public static func write(_ volume: AnyVolume, to url: URL, compressed: Bool = false) throws {
        switch volume {
        case .uint8(let v): try write(v, to: url, compressed: compressed)
        case .int16(let v): try write(v, to: url, compressed: compressed)
        case .uint16(let v): try write(v, to: url, compressed: compressed)
        case .int32(let v): try write(v, to: url, compressed: compressed)
        case .float32(let v): try write(v, to: url, compressed: compressed)
        case .float64(let v): try write(v, to: url, compressed: compressed)
        }
    }

    private static func mapped(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw InputError(path: url.path, "cannot read file: \(error.localizedDescription)")
        }
    }

    /// The voxels as one zlib stream (MetaIO needs CompressedDataSize in the header, before the data).
    private static func zlibCompressed<T>(_ voxels: [T]) throws -> Data {
        var out = Data()
        try voxels.withUnsafeBytes { bytes in
            try parallelDeflate([bytes], container: .zlib) { out.append(contentsOf: $0) }
        }
        return out
    }
}

/// The fields of a MetaImage text header that matter for an image.
struct MetaImageHeader {
    var dims: [Int]
    var spacing: [Double]
    var offset: [Double]
    var transform: [Double]
    var type: StoredVoxelType
    var bigEndian: Bool
    var compressed: Bool
    var headerSize: Int
    /// The external data file, or nil for `LOCAL` (data follow the header).
    var dataFileName: String?
    /// Byte offset just after the `ElementDataFile` line.
    var dataOffset: Int
    let path: String

    /// Parses `Key = Value` lines up to and including `ElementDataFile` (always the last key).
    static func parse(_ file: Data, path: String) throws -> MetaImageHeader {
        var fields: [String: (value: String, line: Int)] = [:]
        var lineStart = 0, lineNumber = 0
        var dataOffset: Int?
        let limit = min(file.count, 1 << 20)
        try file.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            while lineStart < limit, dataOffset == nil {
                var end = lineStart
                while end < file.count, bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let line = String(decoding: bytes[lineStart..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !line.isEmpty {
                    guard let eq = line.firstIndex(of: "=") else {
                        throw InputError(path: path, location: "line \(lineNumber)",
                                         "\"\(line.prefix(60))\" is not a MetaImage \"Key = Value\" line")
                    }
                    let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
                    fields[key] = (line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces), lineNumber)
                    if key == "elementdatafile" { dataOffset = min(end + 1, file.count) }
                }
                lineStart = end + 1
            }
        }
        guard let dataOffset else {
            throw InputError(path: path, location: "header", "no ElementDataFile line found; not a MetaImage header")
        }

        func value(_ keys: String...) -> (value: String, line: Int, key: String)? {
            for k in keys { if let f = fields[k.lowercased()] { return (f.value, f.line, k) } }
            return nil
        }
        func numbers(_ keys: String..., count: Int, default def: [Double]?) throws -> [Double] {
            var found: (value: String, line: Int, key: String)?
            for k in keys where found == nil { found = value(k) }
            guard let found else {
                if let def { return def }
                throw InputError(path: path, location: "header", "missing \(keys[0])")
            }
            let parts = found.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Double($0) }
            guard parts.count >= count, parts.prefix(count).allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw InputError(path: path, location: "line \(found.line) (\(found.key))",
                                 "\"\(found.value)\" is not \(count) numbers")
            }
            return parts.prefix(count).map { $0! }
        }
        func flag(_ keys: String...) throws -> Bool {
            for k in keys {
                guard let f = value(k) else { continue }
                switch f.value.lowercased() {
                case "true", "1": return true
                case "false", "0": return false
                default: throw InputError(path: path, location: "line \(f.line) (\(k))", "\"\(f.value)\" is not True or False")
                }
            }
            return false
        }

        if let t = value("ObjectType"), t.value.lowercased() != "image" {
            throw InputError(path: path, location: "line \(t.line) (ObjectType)", "ObjectType \(t.value); expected Image")
        }
        guard let ndimsField = value("NDims"), let ndims = Int(ndimsField.value), (2...3).contains(ndims) else {
            throw InputError(path: path, location: "header field NDims", "NDims missing or not 2 or 3")
        }
        let dimSize = try numbers("DimSize", count: ndims, default: nil)
        guard dimSize.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 < 1e9 }) else {
            throw InputError(path: path, location: "header field DimSize", "DimSize \(dimSize) must be whole numbers ≥ 1")
        }
        guard !dimSize.reduce((1, false), { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: Int(d)); return (p, acc.1 || o)
        }).1 else {
            throw InputError(path: path, location: "header field DimSize", "DimSize \(dimSize) overflows the address space")
        }
        if let channels = value("ElementNumberOfChannels"), channels.value != "1" {
            throw InputError(path: path, location: "line \(channels.line) (ElementNumberOfChannels)",
                             "\(channels.value) channels; expected a scalar image (1)")
        }
        if let binary = value("BinaryData"), binary.value.lowercased() == "false" {
            throw InputError(path: path, location: "line \(binary.line) (BinaryData)", "ASCII MetaImage data is not supported; expected BinaryData = True")
        }
        guard let typeField = value("ElementType") else {
            throw InputError(path: path, location: "header", "missing ElementType")
        }
        guard let type = StoredVoxelType(metaImageName: typeField.value.uppercased()) else {
            throw InputError(path: path, location: "line \(typeField.line) (ElementType)",
                             "ElementType \(typeField.value) is not supported; expected MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_UINT, MET_FLOAT or MET_DOUBLE")
        }
        let dataFile = fields["elementdatafile"]!
        var dataFileName: String?
        if dataFile.value.uppercased() != "LOCAL" {
            guard !dataFile.value.uppercased().hasPrefix("LIST"), !dataFile.value.contains("%"), !dataFile.value.contains(" ") else {
                throw InputError(path: path, location: "line \(dataFile.line) (ElementDataFile)",
                                 "multi-file data \"\(dataFile.value)\" is not supported; expected LOCAL or one file name")
            }
            dataFileName = dataFile.value
        }
        let pad = { (v: [Double], fill: Double) in v + Array(repeating: fill, count: 3 - v.count) }
        let identity2 = [1.0, 0, 0, 1]
        var transform = try numbers("TransformMatrix", "Rotation", "Orientation", count: ndims * ndims,
                                    default: ndims == 2 ? identity2 : [1, 0, 0, 0, 1, 0, 0, 0, 1])
        if ndims == 2 { transform = [transform[0], transform[1], 0, transform[2], transform[3], 0, 0, 0, 1] }
        let headerSize = Int(try numbers("HeaderSize", count: 1, default: [0])[0])
        return MetaImageHeader(
            dims: pad(dimSize, 1).map { Int($0) },
            spacing: pad(try numbers("ElementSpacing", "ElementSize", count: ndims, default: Array(repeating: 1, count: ndims)), 1),
            offset: pad(try numbers("Offset", "Origin", "Position", count: ndims, default: Array(repeating: 0, count: ndims)), 0),
            transform: transform, type: type,
            bigEndian: try flag("BinaryDataByteOrderMSB", "ElementByteOrderMSB"),
            compressed: try flag("CompressedData"), headerSize: headerSize,
            dataFileName: dataFileName, dataOffset: dataOffset, path: path)
    }

    /// The LPS grid: direction column i is TransformMatrix[3i ..< 3i+3].
    func grid() throws -> ImageGrid {
        let t = transform
        let direction = Matrix3(columns: Vec3(t[0], t[1], t[2]), Vec3(t[3], t[4], t[5]), Vec3(t[6], t[7], t[8]))
        guard spacing.allSatisfy({ $0 > 0 }) else {
            throw InputError(path: path, location: "header field ElementSpacing", "spacing \(spacing) must be positive")
        }
        guard direction.orthonormalityError <= 1e-4 else {
            throw InputError(path: path, location: "header field TransformMatrix",
                             "TransformMatrix \(t) is not orthonormal (deviation \(direction.orthonormalityError), tolerance 1e-4)")
        }
        return ImageGrid(dims: SIMD3(dims[0], dims[1], dims[2]), spacing: Vec3(spacing[0], spacing[1], spacing[2]),
                         origin: Vec3(offset[0], offset[1], offset[2]), direction: direction)
    }

    /// A header in the key order ITK writes.
    static func text(grid: ImageGrid, type: StoredVoxelType, compressedSize: Int?, dataFile: String) -> String {
        let d = grid.direction
        let join = { (v: [Double]) in v.map { "\($0)" }.joined(separator: " ") }
        var lines = [
            "ObjectType = Image", "NDims = 3", "BinaryData = True", "BinaryDataByteOrderMSB = False",
            "CompressedData = \(compressedSize == nil ? "False" : "True")",
        ]
        if let compressedSize { lines.append("CompressedDataSize = \(compressedSize)") }
        lines += [
            "TransformMatrix = " + join([d.c0, d.c1, d.c2].flatMap { [$0.x, $0.y, $0.z] }),
            "Offset = " + join([grid.origin.x, grid.origin.y, grid.origin.z]),
            "CenterOfRotation = 0 0 0",
            "AnatomicalOrientation = " + orientationLetters(d),
            "ElementSpacing = " + join([grid.spacing.x, grid.spacing.y, grid.spacing.z]),
            "DimSize = \(grid.dims.x) \(grid.dims.y) \(grid.dims.z)",
            "ElementType = \(type.metaImageName)",
            "ElementDataFile = \(dataFile)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// ITK's orientation code: per axis, the patient side it starts from (identity → "RAI").
    private static func orientationLetters(_ d: Matrix3) -> String {
        [d.c0, d.c1, d.c2].map { c -> String in
            let a = Vec3(Swift.abs(c.x), Swift.abs(c.y), Swift.abs(c.z))
            let axis = a.x >= a.y && a.x >= a.z ? 0 : (a.y >= a.z ? 1 : 2)
            let positive = c[axis] >= 0
            return [["R", "L"], ["A", "P"], ["I", "S"]][axis][positive ? 0 : 1]
        }.joined()
    }
}
