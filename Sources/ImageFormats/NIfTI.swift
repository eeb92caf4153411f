// NIfTI-1 and NIfTI-2 single-file images (.nii, .nii.gz): reading into LPS volumes, writing atomically.
import Foundation
import OpenBCTCore

/// NIfTI-1/NIfTI-2 reading and writing.
///
/// Reading accepts `.nii` and gzip-compressed `.nii.gz` (detected from the bytes, not the name),
/// either byte order, 3-D images (or 4-D+ with a single volume). Geometry follows nibabel's
/// `get_best_affine` (sform, else qform, else pixdim) and is converted from RAS to LPS.
public enum NIfTI {
    /// Reads a NIfTI file into a volume. Integer data stays integer unless the header scales it
    /// (`scl_slope`/`scl_inter`), in which case the scaled values arrive as float32 (float64 for
    /// double data). Bad input throws `InputError` naming the file, field or byte offset.
    public static func read(contentsOf url: URL) throws -> AnyVolume {
        var ignored: [String] = []
        return try read(contentsOf: url, warnings: &ignored)
    }

    /// Reads a NIfTI file, appending geometry warnings (`NIfTIHeader.geometryWarnings`) to `warnings`.
    public static func read(contentsOf url: URL, warnings: inout [String]) throws -> AnyVolume {
        let (header, source) = try open(url)
        let type = try validatedVoxelType(header, path: url.path, warnings: &warnings)
        let grid: ImageGrid
        do { grid = try header.grid() } catch let e as InputError { throw e.at(path: url.path) }
        warnings += header.geometryWarnings().map { "\(url.path): \($0)" }
        let skip = header.dataOffset - header.headerSize
        guard try source.skip(skip) == skip else {
            throw InputError(path: url.path, location: "header field vox_offset",
                             "vox_offset \(header.dataOffset) lies beyond the end of the file")
        }
        let d = header.dims
        let context = VoxelDataContext(
            path: url.path, dataOffset: header.dataOffset,
            promise: "header field dim says \(d.x)×\(d.y)×\(d.z) \(type.name) voxels from vox_offset \(header.dataOffset)")
        let raw = try readVoxels(type, grid: grid, from: source, bigEndian: header.isBigEndian, context: context)
        return header.hasScaling ? scaled(raw, slope: header.sclSlope, inter: header.sclInter.isFinite ? header.sclInter : 0) : raw
    }

    /// Reads only the header (no voxel data is decoded).
    public static func readHeader(contentsOf url: URL) throws -> NIfTIHeader {
        try open(url).header
    }

    /// Writes `volume` as NIfTI (`version` 1 or 2); gzip-compressed when the name ends in `.gz`.
    /// The file appears complete or not at all. See `NIfTIHeader.init(grid:type:version:description:)`
    /// for the header written (sform = qform, code 1, RAS).
    public static func write<T: VoxelValue>(_ volume: Volume<T>, to url: URL, version: Int = 1,
                                            description: String? = nil) throws {
        guard let type = StoredVoxelType(T.self) else {
            throw ImageWriteError("NIfTI cannot store voxel type \(T.self)")
        }
        guard version == 1 || version == 2 else { throw ImageWriteError("NIfTI version \(version) does not exist; use 1 or 2") }
        try requireWritable(volume.grid)
        let dims = volume.grid.dims
        if version == 1, dims.max() > Int(Int16.max) {
            throw ImageWriteError("grid \(dims.x)×\(dims.y)×\(dims.z) exceeds NIfTI-1's 32767 per axis; write version 2")
        }
        let header = NIfTIHeader(grid: volume.grid, type: type, version: version,
                                 description: description ?? "\(OpenBCT.name) \(OpenBCT.version)")
        let headerBytes = header.encoded()
        let compress = url.pathExtension.lowercased() == "gz"
        try writeAtomically(to: url) { handle in
            try volume.voxels.withUnsafeBytes { voxelBytes in
                try headerBytes.withUnsafeBytes { headerRaw in
                    if compress {
                        try parallelDeflate([headerRaw, voxelBytes], container: .gzip) { try handle.writeAll($0) }
                    } else {
                        try handle.writeAll(headerRaw)
                        try handle.writeAll(voxelBytes)
                    }
                }
            }
        }
    }

    /// Writes a volume of any voxel type (see `write(_:to:version:description:)`).
    public static func write(_ volume: AnyVolume, to url: URL, version: Int = 1, description: String? = nil) throws {
        switch volume {
        case .uint8(let v): try write(v, to: url, version: version, description: description)
        case .int16(let v): try write(v, to: url, version: version, description: description)
        case .uint16(let v): try write(v, to: url, version: version, description: description)
        case .int32(let v): try write(v, to: url, version: version, description: description)
        case .float32(let v): try write(v, to: url, version: version, description: description)
        case .float64(let v): try write(v, to: url, version: version, description: description)
        }
    }

    // MARK: - Internals

    /// Opens the file and parses its header; the returned source sits just after the header.
    /// gzip is recognised by its magic bytes, whatever the file is called.
    private static func open(_ url: URL) throws -> (header: NIfTIHeader, source: ByteSource) {
        let file = try FileByteSource(url)
        let magic = try file.readBytes(2)
        if magic == [0x1f, 0x8b] {
            // The compressed bytes are memory-mapped and inflated straight into the volume.
            let data: Data
            do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
                throw InputError(path: url.path, "cannot read file: \(error.localizedDescription)")
            }
            let source = try InflatingByteSource(data, container: .gzip, path: url.path)
            return (try NIfTIHeader.parse(from: source, path: url.path), source)
        }
        try file.seek(to: 0)
        let header = try NIfTIHeader.parse(from: file, path: url.path)
        return (header, file)
    }

    /// Checks dims, datatype, bitpix and vox_offset; returns the voxel encoding.
    private static func validatedVoxelType(_ h: NIfTIHeader, path: String, warnings: inout [String]) throws -> StoredVoxelType {
        guard (1...7).contains(h.dim[0]) else {
            throw InputError(path: path, location: "header field dim[0]", "dim[0] is \(h.dim[0]); expected 1…7 dimensions")
        }
        for axis in 1...h.dim[0] where h.dim[axis] < 1 {
            throw InputError(path: path, location: "header field dim[\(axis)]", "dim[\(axis)] is \(h.dim[axis]); expected ≥ 1")
        }
        if h.dim[0] > 3 {
            let extra = h.dim[4...h.dim[0]].reduce(1, *)
            guard extra == 1 else {
                throw InputError(path: path, location: "header field dim[4…]",
                                 "\(h.dim[0])-D image with \(extra) volumes; expected a single 3-D volume")
            }
        }
        guard let type = StoredVoxelType(niftiCode: h.datatype) else {
            throw InputError(path: path, location: "header field datatype",
                             "datatype \(h.datatype) is not supported; expected uint8, int8, int16, uint16, int32, uint32, float32 or float64 (codes 2, 256, 4, 512, 8, 768, 16, 64)")
        }
        if h.bitpix != 8 * type.byteSize {
            // The datatype alone fixes the layout (nibabel ignores bitpix too); say so rather than refuse.
            warnings.append("\(path): header field bitpix is \(h.bitpix) but datatype \(type.name) has \(8 * type.byteSize) bits; the datatype is used")
        }
        guard h.dataOffset >= h.headerSize else {
            throw InputError(path: path, location: "header field vox_offset",
                             "vox_offset \(h.voxOffset) points inside the \(h.headerSize)-byte header")
        }
        let d = h.dims
        guard !(d.x * d.y).multipliedReportingOverflow(by: d.z * type.byteSize).overflow else {
            throw InputError(path: path, location: "header field dim", "dims \(d.x)×\(d.y)×\(d.z) overflow the address space")
        }
        return type
    }

    /// Applies value = raw × slope + inter, giving float32 (float64 for double input).
    private static func scaled(_ raw: AnyVolume, slope: Double, inter: Double) -> AnyVolume {
        if case .float64(let v) = raw { return .float64(v.map { $0 * slope + inter }) }
        // Computed in double and rounded once, as nibabel's get_fdata() followed by a float32 cast.
        return .float32(raw.asFloat().map { Float(Double($0) * slope + inter) })
    }
}
