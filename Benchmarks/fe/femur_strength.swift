// Nonlinear femur strength as `openbct fe --protocol hip-sideways-fall --material femur-morgan --nonlinear`
// (or, given a vertebra fixture, the L4 as in `Benchmarks/fe/nonlinear.sh`),
// built against the release FE module alone (Benchmarks/fe/femur-strength.sh): the solver's CPU and wall
// seconds, cores used, and the iteration counts and strength that must not change with kernel work.
import FE
import Foundation
import ImageFormats
import OpenBCTCore

let arguments = CommandLine.arguments
let voxel = arguments.count > 1 ? Double(arguments[1]) ?? 1 : 1
let fixture = arguments.count > 2 ? arguments[2] : "../shared/data/fe-reference/femur_left_mini"
let density = try ImageFile.read(contentsOf: URL(fileURLWithPath: fixture + "/density.nii.gz")).asFloat()
let labels = try ImageFile.read(contentsOf: URL(fileURLWithPath: fixture + "/labels.nii.gz")).asLabels()
// A vertebra fixture runs `openbct fe --protocol vertebra-compression-ogo --frame-z 0,0,1 --frame-x 1,0,0` instead.
let built = fixture.contains("vertebra")
    ? try VertebralCompression(voxelSize: voxel).build(density: density, labels: labels, frame: try LatticeFrame(axes: .identity))
    : try HipLoadCase(kind: .sidewaysFall, femurLabels: Set(labels.voxels.filter { $0 != 0 }), voxelSize: voxel,
                      materials: .ogoCompatible(law: .femurMorgan)).build(density: density, labels: labels, femurFrame: nil)
func processSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
let cpu0 = processSeconds(), start = Date()
let result = try StrengthAnalysis.run(built, options: StrengthOptions(criterion: .principalStrain))
let cpu = processSeconds() - cpu0, wall = Date().timeIntervalSince(start)
let curve = result.curve, points = curve.points.dropFirst()
print(String(format: "voxel %.1f mm, %d elements: strength %.6f N at %.4f mm, stiffness %.3f N/mm", voxel,
             result.model.elements.count, result.strength, result.displacementAtPeak, result.stiffness))
print(String(format: "increments %d, cut-backs %d, Newton %d, Krylov %d, internal-force evaluations %d, linear PCG %d",
             points.count, curve.cutbacks, points.reduce(0) { $0 + $1.iterations }, points.reduce(0) { $0 + $1.pcgIterations },
             points.reduce(0) { $0 + $1.residualEvaluations }, curve.linearIterations))
print(String(format: "failed attempts: %d Newton, %d Krylov",
             points.reduce(0) { $0 + $1.failedIterations }, points.reduce(0) { $0 + $1.failedPcgIterations }))
print(String(format: "solve: CPU %.1f s, wall %.1f s, cores used %.2f (internal force %.1f s, Krylov %.1f s wall)",
             cpu, wall, cpu / wall, curve.internalForceSeconds, curve.krylovSeconds))
