// `openbct fe`: density + labels → load-case model → linear solve → fe.json (and optional exports).
import ArgumentParser
import FE
import Foundation
import ImageFormats
import OpenBCTCore

struct FECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fe",
        abstract: "Finite-element stiffness of a femur or vertebra from calibrated density and labels.",
        discussion: """
        Protocols: vertebra-compression-ogo (Ogo/parosol-py reference convention, posterior elements kept), \
        vertebra-compression (clinical, posterior elements removed), hip-sideways-fall, hip-stance. \
        Writes OUTDIR/fe.json. \(OpenBCT.researchUseNotice)
        """)

    @Option(help: "Calibrated density image (mg/cm³ K2HPO4), NIfTI or MetaImage.") var density: String?
    @Option(help: "Label image on the density grid.") var labels: String?
    @Option(help: "vertebra-compression-ogo | vertebra-compression | hip-sideways-fall | hip-stance") var `protocol`: String?
    @Option(help: "Instead of density/labels/protocol: solve a peer's exact model dumped by Tests/Python/parosol_model_dump.py.") var parosolModel: String?
    @Option(help: "Anatomy label: the vertebral body (default 20) or the femur (default: every non-zero label).") var label: [Int32] = []
    @Option(help: "Posterior-element labels kept in the Ogo vertebral mode.") var posteriorLabel: [Int32] = [48]
    @Option(help: "Element edge (mm).") var voxel: Double = 1.0
    @Option(help: "Material law: femur-keyak, femur-morgan, vertebra-kopperdahl, vertebra-morgan (default per site).") var material: String?
    @Flag(help: "Do not bin densities (the Ogo convention bins into 128 equal-width bins).") var noBinning = false
    @Option(help: "Sideways fall: shaft tilt α (degrees).") var alpha: Double = 10
    @Option(help: "Sideways fall: internal rotation β (degrees).") var beta: Double = 15
    @Flag(help: "Sideways fall: also solve every fall direction of methods.md §10 (α 0/10/20/30°, β 0/15/30°) and report the minimum.") var allDirections = false
    @Option(help: "Write a VTK ImageData (.vti) of the lattice with the element fields here.") var exportVti: String?
    @Option(help: "Lattice/anatomical frame z axis (LPS, comma-separated); default: automatic from the mask.") var frameZ: String?
    @Option(help: "Lattice/anatomical frame x axis (LPS); with --frame-z.") var frameX: String?
    @Option(help: "PCG relative tolerance.") var tolerance: Double = 1e-6
    @Flag(help: "Nonlinear strength: elastic–perfectly plastic, displacement-controlled up to the deformation limit.") var nonlinear = false
    @Option(help: "Nonlinear: the first increment is 1/steps of the deformation limit (increments then adapt).") var steps: Int = 10
    @Option(help: "Nonlinear yield law: principal-strain (asymmetric, default) or von-mises (σ_y = E·ε_yc).") var yieldCriterion: String = "principal-strain"
    @Option(help: "Nonlinear: end the curve once this many increments in a row lie below the peak (default: load to the deformation limit).") var stopAfterDecline: Int?
    @Option(help: "Nonlinear, with --stop-after-decline: those increments must also span this share of the deformation limit (analyze: 3 increments, 0.05).") var declineSpan: Double = 0
    @Option(help: "Write the CalculiX/Abaqus deck of the solved model here.") var exportInp: String?
    @Option(help: "Write a VTK UnstructuredGrid (.vtu) of the model with its fields here.") var exportVtu: String?
    @Option(help: "Write the modulus and material fields as NIfTI on the density grid into this folder.") var exportFields: String?
    @Option(name: .shortAndLong, help: "Output folder.") var output: String

    func run() throws {
        do { try execute() } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    func execute() throws {
        let t0 = Date()
        let built: LoadCaseModel, densityGrid: ImageGrid?
        var directions: [FEResultDocument.FallDirection]?
        if let parosolModel {
            built = try ParosolModel.load(dump: URL(fileURLWithPath: parosolModel)).loadCase(source: parosolModel)
            densityGrid = nil
        } else {
            guard let density, let labels, let `protocol` else {
                throw InputError(location: "arguments", "--density, --labels and --protocol are required (or --parosol-model)")
            }
            guard FECommand.protocols.contains(`protocol`) else {
                throw InputError(location: "--protocol", "unknown protocol '\(`protocol`)'; expected one of \(FECommand.protocols.joined(separator: ", "))")
            }
            let densityVolume = try ImageFile.read(contentsOf: URL(fileURLWithPath: density)).asFloat()
            let labelVolume = try ImageFile.read(contentsOf: URL(fileURLWithPath: labels)).asLabels()
            built = try buildModel(`protocol`, densityVolume, labelVolume)
            if allDirections {
                guard `protocol` == "hip-sideways-fall" else { throw InputError(location: "--all-directions", "applies to hip-sideways-fall only") }
                directions = try HipLoadCase.fallDirections.map { d in
                    let model = try buildModel(`protocol`, densityVolume, labelVolume, direction: d)
                    let s = try LinearSolver.solve(model.model, options: SolverOptions(relativeTolerance: tolerance))
                    let r = s.reactionTotals[loadedNodeSet] ?? .zero
                    return .init(alpha_deg: d.alpha, beta_deg: d.beta, reaction_N: r[model.summary.loadAxis],
                                 stiffness_N_per_mm: model.stiffness(reaction: r), iterations: s.iterations)
                }
            }
            densityGrid = densityVolume.grid
        }
        let tBuilt = Date()
        let solution = try LinearSolver.solve(built.model, options: SolverOptions(relativeTolerance: tolerance))
        guard let reaction = solution.reactionTotals[loadedNodeSet] else {
            throw FEError.invalidModel("no reaction on the loaded node set")
        }
        let fields = ElementFields.compute(model: built.model, solution: solution)
        let pistoia = try? Pistoia.failureLoad(model: built.model, fields: fields, reactionForce: reaction[built.summary.loadAxis])
        let strength = nonlinear ? try nonlinearStrength(built) : nil
        let outDir = URL(fileURLWithPath: output)
        var exports: [String] = []
        if let exportInp {
            try CalculixDeck.write(built.model, to: URL(fileURLWithPath: exportInp)); exports.append(exportInp)
        }
        let modulusField = VTKWriter.Field(name: "modulus_MPa", values: built.model.youngsModulus)
        let materialField = VTKWriter.Field(name: "material", values: built.model.materialID.map { Float($0) })
        let sedField = VTKWriter.Field(name: "sed_MPa", values: fields.strainEnergyDensity.map { Float($0) })
        if let exportVtu {
            let u = VTKWriter.Field(name: "displacement_mm", components: 3, values: solution.displacement.map { Float($0) })
            try writeAtomically(try VTKWriter.unstructuredGrid(built.model, cellFields: [modulusField, materialField, sedField], pointFields: [u]),
                                to: URL(fileURLWithPath: exportVtu))
            exports.append(exportVtu)
        }
        if let exportVti {
            try writeAtomically(try VTKWriter.imageData(built.model, cellFields: [modulusField, materialField, sedField]),
                                to: URL(fileURLWithPath: exportVti))
            exports.append(exportVti)
        }
        if let exportFields {
            guard let densityGrid else { throw InputError(location: "--export-fields", "needs --density (an image grid)") }
            let dir = URL(fileURLWithPath: exportFields)
            var nifti = [modulusField, materialField, sedField]
            if let strength { nifti.append(VTKWriter.Field(name: "failed_tissue", values: strength.curve.failedTissue)) }
            for f in nifti {
                let url = dir.appendingPathComponent("\(f.name).nii.gz")
                try NIfTI.write(built.model.field(f.values, on: densityGrid), to: url); exports.append(url.path)
            }
        }
        let k = built.stiffness(reaction: reaction)
        let lps = built.model.direction * reaction
        let result = FEResultDocument(
            software: .init(name: OpenBCT.name, version: OpenBCT.version), notice: OpenBCT.researchUseNotice,
            inputs: .init(density: density, labels: labels, parosolModel: parosolModel), loadCase: built.summary,
            solver: .init(options: SolverOptions(relativeTolerance: tolerance), iterations: solution.iterations,
                          relativeResidual: solution.relativeResidual, converged: solution.converged,
                          multigridLevels: solution.levels, timings: solution.timings,
                          modelBuildSeconds: tBuilt.timeIntervalSince(t0),
                          elements: built.model.elements.count, nodes: solution.nodes.count),
            results: .init(reactionForceLattice_N: [reaction.x, reaction.y, reaction.z], reactionForceLPS_N: [lps.x, lps.y, lps.z],
                           reactionAlongLoadAxis_N: reaction[built.summary.loadAxis],
                           appliedDisplacement_mm: built.summary.appliedDisplacement, stiffness_N_per_mm: k,
                           reactionSign: "force the supports exert on the model, summed over the loaded cap's outer-face nodes",
                           pistoiaFailureLoad_N: pistoia?.failureLoad, pistoiaCriticalEffectiveStrain: pistoia?.criticalEffectiveStrain),
            nonlinear: strength.map(FEResultDocument.Nonlinear.init),
            fallDirections: directions, minimumFallStiffness_N_per_mm: directions?.map(\.stiffness_N_per_mm).min(),
            exports: exports)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // The last piece of a piecewise law is unbounded: written as "inf".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try writeAtomically(try encoder.encode(result), to: outDir.appendingPathComponent("fe.json"))
        print(String(format: "%@: stiffness %.1f N/mm (reaction %.1f N at %.4f mm), %d elements, %d PCG iterations",
                     built.summary.protocolName, k, reaction[built.summary.loadAxis], built.summary.appliedDisplacement,
                     built.model.elements.count, solution.iterations))
        if let directions {
            for d in directions { print(String(format: "  α %4.0f° β %4.0f°: %.1f N/mm", d.alpha_deg, d.beta_deg, d.stiffness_N_per_mm)) }
        }
        if let strength {
            print(String(format: "nonlinear strength %.1f N at %.3f mm (%d increments, %d Newton, %d PCG iterations, %.1f s)",
                         strength.strength, strength.displacementAtPeak, strength.curve.points.count - 1,
                         strength.curve.points.map(\.iterations).reduce(0, +), strength.curve.points.map(\.pcgIterations).reduce(0, +),
                         strength.curve.seconds))
        }
    }

    /// The nonlinear strength at the site's deformation limit (spine 2 % of H, hip 4 % of L; methods.md §10).
    func nonlinearStrength(_ built: LoadCaseModel) throws -> StrengthResult {
        guard let criterion = StrengthCriterion(rawValue: yieldCriterion) else {
            throw InputError(location: "--yield-criterion", "unknown '\(yieldCriterion)'; expected one of \(StrengthCriterion.allCases.map(\.rawValue))")
        }
        return try StrengthAnalysis.run(built, options: StrengthOptions(
            criterion: criterion, steps: steps, linear: SolverOptions(relativeTolerance: tolerance),
            stopAfterDecline: stopAfterDecline.map { DeclineStop(increments: $0, limitShare: declineSpan) }))
    }

    static let protocols = ["vertebra-compression-ogo", "vertebra-compression", "hip-sideways-fall", "hip-stance"]

    func buildModel(_ name: String, _ densityVolume: Volume<Float>, _ labelVolume: Volume<Int32>,
                    direction: (alpha: Double, beta: Double)? = nil) throws -> LoadCaseModel {
        let givenFrame = try explicitFrame()
        switch name {
        case "vertebra-compression-ogo", "vertebra-compression":
            var materials = MaterialOptions.ogoCompatible(law: try law(default: .vertebraKopperdahl))
            if noBinning { materials.densityBins = nil }
            let vc = VertebralCompression(mode: name == "vertebra-compression" ? .clinical : .ogoCompatible,
                                          bodyLabel: label.first ?? 20, posteriorLabels: Set(posteriorLabel),
                                          voxelSize: voxel, materials: materials)
            return try vc.build(density: densityVolume, labels: labelVolume, frame: givenFrame)
        case "hip-sideways-fall", "hip-stance":
            var materials = MaterialOptions.ogoCompatible(law: try law(default: nonlinear ? .femurMorgan : .femurKeyak))
            if noBinning { materials.densityBins = nil }
            let femurLabels = label.isEmpty ? Set(labelVolume.voxels.filter { $0 != 0 }) : Set(label)
            let hip = HipLoadCase(kind: name == "hip-stance" ? .stance : .sidewaysFall, femurLabels: femurLabels,
                                  alphaDegrees: direction?.alpha ?? alpha, betaDegrees: direction?.beta ?? beta, voxelSize: voxel, materials: materials)
            let femurFrame = givenFrame.map { f -> FemurFrame in
                let y = f.axes.c1
                return FemurFrame(frame: f, anterior: dot(y, Vec3(0, -1, 0)) >= 0 ? y : -y, headPoint: f.origin)
            }
            return try hip.build(density: densityVolume, labels: labelVolume, femurFrame: femurFrame)
        default:
            throw InputError(location: "--protocol", "unknown protocol '\(name)'; expected one of \(FECommand.protocols.joined(separator: ", "))")
        }
    }

    func law(default preset: BoneMaterialLaw) throws -> BoneMaterialLaw {
        guard let material else { return preset }
        guard let law = BoneMaterialLaw.presets[material] else {
            throw InputError(location: "--material", "unknown law '\(material)'; expected one of \(BoneMaterialLaw.presets.keys.sorted())")
        }
        return law
    }

    func explicitFrame() throws -> LatticeFrame? {
        guard let frameZ else { return nil }
        func vector(_ s: String, _ option: String) throws -> Vec3 {
            let v = s.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 3, length(Vec3(v[0], v[1], v[2])) > 0 else {
                throw InputError(location: option, "expected three comma-separated numbers, got '\(s)'")
            }
            return normalize(Vec3(v[0], v[1], v[2]))
        }
        let z = try vector(frameZ, "--frame-z")
        guard let frameX else { throw InputError(location: "--frame-x", "required with --frame-z") }
        var x = try vector(frameX, "--frame-x")
        x = x - dot(x, z) * z
        guard length(x) > 1e-6 else { throw InputError(location: "--frame-x", "must not be parallel to --frame-z") }
        x = normalize(x)
        return try LatticeFrame(axes: Matrix3(columns: x, cross(z, x), z))
    }
}

/// fe.json.
struct FEResultDocument: Encodable {
    struct Software: Encodable { var name: String; var version: String }
    struct Inputs: Encodable { var density: String?; var labels: String?; var parosolModel: String? }
    struct Solver: Encodable {
        var options: SolverOptions
        var iterations: Int
        var relativeResidual: Double
        var converged: Bool
        var multigridLevels: Int
        var timings: SolverTimings
        var modelBuildSeconds: Double
        var elements: Int
        var nodes: Int
    }
    struct Results: Encodable {
        var reactionForceLattice_N: [Double]
        var reactionForceLPS_N: [Double]
        var reactionAlongLoadAxis_N: Double
        var appliedDisplacement_mm: Double
        var stiffness_N_per_mm: Double
        var reactionSign: String
        /// Pistoia (bone elements only, PMMA excluded): |F|·0.007 / the 98th percentile of sqrt(2·SED/E).
        var pistoiaFailureLoad_N: Double?
        var pistoiaCriticalEffectiveStrain: Double?
    }
    struct Nonlinear: Encodable {
        struct Point: Encodable {
            var displacement_mm: Double; var force_N: Double; var yieldedElementFraction: Double
            var newtonIterations: Int; var pcgIterations: Int; var relativeResidual: Double
            var residualEvaluations: Int; var cutbacks: Int; var failedNewtonIterations: Int; var failedKrylovIterations: Int
            var seconds: Double
        }
        var criterion: String
        var options: StrengthOptions
        var deformationLimit: Double
        var limitDisplacement_mm: Double
        var strength_N: Double
        var displacementAtPeak_mm: Double
        var linearStiffness_N_per_mm: Double
        var linearIterations: Int
        var cutbacks: Int
        /// The curve ended before the limit (`--stop-after-decline`).
        var stoppedAfterPeak: Bool
        var curve: [Point]
        var seconds: Double

        init(_ r: StrengthResult) {
            criterion = r.criterionDescription; options = r.options; deformationLimit = r.deformationLimit
            limitDisplacement_mm = r.limitDisplacement; strength_N = r.strength; displacementAtPeak_mm = r.displacementAtPeak
            linearStiffness_N_per_mm = r.stiffness; linearIterations = r.curve.linearIterations; cutbacks = r.curve.cutbacks
            stoppedAfterPeak = r.curve.stoppedAfterPeak
            curve = r.curve.points.map { .init(displacement_mm: $0.displacement, force_N: $0.force, yieldedElementFraction: $0.yieldedElementFraction,
                                               newtonIterations: $0.iterations, pcgIterations: $0.pcgIterations, relativeResidual: $0.relativeResidual,
                                               residualEvaluations: $0.residualEvaluations, cutbacks: $0.cutbacks,
                                               failedNewtonIterations: $0.failedIterations, failedKrylovIterations: $0.failedPcgIterations,
                                               seconds: $0.seconds) }
            seconds = r.curve.seconds
        }
    }
    var software: Software
    var notice: String
    var inputs: Inputs
    var loadCase: LoadCaseSummary
    var solver: Solver
    var results: Results
    var nonlinear: Nonlinear?
    struct FallDirection: Encodable {
        var alpha_deg: Double
        var beta_deg: Double
        var reaction_N: Double
        var stiffness_N_per_mm: Double
        var iterations: Int
    }
    var fallDirections: [FallDirection]?
    var minimumFallStiffness_N_per_mm: Double?
    var exports: [String]
}
