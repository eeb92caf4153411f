// The calibration options shared by `calibrate` and `bmd`: in-scan phantom, internal, or asynchronous.
import ArgumentParser
import Calibration
import Foundation
import ImageFormats
import OpenBCTCore

extension PhantomCalibration.Response: ExpressibleByArgument {}

struct CalibrationOptions: ParsableArguments {
    enum Method: String, ExpressibleByArgument { case `internal`, twoPoint = "two-point" }

    @Option(name: .long, help: "auto | none | a phantom definition JSON file.")
    var phantom: String = "none"

    @Option(name: .long, help: "Internal method when --phantom none: internal (effective energy) or two-point (air/fat fallback).")
    var method: Method = .internal

    @Option(name: .long, help: "Phantom response: linear (one rod size) or quadratic (every rod size, a partial-volume scale per size; docs/calibration.md).")
    var response: PhantomCalibration.Response = .linear

    @Option(name: .long, help: "Tube voltage (kV) when the input has no DICOM header (sets the two-point effective energy).")
    var kvp: Double?

    @Option(name: .long, help: "Asynchronous: a phantom scan of the same scanner and protocol, calibrated with --phantom (default auto).")
    var phantomScan: String?

    @Option(name: .long, help: "Asynchronous: a calibration JSON saved by `openbct calibrate --json` from a phantom scan.")
    var calibration: String?

    func validate() throws {
        if phantomScan != nil && calibration != nil { throw ValidationError("give --phantom-scan or --calibration, not both") }
    }

    /// The calibration of `ct` (read from `path`): measured on it, or transferred from a phantom scan or a
    /// saved calibration. `tissueLabels`: a TotalSegmentator map on the CT grid (muscle and aorta regions).
    func calibrate(_ ct: CTInput, path: String, tissueLabels: Volume<Int32>?) throws -> Calibration {
        if let saved = calibration {
            let line = try AsynchronousCalibration.read(contentsOf: URL(fileURLWithPath: saved))
            let source = line.provenance.measuredOn ?? ScanReference(path: line.provenance.input ?? saved)
            return try AsynchronousCalibration.transfer(line, from: source, to: ct.reference(path))
        }
        if let phantomScan {
            let scan = try CTInput.load(phantomScan)
            var line = try measure(scan, phantom: phantom == "none" ? "auto" : phantom, path: phantomScan, tissueLabels: nil)
            line.provenance.measuredOn = scan.reference(phantomScan)
            return try AsynchronousCalibration.transfer(line, from: scan.reference(phantomScan), to: ct.reference(path))
        }
        var result = try measure(ct, phantom: phantom, path: path, tissueLabels: tissueLabels)
        result.provenance.measuredOn = ct.reference(path)
        return result
    }

    /// Calibrates `ct` itself: internal ("none"), the built-in QRM insert ("auto") or a definition file.
    private func measure(_ ct: CTInput, phantom: String, path: String, tissueLabels: Volume<Int32>?) throws -> Calibration {
        switch phantom {
        case "none":
            return try InternalCalibration.calibrate(ct.volume, labels: tissueLabels, method: method == .internal ? .effectiveEnergy : .twoPoint,
                                                     kVp: kvp ?? ct.facts?.kvp, input: path)
        case "auto":
            return try PhantomCalibration.calibrate(ct.volume, phantom: .qrmCardiacCalcification, input: path, response: response)
        default:
            let definition = try PhantomDefinition.read(contentsOf: URL(fileURLWithPath: phantom))
            return try PhantomCalibration.calibrate(ct.volume, phantom: definition, input: path, response: response)
        }
    }
}
