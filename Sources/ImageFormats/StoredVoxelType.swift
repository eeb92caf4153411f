// Voxel encodings on disk (NIfTI datatype codes, MetaImage element types) and decoding them into
// typed volumes: one bulk read into the final array, then an in-place byte swap when needed.
import OpenBCTCore

/// A voxel encoding a NIfTI or MetaImage file may use.
enum StoredVoxelType: Sendable, CaseIterable {
    case uint8, int8, int16, uint16, int32, uint32, float32, float64

    var byteSize: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .float64: 8
        }
    }

    var name: String {
        switch self {
        case .uint8: "uint8"
        case .int8: "int8"
        case .int16: "int16"
        case .uint16: "uint16"
        case .int32: "int32"
        case .uint32: "uint32"
        case .float32: "float32"
        case .float64: "float64"
        }
    }

    /// NIfTI `datatype` code (nifti1.h).
    var niftiCode: Int {
        switch self {
        case .uint8: 2
        case .int16: 4
        case .int32: 8
        case .float32: 16
        case .float64: 64
        case .int8: 256
        case .uint16: 512
        case .uint32: 768
        }
    }

    /// MetaImage `ElementType` (MetaIO).
    var metaImageName: String {
        switch self {
        case .uint8: "MET_UCHAR"
        case .int8: "MET_CHAR"
        case .int16: "MET_SHORT"
        case .uint16: "MET_USHORT"
        case .int32: "MET_INT"
        case .uint32: "MET_UINT"
        case .float32: "MET_FLOAT"
        case .float64: "MET_DOUBLE"
        }
    }

    init?(niftiCode: Int) {
        guard let t = Self.allCases.first(where: { $0.niftiCode == niftiCode }) else { return nil }
        self = t
    }

    init?(metaImageName: String) {
        guard let t = Self.allCases.first(where: { $0.metaImageName == metaImageName }) else { return nil }
        self = t
    }

    /// The encoding of an in-memory voxel type (nil for a type no file format here stores).
    init?<T: VoxelValue>(_ type: T.Type) {
        switch type {
        case is UInt8.Type: self = .uint8
        case is Int16.Type: self = .int16
        case is UInt16.Type: self = .uint16
        case is Int32.Type: self = .int32
        case is Float.Type: self = .float32
        case is Double.Type: self = .float64
        default: return nil
        }
    }
}

/// Where voxel bytes come from, for error messages: the file, the byte offset the data starts at,
/// and a description of what the header promised.
struct VoxelDataContext {
    var path: String
    var dataOffset: Int
    var promise: String
}

/// Reads `grid.count` voxels of `type` from `source` (little or big endian) into a typed volume.
/// int8 widens to int16 and uint32 to float64, both exactly.
func readVoxels(_ type: StoredVoxelType, grid: ImageGrid, from source: ByteSource, bigEndian: Bool,
                context: VoxelDataContext) throws -> AnyVolume {
    let n = grid.count
    func load<T: BitwiseCopyable>(_: T.Type) throws -> [T] {
        try readArray(T.self, count: n, from: source, bigEndian: bigEndian, context: context)
    }
    switch type {
    case .uint8: return .uint8(Volume(grid: grid, voxels: try load(UInt8.self)))
    case .int8: return .int16(Volume(grid: grid, voxels: try load(Int8.self).map { Int16($0) }))
    case .int16: return .int16(Volume(grid: grid, voxels: try load(Int16.self)))
    case .uint16: return .uint16(Volume(grid: grid, voxels: try load(UInt16.self)))
    case .int32: return .int32(Volume(grid: grid, voxels: try load(Int32.self)))
    case .uint32: return .float64(Volume(grid: grid, voxels: try load(UInt32.self).map { Double($0) }))
    case .float32: return .float32(Volume(grid: grid, voxels: try load(Float.self)))
    case .float64: return .float64(Volume(grid: grid, voxels: try load(Double.self)))
    }
}

/// Reads `count` elements straight into a new array (no intermediate copy).
private func readArray<T: BitwiseCopyable>(_: T.Type, count: Int, from source: ByteSource, bigEndian: Bool,
                                           context: VoxelDataContext) throws -> [T] {
    let byteCount = count * MemoryLayout<T>.stride
    let bound = source.remainingBound
    guard byteCount <= bound.bytes else {
        throw InputError(path: context.path, location: "byte \(context.dataOffset)",
                         "\(context.promise): \(byteCount) bytes, but " +
                         (bound.exact ? "only \(bound.bytes) bytes follow in the file"
                                      : "the rest of the compressed data can hold at most \(bound.bytes) bytes"))
    }
    var array = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let got = try source.read(into: UnsafeMutableRawBufferPointer(buffer))
        guard got == byteCount else {
            throw InputError(path: context.path, location: "byte \(context.dataOffset + got)",
                             "image data ends after \(got) of \(byteCount) bytes (\(context.promise))")
        }
        initialized = count
    }
    try source.verifyEnd()
    if bigEndian { swapBytes(&array) }
    return array
}

/// Reverses the byte order of every element in place.
private func swapBytes<T: BitwiseCopyable>(_ array: inout [T]) {
    array.withUnsafeMutableBytes { raw in
        switch MemoryLayout<T>.size {
        case 2: raw.withMemoryRebound(to: UInt16.self) { for i in $0.indices { $0[i] = $0[i].byteSwapped } }
        case 4: raw.withMemoryRebound(to: UInt32.self) { for i in $0.indices { $0[i] = $0[i].byteSwapped } }
        case 8: raw.withMemoryRebound(to: UInt64.self) { for i in $0.indices { $0[i] = $0[i].byteSwapped } }
        default: break
        }
    }
}
