// `openbct calibrate INPUT [--phantom auto|none|FILE] [--phantom-scan SCAN | --calibration FILE] [--method internal|two-point] [--response linear|quadratic] [-o density.nii.gz] [--json]`.
import ArgumentParser
import Calibration
import Foundation
import ImageFormats
import OpenBCTCore

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate a CT (HU) to bone mineral density (mg/cm³ K2HPO4-equivalent) and write the density volume.",
        discussion: """
        --phantom auto detects rods of the built-in QRM cardiac calcification insert (HA 200/400/800); FILE is a \
        phantom definition JSON (rod densities, their mineral, optional rod centres/radii, optional certificate water \
        densities for the Mindways K2HPO4-in-water form); none (the default) calibrates from the patient's own air, \
        fat, muscle and (with --labels) aortic blood. HA calibrations are converted to K2HPO4-equivalent through ash \
        density. --response quadratic fits a curve over every detected rod size (a partial-volume scale per size) \
        instead of a line over the largest rods; it cannot be transferred asynchronously. --phantom-scan SCAN calibrates SCAN (a phantom scan of the same scanner and protocol) with --phantom \
        and applies its line to INPUT (asynchronous calibration); --calibration FILE applies a line saved by \
        `calibrate --json`. Scanner, model and kVp must match (refused otherwise); the provenance names both scans. \
        --json prints the calibration (method, regions, fit, r², residuals, provenance) on stdout.
        """)

    @Argument(help: "A DICOM folder or file, or a HU volume (.nii/.nii.gz/.mha/.mhd).")
    var input: String

    @OptionGroup var calibrationOptions: CalibrationOptions

    @Option(name: .long, help: "Optional TotalSegmentator label map on the CT's grid (muscle and aorta regions).")
    var labels: String?

    @Option(name: .shortAndLong, help: "Output density volume: .nii.gz, .nii or .mha (nothing is written without it).")
    var output: String?

    @Flag(name: .long, help: "Print the calibration as JSON on stdout.")
    var json = false

    func validate() throws {
        if let output, ImageFile.format(of: URL(fileURLWithPath: output)) == nil {
            throw ValidationError("output \(output): expected a .nii.gz, .nii, .mha or .mhd file name")
        }
        if output == nil && !json { throw ValidationError("nothing to do: give -o FILE and/or --json") }
    }

    func run() throws {
        do {
            let ct = try CTInput.load(input)
            let tissueLabels = try labels.map { try ImageFile.read(contentsOf: URL(fileURLWithPath: $0)).asLabels() }
            let calibration = try calibrationOptions.calibrate(ct, path: input, tissueLabels: tissueLabels)
            if let output { try ImageFile.write(calibration.apply(ct.volume), to: URL(fileURLWithPath: output)) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(calibration), as: UTF8.self))
            } else {
                print(summary(calibration))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func summary(_ c: Calibration) -> String {
        var lines = [String(format: "method %@: HU = %.3f + %.5f·ρ (mg/cm³ %@), r² %@", c.method.rawValue, c.line.intercept,
                            c.line.slope, c.equivalent.rawValue, c.line.rSquared.map { String(format: "%.5f", $0) } ?? "n/a")]
        if let q = c.response {
            lines.append(String(format: "response: HU = %.3f + %.5f·ρ + %.4e·ρ² (densities from this curve; the line above is its reference rods' straight line)", q.a, q.b, q.c))
        }
        if let e = c.effectiveEnergyKeV { lines.append(String(format: "effective energy %.1f keV", e)) }
        for r in c.regions {
            var line = String(format: "  %@: median %.1f HU (MAD %.1f, %d voxels, %.0f mm²)", r.name, r.statistics.median,
                              r.statistics.mad, r.statistics.count, r.areaMM2)
            if let loo = r.leaveOneOutDensity, let ref = r.referenceDensity {
                line += String(format: ", leave-one-out %.1f (%+.1f %%)", loo, 100 * (loo - ref) / ref)
            }
            lines.append(line)
        }
        for r in c.checkRegions ?? [] {
            lines.append(String(format: "  %@ (reported, not fitted): median %.1f HU (MAD %.1f, %d voxels, %.0f mm²), %+.1f HU from the line",
                                r.name, r.statistics.median, r.statistics.mad, r.statistics.count, r.areaMM2, r.residualHU ?? .nan))
        }
        lines += c.provenance.notes.map { "  note: \($0)" }
        if let output { lines.append("wrote \(output) (mg/cm³ K2HPO4-equivalent)") }
        return lines.joined(separator: "\n")
    }
}
