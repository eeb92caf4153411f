// Writes a phantom to a folder: the CT as a DICOM series, the image and truth maps as NIfTI, and
// truth.json. Every file is written atomically.
import Dispatch
import Foundation
import ImageFormats
import OpenBCTCore

/// Output of `PhantomWriter.write`: what was written where.
public struct PhantomOutput: Sendable {
    public var dicomDirectory: URL?
    public var dicomFiles: [URL]
    public var niftiFiles: [URL]
    public var truthFile: URL
}

public enum PhantomWriter {
    /// Names of the files written next to the DICOM folder.
    public static let huFile = "hu.nii.gz", densityFile = "density.nii.gz", labelsFile = "labels.nii.gz"
    public static let truthFile = "truth.json", dicomFolder = "dicom"

    /// Writes `phantom` into `directory` (created if needed). `dicom: false` skips the series.
    @discardableResult
    public static func write(_ phantom: PhantomCase, to directory: URL, dicom: Bool = true) throws -> PhantomOutput {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hu = directory.appendingPathComponent(huFile), density = directory.appendingPathComponent(densityFile)
        let labels = directory.appendingPathComponent(labelsFile)
        let dicomDir = dicom ? directory.appendingPathComponent(dicomFolder) : nil
        // The gzip streams are single-threaded: compress them side by side with the DICOM series.
        let dicomFiles = FileList()
        var jobs: [@Sendable () throws -> Void] = [
            { try NIfTI.write(phantom.hu, to: hu, description: "OpenBCT phantom CT (HU)") },
            { try NIfTI.write(phantom.density, to: density, description: "truth K2HPO4-equivalent mg/cm3") },
            { try NIfTI.write(phantom.labels, to: labels, description: "truth labels (docs/phantom.md)") },
        ]
        if let dicomDir { jobs.append { dicomFiles.set(try PhantomDicomSeries.write(phantom, to: dicomDir)) } }
        let failures = ErrorCollector(), work = jobs
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            do { try work[i]() } catch { failures.record(error) }
        }
        if let error = failures.first { throw error }
        let truthURL = directory.appendingPathComponent(truthFile)
        try writeAtomically(try encodedTruth(phantom.truth), to: truthURL)
        return PhantomOutput(dicomDirectory: dicomDir, dicomFiles: dicomFiles.urls, niftiFiles: [hu, density, labels], truthFile: truthURL)
    }

    /// truth.json bytes: pretty-printed, keys sorted (stable diffs).
    public static func encodedTruth(_ truth: PhantomTruth) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(truth)
    }

    /// Reads a truth.json written by `write`.
    public static func readTruth(_ url: URL) throws -> PhantomTruth {
        let data = try Data(contentsOf: url)
        do { return try JSONDecoder().decode(PhantomTruth.self, from: data) }
        catch { throw InputError(path: url.path, "not a phantom truth.json: \(error)") }
    }
}

/// The file list a concurrent job hands back.
final class FileList: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [URL] = []
    func set(_ u: [URL]) { lock.lock(); stored = u; lock.unlock() }
    var urls: [URL] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// Collects the first error thrown by concurrent jobs.
final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func record(_ e: Error) { lock.lock(); errors.append(e); lock.unlock() }
    var first: Error? { lock.lock(); defer { lock.unlock() }; return errors.first }
}
