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
    /// Linear stiffness of the same protocol with the bone mask eroded and dilated by one voxel (nil when not solved).
    var segmentationStiffness: SegmentationStiffness?
}

struct StrengthStage {
    var options: AnalysisOptions

    static let hipLaw = BoneMaterialLaw.femurMorgan, spineLaw = BoneMaterialLaw.vertebraKopperdahl
    /// Deformation limits (methods.md §10 [U]).
    static let hipLimit = 0.04, spineLimit = 0.02

    /// Nonlinear sideways-fall strength of one femur.
    func femur(_ f: FemurSummary, density fullDensity: Volume<Float>, labels fullLabels: Volume<UInt8>) throws -> SolvedBone {
        let start = Date()
        let (density, labels) = SiteCrop.crop(density: fullDensity, labels: fullLabels, to: [f.label])
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
                         density: density, labels: labels, labelSet: [f.label], directions: directions, notes: notes, start: start) {
            try hip.build(density: density, labels: $0, femurFrame: frame)
        }
    }

    /// Nonlinear compression strength of one vertebral body (clinical mode: posterior elements removed).
    func vertebra(level: VertebralLevel, density fullDensity: Volume<Float>, labels fullLabels: Volume<UInt8>) throws -> SolvedBone {
        let start = Date()
        let (density, labels) = SiteCrop.crop(density: fullDensity, labels: fullLabels, to: [AnatomyLabel.body(level)])
        let vc = VertebralCompression(mode: .clinical, bodyLabel: Int32(AnatomyLabel.body(level)),
                                      posteriorLabels: [Int32(AnatomyLabel.posterior(level))],
                                      caps: CapGeometry(conforming: true), voxelSize: options.feVoxelSize,
                                      materials: .ogoCompatible(law: Self.spineLaw))
        let built = try vc.build(density: density, labels: labels)
        return try solve(built, site: .spine, side: nil, level: level.name, limit: Self.spineLimit, law: Self.spineLaw, density: density,
                         labels: labels, labelSet: [AnatomyLabel.body(level)], directions: [], notes: ["vertebral frame from the body's principal axes",
                                                                   "PMMA caps conforming to the endplates (filled up to the first bone cell of each column that holds bone at the body's mid-height)"],
                         start: start) { try vc.build(density: density, labels: $0) }
    }

    /// Scales the linear endpoint to the deformation limit and runs the elastic–perfectly plastic solve;
    /// with `options.segmentationPerturbation`, `rebuild` remakes the model on perturbed labels for the
    /// segmentation component of the interval (two linear solves).
    private func solve(_ built: LoadCaseModel, site: AnalysisSite, side: BodySide?, level: String?, limit: Double, law: BoneMaterialLaw,
                       density: Volume<Float>, labels: Volume<UInt8>, labelSet: Set<UInt8>, directions: [FallDirectionStiffness],
                       notes: [String], start: Date, rebuild: (Volume<UInt8>) throws -> LoadCaseModel) throws -> SolvedBone {
        let (result, retryNote) = try Self.strength(built, options: StrengthOptions(
            deformationLimit: limit, criterion: .principalStrain, steps: options.nonlinearSteps,
            linear: SolverOptions(relativeTolerance: options.solverTolerance), stopAfterDecline: options.stopAfterDecline))
        let curve = result.curve
        let record = StrengthRecord(
            site: site, side: side, level: level, protocolName: built.summary.protocolName, materialLaw: law.name,
            voxelSize_mm: options.feVoxelSize, elements: built.model.elements.count, linearStiffness_N_per_mm: curve.linearStiffness,
            strength_N: curve.strength, displacementAtPeak_mm: curve.displacementAtPeak, converged: true, interval: nil,
            curve: curve.points.map { CurvePoint(displacement_mm: $0.displacement, force_N: $0.force, yieldedFraction: $0.yieldedElementFraction) },
            fallDirections: directions, drivesClass: false, failedTissueFigure: nil, seconds: Date().timeIntervalSince(start),
            notes: notes + (retryNote.map { [$0] } ?? []) + ["strength = peak reaction within \(limit * 100) % of the reference length (\(String(format: "%.1f", built.summary.referenceLength)) mm); \(result.criterionDescription)"]
                + (curve.stoppedAfterPeak ? [Self.curveEndNote(curve)] : []))
        var bone = SolvedBone(record: record, failedTissue: curve.failedTissue, model: result.model,
                              meanDensity: Self.meanDensity(density, labels, labelSet), law: law)
        if options.segmentationPerturbation, let label = labelSet.first {
            // The strength stands without its segmentation component: a perturbed model that cannot be
            // built or solved only drops the component, with a note.
            let t = Date()
            do {
                bone.segmentationStiffness = try SegmentationStiffness.solve(labels: labels, label: label, nominal: curve.linearStiffness,
                                                                             tolerance: options.solverTolerance, rebuild: rebuild)
                bone.record.notes.append(String(format: "segmentation perturbation (mask eroded / dilated, two linear solves): %.1f s", Date().timeIntervalSince(t)))
            } catch {
                bone.record.notes.append("segmentation component of the interval omitted: the eroded/dilated model failed (\(error))")
            }
            bone.record.seconds = Date().timeIntervalSince(start)
        }
        return bone
    }

    /// The nonlinear strength; when the solve stops unconverged (an increment that fails down to the
    /// smallest step, typically Newton cycling just above the 10⁻³ equilibrium tolerance while yielded
    /// points switch), it is solved once more from the start on another increment path — first
    /// increment 1/(1.5·steps) — and the returned note says so. A second failure is the error.
    static func strength(_ built: LoadCaseModel, options: StrengthOptions,
                         solve: (LoadCaseModel, StrengthOptions) throws -> StrengthResult = StrengthAnalysis.run) throws -> (StrengthResult, String?) {
        do {
            return (try solve(built, options), nil)
        } catch let first as FEError {
            guard case .notConverged = first else { throw first }
            var retry = options
            retry.steps = max(options.steps + 1, options.steps * 3 / 2)
            let result = try solve(built, retry)
            return (result, "solved on a second increment path (first increment 1/\(retry.steps) of the limit): the first path " +
                            "(1/\(options.steps)) stopped unconverged — \(first)")
        }
    }

    /// Anatomy's femur frame in FE's form (methods.md §10 axes; anterior = ±y facing LPS −y).
    static func feFrame(_ l: FemurLandmarks) throws -> FE.FemurFrame {
        let f = l.frame
        let frame = try LatticeFrame(origin: f.origin, axes: Matrix3(columns: f.x, f.y, f.z))
        return FE.FemurFrame(frame: frame, anterior: dot(f.y, Vec3(0, -1, 0)) >= 0 ? f.y : -f.y, headPoint: l.headCenter)
    }

    /// Where a curve ended early, for the record's notes.
    static func curveEndNote(_ curve: ForceDisplacementCurve) -> String {
        let peak = curve.points[curve.peakIndex], last = curve.points[curve.points.count - 1]
        return String(format: "curve ended at %.3f mm, %d increments and %.3f mm past its peak (force there %.1f %% of the peak): the strength is the peak of the curve as traced",
                      last.displacement, curve.points.count - 1 - curve.peakIndex, last.displacement - peak.displacement, 100 * last.force / peak.force)
    }

    static func meanDensity(_ density: Volume<Float>, _ labels: Volume<UInt8>, _ set: Set<UInt8>) -> Double {
        var wanted = [Bool](repeating: false, count: 256)
        for v in set { wanted[Int(v)] = true }
        var sum = 0.0, n = 0
        for i in labels.voxels.indices where wanted[Int(labels.voxels[i])] { sum += Double(density.voxels[i]); n += 1 }
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
