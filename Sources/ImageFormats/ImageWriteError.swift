// Errors while writing an image: the volume or request cannot be represented in the chosen format.

/// A volume cannot be written as asked (voxel type or size the format cannot hold, compressor failure).
public struct ImageWriteError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
