// Strength stage: FE models of each femur (sideways fall) and the strength vertebra (compression),
// nonlinear strength with its force–displacement curve, optional fall-direction spread.
import Anatomy
import FE
import Foundation
import OpenBCTCore
import ResultModel

/// One solved bone: the document record and what the figures need.
struct SolvedBone {
    var record: StrengthRecord
    /// Failed-tissue fraction per element at the peak, on the model lattice.
    var failedTissue: [Float]
    var model: FEModel
    /// Mean K2HPO4-equivalent density of the bone elements (mg/cm³), for the calibration component.
    var meanDensity: Double
    var law: BoneMaterialLaw
}

struct StrengthStage {
    var options: AnalysisOptions

    static let hipLaw = BoneMaterialLaw.femurMorgan, spineLaw = BoneMaterialLaw.vertebraKopperdahl
    /// Deformation limits (methods.md §10 [U]).
    static let hipLimit = 0.04, spineLimit = 0.02

    /// Nonlinear sideways-fall strength of one femur.
    func femur(_ f: FemurSummary, density: Volume<Float>, labels: Volume<UInt8>) throws -> SolvedBone {
        let start = Date()
        let hip = HipLoadCase(kind: .sidewaysFall, femurLabels: [Int32(f.label)], alphaDegrees: options.hipAlpha, betaDegrees: options.hipBeta,
                              voxelSize: options.feVoxelSize, materials: .ogoCompatible(law: Self.hipLaw))
        let frame = f.landmarks.flatMap { try? Self.feFrame($0) }
        let built = try hip.build(density: density, labels: labels, femurFrame: frame)
        var notes = [frame == nil ? "femur frame from the mask (no landmarks)" : "femur frame from the anatomy landmarks"]
        var directions: [FallDirectionStiffness] = []
        for d in options.directionSpread {
            var h = hip; h.alphaDegrees = d.alpha_deg; h.betaDegrees = d.beta_deg
            let m = try h.build(density: density, labels: labels, femurFrame: frame)
            let s = try LinearSolver.solve(m.model, options: SolverOptions(relativeTolerance: options.solverTolerance))
            directions.append(FallDirectionStiffness(alpha_deg: d.alpha_deg, beta_deg: d.beta_deg,
                                                     stiffness_N_per_mm: m.stiffness(reaction: s.reactionTotals[loadedNodeSet] ?? .zero)))
        }
        if !directions.isEmpty { notes.append("linear stiffness solved in \(directions.count) further fall directions") }
        return try solve(built, site: .hip, side: f.side == .left ? .left : .right, level: nil, limit: Self.hipLimit, law: Self.hipLaw,
                         density: density, labels: labels, labelSet: [f.label], directions: directions, notes: notes, start: start)
    }

    /// Nonlinear compression strength of one vertebral body (clinical mode: posterior elements removed).
    func vertebra(level: VertebralLevel, density: Volume<Float>, labels: Volume<UInt8>) throws -> SolvedBone {
        let start = Date()
        let vc = VertebralCompression(mode: .clinical, bodyLabel: Int32(AnatomyLabel.body(level)),
                                      posteriorLabels: [Int32(AnatomyLabel.posterior(level))],
                                      caps: CapGeometry(conforming: true), voxelSize: options.feVoxelSize,
                                      materials: .ogoCompatible(law: Self.spineLaw))
        let built = try vc.build(density: density, labels: labels)
        return try solve(built, site: .spine, side: nil, level: level.name, limit: Self.spineLimit, law: Self.spineLaw, density: density,
                         labels: labels, labelSet: [AnatomyLabel.body(level)], directions: [], notes: ["vertebral frame from the body's principal axes",
                                                                   "PMMA caps conforming to the endplates (filled up to the first bone cell of each column)"],
                         start: start)
    }

    /// Scales the linear endpoint to the deformation limit and runs the elastic–perfectly plastic solve.
    private func solve(_ built: LoadCaseModel, site: AnalysisSite, side: BodySide?, level: String?, limit: Double, law: BoneMaterialLaw,
                       density: Volume<Float>, labels: Volume<UInt8>, labelSet: Set<UInt8>, directions: [FallDirectionStiffness],
                       notes: [String], start: Date) throws -> SolvedBone {
        let result = try StrengthAnalysis.run(built, options: StrengthOptions(
            deformationLimit: limit, criterion: .principalStrain, steps: options.nonlinearSteps,
            linear: SolverOptions(relativeTolerance: options.solverTolerance)))
        let curve = result.curve
        let record = StrengthRecord(
            site: site, side: side, level: level, protocolName: built.summary.protocolName, materialLaw: law.name,
            voxelSize_mm: options.feVoxelSize, elements: built.model.elements.count, linearStiffness_N_per_mm: curve.linearStiffness,
            strength_N: curve.strength, displacementAtPeak_mm: curve.displacementAtPeak, converged: true, interval: nil,
            curve: curve.points.map { CurvePoint(displacement_mm: $0.displacement, force_N: $0.force, yieldedFraction: $0.yieldedElementFraction) },
            fallDirections: directions, drivesClass: false, failedTissueFigure: nil, seconds: Date().timeIntervalSince(start),
            notes: notes + ["strength = peak reaction within \(limit * 100) % of the reference length (\(String(format: "%.1f", built.summary.referenceLength)) mm); \(result.criterionDescription)"])
        return SolvedBone(record: record, failedTissue: curve.failedTissue, model: result.model,
                          meanDensity: Self.meanDensity(density, labels, labelSet), law: law)
    }

    /// Anatomy's femur frame in FE's form (methods.md §10 axes; anterior = ±y facing LPS −y).
    static func feFrame(_ l: FemurLandmarks) throws -> FE.FemurFrame {
        let f = l.frame
        let frame = try LatticeFrame(origin: f.origin, axes: Matrix3(columns: f.x, f.y, f.z))
        return FE.FemurFrame(frame: frame, anterior: dot(f.y, Vec3(0, -1, 0)) >= 0 ? f.y : -f.y, headPoint: l.headCenter)
    }

    static func meanDensity(_ density: Volume<Float>, _ labels: Volume<UInt8>, _ set: Set<UInt8>) -> Double {
        var sum = 0.0, n = 0
        for i in labels.voxels.indices where set.contains(labels.voxels[i]) { sum += Double(density.voxels[i]); n += 1 }
        return n > 0 ? sum / Double(n) : 0
    }

    /// The exponent of the law's compressive yield stress at a K2HPO4 density (strength ∝ σ_y ∝ ρ^p).
    static func yieldExponent(_ law: BoneMaterialLaw, atK2HPO4 rhoK: Double) -> Double {
        let rho = law.measure.density(fromK2HPO4: rhoK)
        let compression: PiecewisePowerLaw
        switch law.yield {
        case .stresses(let c, _)?: compression = c
        case .compressiveStress(let c, _)?: compression = c
        default: compression = law.modulus   // yield strains fixed: σ_y = ε_y·E follows the modulus law
        }
        return (compression.pieces.first { rho <= $0.upperDensity } ?? compression.pieces.last)?.exponent ?? 1
    }
}
