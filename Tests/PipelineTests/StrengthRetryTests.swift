import FE
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport
@testable import Pipeline

/// `StrengthStage.strength`: a nonlinear solve that stops unconverged is solved once more on another
/// increment path, with a note; anything else, or a second failure, is the error.
@Suite("strength: second increment path after an unconverged solve")
struct StrengthRetryTests {
    /// The fe-reference L4 (Ogo compression protocol) at 4 mm elements: a real model that solves in about a second.
    static func l4() throws -> LoadCaseModel {
        let density = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/vertebra_l4_mini/density.nii.gz")).asFloat()
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/vertebra_l4_mini/labels.nii.gz")).asLabels()
        return try VertebralCompression(voxelSize: 4).build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
    }

    static let cycling = FEError.notConverged(iterations: 10, residual: 1.05e-3, tolerance: 1e-3)

    @Test("an unconverged first path is re-solved from 1/(1.5·steps) of the limit and the note names both paths",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func secondPath() throws {
        let built = try Self.l4()
        var tried: [Int] = []
        let (result, note) = try StrengthStage.strength(built, options: StrengthOptions(steps: 4)) { model, options in
            tried.append(options.steps)
            if tried.count == 1 { throw Self.cycling }
            return try StrengthAnalysis.run(model, options: options)
        }
        #expect(tried == [4, 6])
        #expect(result.options.steps == 6 && result.strength > 0)
        let text = try #require(note)
        #expect(text.contains("1/6") && text.contains("(1/4) stopped unconverged") && text.contains("did not converge"), "\(text)")
    }

    @Test("a converged first path carries no note; a second failure and a non-convergence-unrelated error are thrown",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func failures() throws {
        let built = try Self.l4()
        #expect(try StrengthStage.strength(built, options: StrengthOptions(steps: 4)).1 == nil)
        var tried: [Int] = []
        #expect(throws: FEError.self) {
            _ = try StrengthStage.strength(built, options: StrengthOptions(steps: 12)) { _, options in
                tried.append(options.steps); throw Self.cycling
            }
        }
        #expect(tried == [12, 18], "one retry, then the error")
        tried = []
        #expect(throws: FEError.invalidModel("x")) {
            _ = try StrengthStage.strength(built, options: StrengthOptions(steps: 12)) { _, options in
                tried.append(options.steps); throw FEError.invalidModel("x")
            }
        }
        #expect(tried == [12], "only an unconverged solve is retried")
    }
}
