// Where a vertebral body yields at the 2 % compression limit (docs/validation.md, "FE element size", issue 7):
// builds VertebralCompression as `openbct analyze` does for a spine level (clinical mode, automatic vertebral
// frame, conforming PMMA caps, Kopperdahl, 2 % of H, 12 first steps; StrengthStage.vertebra) — or, with
// `ogo`, as the L4 fixture runs (`femur-strength.sh`: Ogo mode, lattice = image axes) — solves the
// nonlinear strength and prints the curve and the failed tissue at the peak per region, as bone volume
// (mm³) so that element sizes compare: the cells touching a cap, the first 3 mm under each cap, the
// cortical rim (in-plane within 2 mm of the body's outside) and the core, and ten slabs along the axis.
// usage: vertebra_yield VOXEL_MM DIR BODY_LABEL POSTERIOR_LABEL conforming|flat clinical|ogo [geometry]
//   geometry prints the cap geometry without solving.
//   DIR holds density.nii.gz (mg/cm³ K2HPO4) and labels.nii.gz on one grid.
import FE
import Foundation
import ImageFormats
import OpenBCTCore

let arguments = CommandLine.arguments
guard arguments.count >= 7, let voxel = Double(arguments[1]), let body = Int32(arguments[3]), let posterior = Int32(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: vertebra_yield VOXEL_MM DIR BODY_LABEL POSTERIOR_LABEL conforming|flat clinical|ogo [geometry]\n".utf8))
    exit(2)
}
let directory = arguments[2], conforming = arguments[5] == "conforming", ogo = arguments[6] == "ogo"
let geometryOnly = arguments.dropFirst(7).contains("geometry")
let density = try ImageFile.read(contentsOf: URL(fileURLWithPath: directory + "/density.nii.gz")).asFloat()
let labels = try ImageFile.read(contentsOf: URL(fileURLWithPath: directory + "/labels.nii.gz")).asLabels()
let compression = VertebralCompression(mode: ogo ? .ogoCompatible : .clinical, bodyLabel: body, posteriorLabels: [posterior],
                                       caps: CapGeometry(conforming: conforming), voxelSize: voxel,
                                       materials: .ogoCompatible(law: .vertebraKopperdahl))
let built = try compression.build(density: density, labels: labels, frame: ogo ? try LatticeFrame(axes: .identity) : nil)
let options = ogo ? StrengthOptions(criterion: .principalStrain)
    : StrengthOptions(deformationLimit: 0.02, criterion: .principalStrain, steps: 12, linear: SolverOptions(relativeTolerance: 1e-6))
let mesh = built.mesh!, n = mesh.dims, h = voxel, cellVolume = h * h * h
// Bone cells of the body, their lattice position and what surrounds them.
func cell(_ i: Int, _ j: Int, _ k: Int) -> Int { i + n.x * (j + n.y * k) }
let isBone: (Int) -> Bool = { mesh.material[$0] == FEModel.boneMaterial }
var kMin = Int.max, kMax = Int.min
for c in mesh.material.indices where isBone(c) && mesh.labels[c] == body { kMin = min(kMin, c / (n.x * n.y)); kMax = max(kMax, c / (n.x * n.y)) }

// PMMA that reaches into the body's axial extent (conforming caps fill a column up to its first bone cell):
// its volume per slab, and the columns whose PMMA runs deeper than 5 mm / 25 % / 50 % of the body height.
var pmmaPerSlab = [Double](repeating: 0, count: 10), deepColumns = [0, 0, 0]
let bodyHeight = Double(kMax - kMin + 1) * h
for j in 0..<n.y { for i in 0..<n.x {
    var depth = [0, 0]   // inward PMMA run from below kMin and from above kMax
    for (side, range) in [(0, Array(kMin...kMax)), (1, Array((kMin...kMax).reversed()))] {
        for k in range { if mesh.material[cell(i, j, k)] == FEModel.pmmaMaterial { depth[side] += 1 } else { break } }
    }
    for d in depth where d > 0 {
        let mm = Double(d) * h
        if mm > 5 { deepColumns[0] += 1 }; if mm > bodyHeight / 4 { deepColumns[1] += 1 }; if mm > bodyHeight / 2 { deepColumns[2] += 1 }
    }
    for k in kMin...kMax where mesh.material[cell(i, j, k)] == FEModel.pmmaMaterial {
        pmmaPerSlab[min(9, Int(Double(k - kMin) / Double(kMax - kMin + 1) * 10))] += cellVolume
    }
} }
print(String(format: "PMMA inside the body's axial extent (%.1f mm): %.0f mm³; per slab ", bodyHeight, pmmaPerSlab.reduce(0, +))
      + pmmaPerSlab.map { String(format: "%.0f", $0) }.joined(separator: " ")
      + String(format: "; cap runs deeper than 5 mm: %d columns, > 25 %% of the height: %d, > 50 %%: %d", deepColumns[0], deepColumns[1], deepColumns[2]))
// Depth of each column's first body cell below the body's extreme face, per cap (mm, 3 mm bins): an endplate's
// concavity and tilt lie within a few mm; a column whose first bone lies much deeper runs beside the body.
for (name, from, step) in [("inferior", kMin, 1), ("superior", kMax, -1)] {
    var bins = [Int](repeating: 0, count: 14)
    for j in 0..<n.y { for i in 0..<n.x {
        var k = from
        while k >= kMin && k <= kMax && !(isBone(cell(i, j, k)) && mesh.labels[cell(i, j, k)] == body) { k += step }
        guard k >= kMin && k <= kMax else { continue }
        bins[min(13, Int(Double(abs(k - from)) * h / 3))] += 1
    } }
    print("first body cell below the \(name) extreme face, columns per 3 mm bin: " + bins.map(String.init).joined(separator: " "))
}
if geometryOnly { exit(0) }
let start = Date()
let result = try StrengthAnalysis.run(built, options: options)
let curve = result.curve, model = result.model
var failed = [Float](repeating: 0, count: mesh.material.count)
for (e, c) in model.elements.enumerated() where model.materialID[e] == FEModel.boneMaterial { failed[Int(c)] = curve.failedTissue[e] }
print(String(format: "voxel %.2f mm, %@ caps, %@: strength %.1f N at %.4f mm (limit %.4f mm, H %.2f mm), stiffness %.1f N/mm, %d elements, %.1f s",
             h, conforming ? "conforming" : "flat", ogo ? "ogo" : "clinical", result.strength, result.displacementAtPeak,
             result.limitDisplacement, built.summary.referenceLength, result.stiffness, model.elements.count, Date().timeIntervalSince(start)))
print("curve (displacement mm, force N, yielded % of elements):", curve.points.dropFirst().map {
    String(format: "%.3f %.0f %.1f", $0.displacement, $0.force, 100 * $0.yieldedElementFraction) }.joined(separator: " | "))

/// Distance (mm) along the column from the cell centre to the nearest PMMA cell face, nil when none within 12 mm.
func capDistance(_ i: Int, _ j: Int, _ k: Int) -> Double? {
    let reach = Int((12 / h).rounded(.up))
    for step in 1...reach {
        for kk in [k - step, k + step] where kk >= 0 && kk < n.z && mesh.material[cell(i, j, kk)] == FEModel.pmmaMaterial {
            return (Double(step) - 0.5) * h
        }
    }
    return nil
}
/// In-plane distance (mm) from the cell centre to the nearest non-bone cell's edge, capped at 6 mm.
func rimDistance(_ i: Int, _ j: Int, _ k: Int) -> Double {
    let reach = Int((6 / h).rounded(.up)); var best = 6.0
    for dj in -reach...reach { for di in -reach...reach {
        let ii = i + di, jj = j + dj
        let outside = ii < 0 || jj < 0 || ii >= n.x || jj >= n.y || !isBone(cell(ii, jj, k))
        if outside { best = min(best, (Double(di * di + dj * dj).squareRoot() - 0.5) * h) }
    } }
    return max(0, best)
}

struct Tally { var volume = 0.0, failedVolume = 0.0, densitySum = 0.0, cells = 0
    mutating func add(_ c: Int) { volume += cellVolume; failedVolume += Double(failed[c]) * cellVolume; densitySum += Double(mesh.density[c]); cells += 1 }
    var line: String { String(format: "%9.0f mm³  failed %6.1f %%  (%7.0f mm³)  mean density %6.1f", volume, 100 * failedVolume / max(volume, 1e-9), failedVolume, densitySum / Double(max(cells, 1))) }
}
var regions: [String: Tally] = [:], slabs = [Tally](repeating: Tally(), count: 10)
for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
    let c = cell(i, j, k)
    guard isBone(c), mesh.labels[c] == body else { continue }
    regions["all", default: Tally()].add(c)
    let d = capDistance(i, j, k)
    if let d, d < h { regions["touching a cap", default: Tally()].add(c) }
    let zone = (d ?? .infinity) <= 3 ? "≤ 3 mm under a cap" : "mid-body"
    let rim = rimDistance(i, j, k) < 2 ? "rim" : "core"
    regions["\(zone), \(rim)", default: Tally()].add(c)
    let t = Double(k - kMin) / Double(max(1, kMax - kMin + 1))
    slabs[min(9, Int(t * 10))].add(c)
} } }
for name in ["all", "touching a cap", "≤ 3 mm under a cap, rim", "≤ 3 mm under a cap, core", "mid-body, rim", "mid-body, core"] {
    print("  " + name.padding(toLength: 26, withPad: " ", startingAt: 0) + (regions[name]?.line ?? "none"))
}
for (s, tally) in slabs.enumerated() { print(String(format: "  slab %d (%3d–%3d %% of the body height, inferior → superior) ", s, s * 10, s * 10 + 10) + tally.line) }

