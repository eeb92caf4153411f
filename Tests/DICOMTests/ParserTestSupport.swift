// Shared helpers for the parser tests: the shared DICOM corpus and element-by-element comparison
// with pydicom's reading of the same file.
import DICOM
import Foundation
import OpenBCTCore
import TestSupport

enum DicomCorpus {
    /// Every DICOM file under ../shared/data/dicom (licences, dumps and archives left out).
    static func files() -> [URL] { all().filter { !isNotDicom($0) } }

    /// The licences, text dumps, JSON, DICOMweb multipart payloads and the gzip archive beside them.
    static func nonDicomFiles() -> [URL] { all().filter(isNotDicom) }

    private static func isNotDicom(_ url: URL) -> Bool {
        let skipped: Set<String> = ["LICENSE", "README", "txt", "dump", "json", "gz", "md", "py"]
        return skipped.contains(url.pathExtension) || skipped.contains(url.lastPathComponent) || url.path.contains("/wadors/")
    }

    private static func all() -> [URL] {
        guard TestPaths.hasSharedData,
              let walker = FileManager.default.enumerator(at: TestPaths.shared("dicom"), includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}

/// One element of pydicom's dump (see Tests/Python/dicom_dump.py).
struct ReferenceElement: Decodable {
    var tag: String
    var vr: String?
    var hex: String?
    var converted_vr: String?
    var items: [[ReferenceElement]]?
    var value: [ReferenceValue]?
    var convert_error: String?
}

enum ReferenceValue: Decodable, Equatable {
    case text(String), number(Double)
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .text(try c.decode(String.self)) }
    }
}

struct ReferenceFile: Decodable {
    var file: String
    var status: String
    var forced: Bool?
    var error: String?
    var transfer_syntax: String?
    var meta: [ReferenceElement]?
    var elements: [ReferenceElement]?
}

extension Array where Element == UInt8 {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}

/// Differences between our data set and pydicom's, as readable lines (empty when they agree).
func differences(_ ds: DataSet, _ reference: [ReferenceElement], explicitVR: Bool, path: String = "") -> [String] {
    var out: [String] = []
    let ours = ds.elements.filter { $0.tag != .pixelData }
    let ourTags = ours.map { String(format: "%08X", $0.tag.combined) }
    let theirTags = reference.map(\.tag)
    if ourTags != theirTags {
        out.append("\(path) tags differ: ours-only \(Set(ourTags).subtracting(theirTags).sorted()), pydicom-only \(Set(theirTags).subtracting(ourTags).sorted())")
        return out
    }
    for (e, r) in zip(ours, reference) {
        let at = "\(path)\(e.tag)"
        if let items = r.items {
            // An empty defined-length sequence of an attribute outside our dictionary is, in implicit
            // VR, indistinguishable from an empty value: we keep it as empty UN.
            if items.isEmpty, e.vr == .UN, e.bytes.isEmpty { continue }
            guard let mine = ds.sequence(e.tag) else { out.append("\(at): pydicom has a sequence, we have \(e.vr)"); continue }
            if mine.count != items.count { out.append("\(at): \(mine.count) items, pydicom \(items.count)"); continue }
            for (k, (a, b)) in zip(mine, items).enumerated() {
                out += differences(a, b, explicitVR: explicitVR, path: "\(at)[\(k)].")
            }
            continue
        }
        if let hex = r.hex, e.bytes.hexString != hex {
            out.append("\(at): value bytes differ (\(e.bytes.count) vs \(hex.count / 2) bytes)")
        }
        if explicitVR, r.hex != nil, let vr = r.vr, vr != e.vr.rawValue, r.converted_vr != e.vr.rawValue {
            out.append("\(at): VR \(e.vr.rawValue), pydicom \(vr)")
        }
        guard let values = r.value, e.vr != .UN else { continue }
        if e.vr.usesSpecificCharacterSet, case .unsupported = ds.characterSet { continue }
        if case .number = values.first {
            let mine = ds.doubles(e.tag)
            let theirs = values.compactMap { if case .number(let d) = $0 { return d } else { return nil } }
            if mine.count != theirs.count || zip(mine, theirs).contains(where: { abs($0 - $1) > 1e-9 * max(1, abs($1)) }) {
                out.append("\(at): numbers \(mine.prefix(6)), pydicom \(theirs.prefix(6))")
            }
        } else {
            let mine = ds.strings(e.tag)
            let theirs = values.map { if case .text(let s) = $0 { return s } else { return "" } }
            // pydicom keeps leading spaces where the standard calls them insignificant; we trim them.
            let trimmed = theirs.map { $0.trimmingCharacters(in: .whitespaces) }
            let mineTrimmed = mine.map { $0.trimmingCharacters(in: .whitespaces) }
            if mineTrimmed != trimmed && !(mine.allSatisfy(\.isEmpty) && theirs.isEmpty) {
                out.append("\(at): text \(mine.prefix(4)), pydicom \(theirs.prefix(4))")
            }
        }
    }
    return out
}
