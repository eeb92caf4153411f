// Reading and writing images by file extension.
import Foundation
import OpenBCTCore

/// Picks the format from the file name: `.nii`, `.nii.gz` → NIfTI; `.mha`, `.mhd` → MetaImage.
public enum ImageFile {
    /// The formats `ImageFile` recognises.
    public enum Format: String, Sendable {
        case nifti, metaImage
    }

    /// The format a file name implies, or nil.
    public static func format(of url: URL) -> Format? {
        let name = url.lastPathComponent.lowercased()
        if name.hasSuffix(".nii") || name.hasSuffix(".nii.gz") { return .nifti }
        if name.hasSuffix(".mha") || name.hasSuffix(".mhd") { return .metaImage }
        return nil
    }

    public static func read(contentsOf url: URL) throws -> AnyVolume {
        switch try requireFormat(url) {
        case .nifti: try NIfTI.read(contentsOf: url)
        case .metaImage: try MetaImage.read(contentsOf: url)
        }
    }

    public static func write<T: VoxelValue>(_ volume: Volume<T>, to url: URL) throws {
        switch try requireFormat(url) {
        case .nifti: try NIfTI.write(volume, to: url)
        case .metaImage: try MetaImage.write(volume, to: url)
        }
    }

    public static func write(_ volume: AnyVolume, to url: URL) throws {
        switch try requireFormat(url) {
        case .nifti: try NIfTI.write(volume, to: url)
        case .metaImage: try MetaImage.write(volume, to: url)
        }
    }

    private static func requireFormat(_ url: URL) throws -> Format {
        guard let f = format(of: url) else {
            throw InputError(path: url.path, "unknown image file extension; expected .nii, .nii.gz, .mha or .mhd")
        }
        return f
    }
}
