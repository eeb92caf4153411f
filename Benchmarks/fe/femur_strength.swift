// Nonlinear femur strength as `openbct fe --protocol hip-sideways-fall --material femur-morgan --nonlinear`
// (or, given a vertebra fixture, the L4 as in `Benchmarks/fe/nonlinear.sh`; or, given a folder prepared by
// `Benchmarks/fe/phantom-femur.sh`, a digital-phantom femur as `openbct analyze` models it),
// built against the release FE module alone (Benchmarks/fe/femur-strength.sh): the solver's CPU and wall
// seconds, cores used, the iteration counts and strength that must not change with kernel work, and per
// increment the step, Newton and Krylov iterations, cut-backs and seconds.
import FE
import Foundation
import ImageFormats
import OpenBCTCore

let arguments = CommandLine.arguments
let voxel = arguments.count > 1 ? Double(arguments[1]) ?? 1 : 1
let fixture = arguments.count > 2 ? arguments[2] : "../shared/data/fe-reference/femur_left_mini"
let density = try ImageFile.read(contentsOf: URL(fileURLWithPath: fixture + "/density.nii.gz")).asFloat()
let labels = try ImageFile.read(contentsOf: URL(fileURLWithPath: fixture + "/labels.nii.gz")).asLabels()

/// A phantom femur folder's `femur.json` (written by phantom-femur.sh from `openbct segment --json`): the
/// femur's label in the segmentation and Anatomy's femur frame.
struct PhantomFemur: Decodable { var label: Int32; var origin, x, y, z, headCenter: [Double] }
let phantomFile = URL(fileURLWithPath: fixture + "/femur.json")
let phantom = FileManager.default.fileExists(atPath: phantomFile.path)
    ? try JSONDecoder().decode(PhantomFemur.self, from: Data(contentsOf: phantomFile)) : nil
let built: LoadCaseModel, options: StrengthOptions
if let phantom {
    // As `analyze` (Pipeline StrengthStage.femur/feFrame): Anatomy's frame, anterior = ±y facing LPS −y,
    // the site's 4 % limit and analyze's 12 first steps and linear tolerance.
    func vec(_ a: [Double]) -> Vec3 { Vec3(a[0], a[1], a[2]) }
    let frame = try LatticeFrame(origin: vec(phantom.origin), axes: Matrix3(columns: vec(phantom.x), vec(phantom.y), vec(phantom.z)))
    let y = vec(phantom.y)
    built = try HipLoadCase(kind: .sidewaysFall, femurLabels: [phantom.label], voxelSize: voxel, materials: .ogoCompatible(law: .femurMorgan))
        .build(density: density, labels: labels,
               femurFrame: FemurFrame(frame: frame, anterior: dot(y, Vec3(0, -1, 0)) >= 0 ? y : -y, headPoint: vec(phantom.headCenter)))
    options = StrengthOptions(deformationLimit: 0.04, criterion: .principalStrain, steps: 12, linear: SolverOptions(relativeTolerance: 1e-6))
} else if fixture.contains("vertebra") {
    // A vertebra fixture runs `openbct fe --protocol vertebra-compression-ogo --frame-z 0,0,1 --frame-x 1,0,0`.
    built = try VertebralCompression(voxelSize: voxel).build(density: density, labels: labels, frame: try LatticeFrame(axes: .identity))
    options = StrengthOptions(criterion: .principalStrain)
} else {
    built = try HipLoadCase(kind: .sidewaysFall, femurLabels: Set(labels.voxels.filter { $0 != 0 }), voxelSize: voxel,
                            materials: .ogoCompatible(law: .femurMorgan)).build(density: density, labels: labels, femurFrame: nil)
    options = StrengthOptions(criterion: .principalStrain)
}
// Convergence studies (Benchmarks/fe/convergence.sh): OPENBCT_FE_CONVERGENCE = l2:TOL | ccx | ccx:R_n:R_p:I_p:C_n |
// force:CHANGE:RESIDUAL picks the equilibrium criterion; OPENBCT_FE_STEPS, OPENBCT_FE_MAX_INCREMENT, OPENBCT_FE_MIN_INCREMENT
// and OPENBCT_FE_MAX_NEWTON override the first increment (1/steps), the increment bounds and Newton per increment;
// OPENBCT_FE_TANGENT_COARSE=0 keeps the multigrid's coarse levels elastic (`NonlinearOptions.tangentCoarseLevels`, on by default).
// OPENBCT_FE_INCREMENTS = newton | cost | cost:TOLERANCE:HOLD picks the increment rule (`IncrementControl`).
let environment = ProcessInfo.processInfo.environment
func setting(_ name: String) -> Double? { environment[name].map { guard let v = Double($0) else { fatalError("\(name)=\($0) is not a number") }; return v } }
var studied = options
if let spec = environment["OPENBCT_FE_CONVERGENCE"] {
    let parts = spec.split(separator: ":").map(String.init), numbers = parts.dropFirst().map { Double($0) }
    guard numbers.allSatisfy({ $0 != nil }) else { fatalError("OPENBCT_FE_CONVERGENCE=\(spec): numbers expected after the kind") }
    let n = numbers.map { $0! }
    switch (parts[0], n.count) {
    case ("l2", 1): studied.convergence = .relativeResidual(tolerance: n[0])
    case ("ccx", 0): studied.convergence = .calculixDefaults
    case ("ccx", 4): studied.convergence = .calculix(force: n[0], lateForce: n[1], lateAfter: Int(n[2]), correction: n[3])
    case ("force", 2): studied.convergence = .loadForce(change: n[0], residual: n[1])
    default: fatalError("OPENBCT_FE_CONVERGENCE=\(spec): expected l2:TOL, ccx, ccx:R_n:R_p:I_p:C_n or force:CHANGE:RESIDUAL")
    }
}
if let steps = setting("OPENBCT_FE_STEPS") { studied.steps = Int(steps) }
var incrementControl: IncrementControl?
if let spec = environment["OPENBCT_FE_INCREMENTS"] {
    let parts = spec.split(separator: ":").map(String.init)
    switch (parts[0], parts.count) {
    case ("newton", 1): incrementControl = .newtonCount
    case ("cost", 1): incrementControl = .costAwareDefault
    case ("cost", 3):
        guard let tolerance = Double(parts[1]), let hold = Int(parts[2]) else { fatalError("OPENBCT_FE_INCREMENTS=\(spec): numbers expected") }
        incrementControl = .costAware(tolerance: tolerance, hold: hold)
    default: fatalError("OPENBCT_FE_INCREMENTS=\(spec): expected newton, cost or cost:TOLERANCE:HOLD")
    }
}
print("convergence \(studied.convergence), first increment 1/\(studied.steps), increments \(incrementControl.map { "\($0)" } ?? "default")")
func processSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
let cpu0 = processSeconds(), start = Date()
let result = try StrengthAnalysis.run(built, options: studied) { solver in
    if let v = setting("OPENBCT_FE_MAX_INCREMENT") { solver.maxIncrement = v }
    if let v = setting("OPENBCT_FE_MIN_INCREMENT") { solver.minIncrement = v }
    if let v = setting("OPENBCT_FE_MAX_NEWTON") { solver.maxIterationsPerStep = Int(v) }
    if let v = setting("OPENBCT_FE_TANGENT_COARSE") { solver.tangentCoarseLevels = v != 0 }
    if let incrementControl { solver.incrementControl = incrementControl }
}
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
print("increment  step_mm  displacement_mm  force_N  yielded_%  newton  krylov  cutbacks  failed_newton  failed_krylov  seconds  relative_residual")
for (i, p) in curve.points.enumerated().dropFirst() {
    print(String(format: "%9d %8.4f %16.6f %10.3f %10.2f %7d %7d %9d %14d %14d %8.2f %.3e", i, p.displacement - curve.points[i - 1].displacement,
                 p.displacement, p.force, 100 * p.yieldedElementFraction, p.iterations, p.pcgIterations, p.cutbacks,
                 p.failedIterations, p.failedPcgIterations, p.seconds, p.relativeResidual))
}
