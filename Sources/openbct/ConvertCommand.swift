// `openbct convert PATH -o OUT [--series UID]`: a CT series (or a volume file) to a HU volume file.
import ArgumentParser
import Foundation
import ImageFormats
import OpenBCTCore

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Assemble a DICOM CT series into a Float32 HU volume (.nii.gz, .nii or .mha).",
        discussion: """
        Slices are ordered by position along the slice normal, RescaleSlope/Intercept applied per slice; \
        duplicate slices with identical pixels are dropped, small gaps and gantry tilt are resampled (with a \
        warning on stderr), larger faults are refused. Without --series the default series is converted: the \
        axial CT series with the most slices (ties: thinnest spacing, then lowest series number); \
        `openbct inspect` lists the choices. The output file appears complete or not at all.
        """)

    @Argument(help: "A DICOM folder or file (or a .nii/.nii.gz/.mha/.mhd volume to re-encode).")
    var path: String

    @Option(name: .shortAndLong, help: "Output volume: .nii.gz, .nii or .mha.")
    var output: String

    @Option(name: .long, help: "SeriesInstanceUID to convert, or the series number shown by `inspect` (#N).")
    var series: String?

    func run() throws {
        do {
            let out = URL(fileURLWithPath: output)
            guard ImageFile.format(of: out) != nil else {
                throw ValidationError("output \(output): expected a .nii.gz, .nii, .mha or .mhd file name")
            }
            let volume = try CTInput.load(path, series: series).volume
            try ImageFile.write(volume, to: out)
            let g = volume.grid
            print("wrote \(out.path): \(g.dims.x)×\(g.dims.y)×\(g.dims.z) Float32 HU, spacing \(g.spacing.x)×\(g.spacing.y)×\(g.spacing.z) mm")
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
