// The FE work of an analysis as independent jobs — each femur, and the spine's level chain — so that
// they can be solved side by side (`JobPool`) and their outcomes recorded in a fixed order.
import Anatomy
import Foundation
import OpenBCTCore
import ResultModel

/// One bone's FE job.
enum StrengthJob: Sendable {
    /// The sideways-fall strength of one whole femur.
    case femur(FemurSummary, fraction: Double)
    /// The compression strength of the first eligible level of `SpineStrengthLevel.order` (methods.md §10).
    case spineChain

    /// What a job produced, and the stage times of its solves in the order they ran.
    struct Outcome {
        enum Kind {
            case femur(FemurSummary, Result<SolvedBone, Error>)
            /// The solved level (nil: none eligible) and every level passed over, with its reason.
            case spine(SolvedBone?, refused: [LevelRefusal])
        }
        var kind: Kind
        var timings: [StageTiming]
    }

    /// Runs the job on the (whole-scan) density and labels. Reads only its arguments, so jobs may run at once.
    func run(_ strength: StrengthStage, density: Volume<Float>, labels: Volume<UInt8>, vertebrae: [VertebraSummary],
             clock: StageClock) -> Outcome {
        switch self {
        case .femur(let f, let fraction):
            let (result, timing) = clock.measure("fe-hip-\(f.side.rawValue)", fraction, "nonlinear sideways-fall strength, \(f.side.rawValue) femur") {
                try strength.femur(f, density: density, labels: labels)
            }
            return Outcome(kind: .femur(f, result), timings: [timing])
        case .spineChain:
            var refused: [LevelRefusal] = [], timings: [StageTiming] = []
            for level in SpineStrengthLevel.order {
                if let reason = SpineStrengthLevel.screen(level, vertebrae: vertebrae) {
                    refused.append(LevelRefusal(level: level.name, reason: reason)); continue
                }
                let (result, timing) = clock.measure("fe-spine-\(level.name)", 0.65, "nonlinear compression strength, \(level.name)") {
                    try strength.vertebra(level: level, density: density, labels: labels)
                }
                timings.append(timing)
                switch result {
                case .success(var bone):
                    if let problem = StrengthPlausibility.problem(bone.record) {
                        refused.append(LevelRefusal(level: level.name, reason: "model not physiological: \(problem)")); continue
                    }
                    bone.record.levelSelection = SpineStrengthLevel.selection(used: level, refused: refused)
                    return Outcome(kind: .spine(bone, refused: refused), timings: timings)
                case .failure(let error):
                    refused.append(LevelRefusal(level: level.name, reason: "FE failed: \(error)"))
                }
            }
            return Outcome(kind: .spine(nil, refused: refused), timings: timings)
        }
    }
}
