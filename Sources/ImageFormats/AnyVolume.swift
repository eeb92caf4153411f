// A volume whose voxel type is known only at run time (what a file on disk holds).
import OpenBCTCore

/// A volume of any voxel type a NIfTI or MetaImage file can hold.
///
/// Integer files stay integers so label maps keep their exact values. Files with an intensity
/// scaling (NIfTI `scl_slope`/`scl_inter` other than identity) arrive already scaled, as `.float32`
/// (`.float64` for double data), the way ITK and nibabel's `get_fdata` present them.
public enum AnyVolume: Sendable {
    case uint8(Volume<UInt8>)
    case int16(Volume<Int16>)
    case uint16(Volume<UInt16>)
    case int32(Volume<Int32>)
    case float32(Volume<Float>)
    case float64(Volume<Double>)

    /// Wraps a typed volume (nil for a voxel type outside the six above).
    public init?<T: VoxelValue>(_ volume: Volume<T>) {
        switch volume {
        case let v as Volume<UInt8>: self = .uint8(v)
        case let v as Volume<Int16>: self = .int16(v)
        case let v as Volume<UInt16>: self = .uint16(v)
        case let v as Volume<Int32>: self = .int32(v)
        case let v as Volume<Float>: self = .float32(v)
        case let v as Volume<Double>: self = .float64(v)
        default: return nil
        }
    }

    public var grid: ImageGrid {
        switch self {
        case .uint8(let v): v.grid
        case .int16(let v): v.grid
        case .uint16(let v): v.grid
        case .int32(let v): v.grid
        case .float32(let v): v.grid
        case .float64(let v): v.grid
        }
    }

    /// The voxel type's name ("uint8", "int16", "uint16", "int32", "float32", "float64").
    public var voxelTypeName: String {
        switch self {
        case .uint8: "uint8"
        case .int16: "int16"
        case .uint16: "uint16"
        case .int32: "int32"
        case .float32: "float32"
        case .float64: "float64"
        }
    }

    /// The values as Float32 (intensities: HU, density).
    public func asFloat() -> Volume<Float> {
        switch self {
        case .uint8(let v): v.map { Float($0) }
        case .int16(let v): v.map { Float($0) }
        case .uint16(let v): v.map { Float($0) }
        case .int32(let v): v.map { Float($0) }
        case .float32(let v): v
        case .float64(let v): v.map { Float($0) }
        }
    }

    /// The values as Int32 labels; float voxels are rounded to the nearest integer (NaN → 0).
    public func asLabels() -> Volume<Int32> {
        switch self {
        case .uint8(let v): v.map { Int32($0) }
        case .int16(let v): v.map { Int32($0) }
        case .uint16(let v): v.map { Int32($0) }
        case .int32(let v): v
        case .float32(let v): v.map { Int32(roundingClamped: Double($0)) }
        case .float64(let v): v.map { Int32(roundingClamped: $0) }
        }
    }
}
