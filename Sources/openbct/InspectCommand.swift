// `openbct inspect PATH [--json]`: what a DICOM folder/file or a NIfTI/MetaImage file holds.
import ArgumentParser
import DICOM
import Foundation
import ImageFormats
import OpenBCTCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the CT series in a DICOM folder or file (or describe a NIfTI/MetaImage volume).",
        discussion: """
        For DICOM input: every CT series found (walking sub-folders, any file names), its geometry, the \
        acquisition facts (kVp, kernel, slice thickness and spacing, scanner, contrast, patient), warnings, \
        which series `convert` picks by default, and the files skipped with the reason. No pixels are decoded.
        For .nii, .nii.gz, .mha, .mhd input: the grid (dimensions, spacing, origin, direction) and value range.
        """)

    @Argument(help: "A DICOM folder or file, or a .nii/.nii.gz/.mha/.mhd volume.")
    var path: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() throws {
        do {
            let url = URL(fileURLWithPath: path)
            if ImageFile.format(of: url) != nil {
                try inspectVolume(url)
            } else {
                try inspectDICOM(url)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    struct VolumeReport: Codable {
        var path: String
        var grid: ImageGrid
        var affineLPS: [[Double]]
        var minimum: Double?
        var maximum: Double?
    }

    struct DICOMReport: Codable {
        var path: String
        var series: [SeriesSummary]
        var skipped: [SkippedFile]
    }

    func inspectVolume(_ url: URL) throws {
        let volume = try ImageFile.read(contentsOf: url).asFloat()
        let range = volume.range
        if json {
            try printJSON(VolumeReport(path: url.path, grid: volume.grid, affineLPS: volume.grid.affineLPS,
                                       minimum: range?.min, maximum: range?.max))
            return
        }
        print("\(url.path): volume")
        print(describe(volume.grid, indent: "  "))
        if let range { print("  values \(number(range.min)) … \(number(range.max))") }
    }

    func inspectDICOM(_ url: URL) throws {
        let catalog = try SeriesScanner.scan(url)
        let summaries = catalog.summaries
        if json {
            try printJSON(DICOMReport(path: url.path, series: summaries, skipped: catalog.skipped))
            return
        }
        print("\(url.path): \(summaries.count) CT series, \(catalog.skipped.count) file(s) skipped")
        for s in summaries {
            let uid = s.seriesInstanceUID.isEmpty ? "(empty SeriesInstanceUID)" : s.seriesInstanceUID
            print("\n#\(s.number)\(s.isDefault ? " [default]" : "") \(uid)")
            print("  description \"\(s.seriesDescription)\", series number \(s.seriesNumber.map(String.init) ?? "-"), modality \(s.modality)")
            print("  \(s.dims[0])×\(s.dims[1]) pixels, \(s.sliceCount) slices in \(s.fileCount) file(s)")
            print("  orientation \(s.orientation.map(number).joined(separator: " "))")
            if let grid = s.outputGrid {
                print("  volume:")
                print(describe(grid, indent: "    "))
            }
            if let refusal = s.refusal { print("  cannot be assembled: \(refusal)") }
            print("  acquisition:")
            for (name, value) in factLines(s.facts) { print("    \(name): \(value)") }
            for w in s.warnings { print("  warning: \(w)") }
        }
        if !catalog.skipped.isEmpty {
            print("\nskipped:")
            for f in catalog.skipped { print("  \(f.path): \(f.reason)") }
        }
    }

    /// The facts that are present, as (label, value) lines in a fixed order.
    func factLines(_ f: AcquisitionFacts) -> [(String, String)] {
        let entries: [(String, String?)] = [
            ("manufacturer", f.manufacturer), ("model", f.manufacturerModelName), ("kVp", f.kvp.map(number)),
            ("kernel", f.convolutionKernel), ("slice thickness (mm)", f.sliceThickness.map(number)),
            ("slice spacing (mm)", f.sliceSpacing.map(number)),
            ("pixel spacing (mm)", f.pixelSpacing.map { $0.map(number).joined(separator: " × ") }),
            ("gantry tilt (°)", f.gantryDetectorTilt.map(number)), ("contrast agent", f.contrastBolusAgent),
            ("body part", f.bodyPartExamined), ("patient sex", f.patientSex), ("patient age", f.patientAge),
            ("patient height (m)", f.patientHeight.map(number)), ("patient weight (kg)", f.patientWeight.map(number)),
            ("patient birth date", f.patientBirthDate), ("study date", f.studyDate), ("series date", f.seriesDate),
            ("study UID", f.studyInstanceUID), ("frame of reference UID", f.frameOfReferenceUID),
        ]
        return entries.compactMap { name, value in value.map { (name, $0) } }
    }

    func describe(_ g: ImageGrid, indent: String) -> String {
        let d = g.direction
        return """
        \(indent)dims \(g.dims.x) × \(g.dims.y) × \(g.dims.z), spacing \(number(g.spacing.x)) × \(number(g.spacing.y)) × \(number(g.spacing.z)) mm
        \(indent)origin (LPS mm) \(number(g.origin.x)) \(number(g.origin.y)) \(number(g.origin.z))
        \(indent)direction i (\([d.c0.x, d.c0.y, d.c0.z].map(number).joined(separator: " "))), j (\([d.c1.x, d.c1.y, d.c1.z].map(number).joined(separator: " "))), k (\([d.c2.x, d.c2.y, d.c2.z].map(number).joined(separator: " ")))
        """
    }

    func number(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
