// Asynchronous calibration: the line of a phantom scan applied to a patient scan taken on the same
// scanner with the same protocol (QCT practice; intra-scanner precision 0.53–0.91 mg/cm³, methods.md §3).
import Foundation
import OpenBCTCore

/// Which scan a calibration came from or went to (DICOM identifiers when the scan was DICOM).
public struct ScanReference: Codable, Sendable, Equatable {
    public var path: String
    public var studyInstanceUID: String?
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    /// StudyDate or SeriesDate (DICOM DA, YYYYMMDD).
    public var date: String?
    public var manufacturer: String?
    public var model: String?
    public var kvp: Double?
    public var kernel: String?

    public init(path: String, studyInstanceUID: String? = nil, seriesInstanceUID: String? = nil, frameOfReferenceUID: String? = nil,
                date: String? = nil, manufacturer: String? = nil, model: String? = nil, kvp: Double? = nil, kernel: String? = nil) {
        self.path = path; self.studyInstanceUID = studyInstanceUID; self.seriesInstanceUID = seriesInstanceUID
        self.frameOfReferenceUID = frameOfReferenceUID; self.date = date; self.manufacturer = manufacturer
        self.model = model; self.kvp = kvp; self.kernel = kernel
    }
}

/// Applies a phantom scan's calibration to another scan.
public enum AsynchronousCalibration {
    /// The phantom line transferred to `patient`. Refuses (throws) when the two scans are known to differ
    /// in scanner or tube voltage, which change the HU–density line; a differing kernel or an
    /// unknown fact is noted, not refused.
    public static func transfer(_ phantom: Calibration, from phantomScan: ScanReference, to patient: ScanReference) throws -> Calibration {
        guard phantom.method == .phantom || phantom.method == .mindwaysK2HPO4InWater || phantom.method == .asynchronousPhantom else {
            throw CalibrationError("asynchronous calibration needs a phantom calibration; \(phantomScan.path) was calibrated by \(phantom.method.rawValue)")
        }
        // The analysis pipeline records a calibration as one affine density map; a curve would be misread there.
        guard phantom.response == nil else {
            throw CalibrationError("asynchronous calibration transfers a straight line; \(phantomScan.path) has a quadratic response (calibrate it with the linear response)")
        }
        var notes = ["asynchronous phantom calibration: line measured on \(phantomScan.path)" +
                     (phantomScan.date.map { " (scan date \($0))" } ?? "") + ", applied to \(patient.path)"]
        func compare(_ what: String, _ a: String?, _ b: String?, refuse: Bool) throws {
            guard let a, let b else {
                notes.append("\(what) of \(a == nil ? "the phantom scan" : "the patient scan") unknown: same-protocol match not verifiable")
                return
            }
            guard a.caseInsensitiveCompare(b) != .orderedSame else { return }
            if refuse {
                throw CalibrationError("asynchronous calibration needs the same scanner and protocol: \(what) '\(a)' (phantom scan \(phantomScan.path)) vs '\(b)' (patient scan \(patient.path))")
            }
            notes.append("\(what) differs: '\(a)' (phantom scan) vs '\(b)' (patient scan)")
        }
        try compare("manufacturer", phantomScan.manufacturer, patient.manufacturer, refuse: true)
        try compare("scanner model", phantomScan.model, patient.model, refuse: true)
        try compare("kVp", phantomScan.kvp.map { String(format: "%g", $0) }, patient.kvp.map { String(format: "%g", $0) }, refuse: true)
        try compare("kernel", phantomScan.kernel, patient.kernel, refuse: false)
        var result = phantom
        result.method = .asynchronousPhantom
        result.provenance = .init(input: patient.path, notes: notes + phantom.provenance.notes.map { "phantom scan: \($0)" })
        result.provenance.phantomScan = phantomScan
        result.provenance.appliedTo = patient
        return result
    }

    /// Reads a calibration saved by `openbct calibrate --json`, naming the file in errors.
    public static func read(contentsOf url: URL) throws -> Calibration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(path: url.path, "cannot read the saved calibration (\(error.localizedDescription))")
        }
        do { return try JSONDecoder().decode(Calibration.self, from: data) } catch {
            throw InputError(path: url.path, "expected a calibration JSON as written by `openbct calibrate --json`: \(error)")
        }
    }
}
