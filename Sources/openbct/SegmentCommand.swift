// `openbct segment INPUT -o labels.nii.gz [--sites hip,spine] [--labels-from FILE] [--json]`.
import Anatomy
import ArgumentParser
import Foundation
import ImageFormats
import OpenBCTCore

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Segment the proximal femurs and the vertebrae of a CT into a label map (table: docs/anatomy.md).",
        discussion: """
        INPUT is a HU volume (.nii.gz, .nii, .mha) or a DICOM folder/file (the default series, as `convert`). \
        With --labels-from, the structures come from a segmentation made elsewhere (a label map on any grid, \
        resampled to the CT; class names from --label-table, default: TotalSegmentator's `total` ids; or a binary \
        DICOM SEG, its segments named by their Segment Label: femur_left, vertebrae_L1, …), or from a \
        single-structure mask named by --structure. Findings (femur cut by the field of view, level uncertain, \
        metal near bone, …) never stop the run; a site that cannot be segmented says why.
        """)

    @Argument(help: "CT: a .nii/.nii.gz/.mha volume in HU or a DICOM folder/file.")
    var input: String

    @Option(name: .shortAndLong, help: "Output label map (.nii.gz, .nii or .mha).")
    var output: String

    @Option(name: .long, help: "Sites to segment: hip, spine or hip,spine.")
    var sites: String = "hip,spine"

    @Option(name: .long, help: "Import structures from this label map or binary DICOM SEG instead of segmenting.")
    var labelsFrom: String?

    @Option(name: .long, help: "Class table (TSV: id<TAB>name) for --labels-from.")
    var labelTable: String?

    @Option(name: .long, help: "The structure a single-structure mask holds (femur_left, vertebrae_L1, …).")
    var structure: String?

    @Option(name: .long, help: "Also write the vertebral trabecular cores as a label map.")
    var cores: String?

    @Flag(name: .long, help: "Print the result (structures, levels, landmarks, findings) as JSON.")
    var json = false

    @Flag(name: .long, help: "Print the wall and CPU time of each stage (load, segment, write) on stderr.")
    var timings = false

    func run() throws {
        do {
            let out = URL(fileURLWithPath: output)
            guard ImageFile.format(of: out) != nil else { throw ValidationError("output \(output): expected a .nii.gz, .nii, .mha or .mhd file name") }
            var chosen = Set<Site>()
            for s in sites.split(separator: ",") {
                guard let site = Site(rawValue: s.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ValidationError("--sites: unknown site '\(s)' (expected hip, spine)")
                }
                chosen.insert(site)
            }
            var clock = StageClock()
            let hu = try CTInput.load(input).volume
            clock.lap("load")
            var segmentation: AnatomySegmentation
            if let labelsFrom {
                let url = URL(fileURLWithPath: labelsFrom)
                // A DICOM file is a SEG, named by its segment labels; anything else a label-map volume.
                let (map, names) = ImageFile.format(of: url) == nil && DicomSegImport.looksLikeSegmentation(url)
                    ? try DicomSegImport.read(contentsOf: url) : (try ImageFile.read(contentsOf: url).asLabels(), TotalSegmentatorLabels.embedded)
                var (named, table) = (map, try labelTable.map { try TotalSegmentatorLabels(contentsOf: URL(fileURLWithPath: $0)) } ?? names)
                if let structure { (named, table) = LabelMapImport.singleStructure(map, named: structure) }
                let (onCT, importFindings) = try LabelMapImport.resample(named, onto: hu.grid, path: labelsFrom)
                segmentation = LabelMapImport.segmentation(from: onCT, names: table, source: labelsFrom)
                segmentation.result.findings = importFindings + segmentation.result.findings
            } else {
                segmentation = AnatomySegmenter().segment(hu: hu, sites: chosen)
            }
            clock.lap(labelsFrom == nil ? "segment" : "import-labels")
            try ImageFile.write(segmentation.labels, to: out)
            if let cores { try ImageFile.write(segmentation.cores, to: URL(fileURLWithPath: cores)) }
            clock.lap("write")
            let result = segmentation.result
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print("wrote \(out.path): \(result.labelTable.map { "\($0.value)=\($0.name)" }.joined(separator: " "))")
                for f in result.femurs { print("femur \(f.side.rawValue): \(Int(f.volumeMM3 / 1000)) cm³\(f.landmarks.map { String(format: ", head r %.1f mm, neck-shaft %.0f°", $0.headRadiusMM, $0.neckShaftAngleDeg) } ?? "")") }
                for v in result.vertebrae { print("vertebra \(v.level ?? "#\(v.ordinal)"): body \(Int(v.bodyVolumeMM3 / 1000)) cm³\(v.cutByFieldOfView ? " (cut by the field of view)" : "")") }
                if let l = result.levels { print("levels: \(l.anchor.rawValue), confidence \(l.confidence)") }
                for f in result.findings { print("finding: \(f)") }
            }
            clock.lap("report")
            if timings { FileHandle.standardError.write(Data("timings: \(clock.summary)\n".utf8)) }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
