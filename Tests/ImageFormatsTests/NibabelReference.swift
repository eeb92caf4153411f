// Test helpers: facts and voxel values of NIfTI files as nibabel reads them (Tests/Python/nifti_reference.py).
import Foundation
import ImageFormats
import OpenBCTCore
import TestSupport

/// What nibabel says about a NIfTI file.
struct NibabelFacts: Decodable {
    var name: String?
    var file: String
    var shape: [Int]
    var dtype: String
    var bigEndian: Bool
    var affine: [[Double]]
    var sform: [[Double]]
    var qform: [[Double]]
    var sformCode: Int
    var qformCode: Int
    var slope: Double?
    var inter: Double?
    var version: Int
    var voxOffset: Int
    var xyztUnits: Int
    var descrip: String

    enum CodingKeys: String, CodingKey {
        case name, file, shape, dtype, affine, sform, qform, slope, inter, version, descrip
        case bigEndian = "big_endian", sformCode = "sform_code", qformCode = "qform_code"
        case voxOffset = "vox_offset", xyztUnits = "xyzt_units"
    }

    /// nibabel's `get_fdata()` values (i fastest), saved beside the file as NAME.bin.
    func values(binary: URL) throws -> [Double] {
        let data = try Data(contentsOf: binary)
        return data.withUnsafeBytes { raw in (0..<data.count / 8).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) } }
    }
}

enum Nibabel {
    /// Writes nibabel-made test files into `folder`; returns their facts (values in `<name>.bin`).
    static func makeReferenceFiles(in folder: URL) throws -> [NibabelFacts] {
        let json = try ExternalTool.python("nifti_reference.py", ["make", folder.path])
        return try JSONDecoder().decode([NibabelFacts].self, from: Data(json.utf8))
    }

    /// nibabel's reading of `file`: facts and values.
    static func read(_ file: URL) throws -> (facts: NibabelFacts, values: [Double]) {
        try read([file])[0]
    }

    /// nibabel's reading of several files in one python run (starting python + nibabel costs ~1 s).
    static func read(_ files: [URL]) throws -> [(facts: NibabelFacts, values: [Double])] {
        let bins = files.map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("nib-\(UUID().uuidString).bin") }
        defer { for b in bins { try? FileManager.default.removeItem(at: b) } }
        let json = try ExternalTool.python("nifti_reference.py", ["dump"] + zip(files, bins).flatMap { [$0.path, $1.path] })
        let facts = try JSONDecoder().decode([NibabelFacts].self, from: Data(json.utf8))
        return try zip(facts, bins).map { ($0, try $0.values(binary: $1)) }
    }
}

extension AnyVolume {
    /// Every voxel as a double (i fastest).
    var doubles: [Double] {
        switch self {
        case .uint8(let v): v.voxels.map(Double.init)
        case .int16(let v): v.voxels.map(Double.init)
        case .uint16(let v): v.voxels.map(Double.init)
        case .int32(let v): v.voxels.map(Double.init)
        case .float32(let v): v.voxels.map(Double.init)
        case .float64(let v): v.voxels
        }
    }
}

/// Largest absolute difference between two 4×4 (or 3×4 prefix) affines.
func affineDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    var d = 0.0
    for r in 0..<min(a.count, b.count) { for c in 0..<4 { d = max(d, abs(a[r][c] - b[r][c])) } }
    return d
}

/// Number of voxels where `ours` differs from nibabel's value (float32 volumes compare after
/// rounding nibabel's double to float).
func mismatches(_ ours: AnyVolume, _ reference: [Double]) -> Int {
    let mine = ours.doubles
    guard mine.count == reference.count else { return max(mine.count, reference.count) }
    let asFloat: Bool = if case .float32 = ours { true } else { false }
    var n = 0
    for i in 0..<mine.count {
        let r = asFloat ? Double(Float(reference[i])) : reference[i]
        if mine[i] != r && !(mine[i].isNaN && r.isNaN) { n += 1 }
    }
    return n
}
