// StrengthAnalysis on the real L4 and femur of ../shared/data/fe-reference at 3 mm (small, fast):
// the pipeline's entry point — stiffness, strength, curve, failed-tissue map on the density grid.
import Foundation
import ImageFormats
import OpenBCTCore
import Testing
import TestSupport
@testable import FE

@Suite("FE strength analysis", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct StrengthAnalysisTests {
    /// What every strength result must satisfy, whatever the anatomy.
    func checkConsistency(_ built: LoadCaseModel, _ result: StrengthResult, density: Volume<Float>) throws {
        // The nonlinear solve's elastic start equals an independent linear solve of the protocol's model.
        let linear = try LinearSolver.solve(built.model)
        let k = built.stiffness(reaction: try #require(linear.reactionTotals[loadedNodeSet]))
        #expect(abs(result.stiffness / k - 1) < 1e-4, "stiffness \(result.stiffness) vs linear \(k) N/mm")
        let points = result.curve.points
        #expect(points.last!.factor == 1)
        #expect(abs(points.last!.displacement - result.limitDisplacement) < 1e-9)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.displacement < $1.displacement })
        if case .relativeResidual(let tolerance) = result.options.convergence {
            #expect(points.dropFirst().allSatisfy { $0.relativeResidual <= tolerance })
        }
        // Below the elastic line, above zero; the first point (still elastic) on it.
        #expect(result.strength > 0 && result.strength < k * result.limitDisplacement * 1.0001)
        let first = points[1]
        if first.yieldedElementFraction == 0 { #expect(abs(first.force / (k * first.displacement) - 1) < 1e-3) }
        // The failed-tissue map on the density grid: values in [0, 1], some tissue failed, none outside the mask.
        let map = result.failedTissueMap(on: density.grid)
        #expect(map.grid.dims == density.grid.dims)
        #expect(map.voxels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(map.voxels.contains { $0 > 0 })
    }

    @Test("L4 at 3 mm, Kopperdahl, principal strain: a converged curve, strength below the elastic line, failed-tissue map")
    func vertebra() throws {
        let (density, labels) = try ReferenceData.volumes("vertebra_l4_mini")
        let built = try VertebralCompression(voxelSize: 3).build(density: density, labels: labels,
                                                                 frame: LatticeFrame.imageAxes(of: density.grid))
        let result = try StrengthAnalysis.run(built)
        print("L4 3 mm: strength \(result.strength) N at \(result.displacementAtPeak) mm, k \(result.stiffness) N/mm, "
              + "increments \(result.curve.points.count - 1), Newton \(result.curve.points.map(\.iterations)), "
              + "PCG \(result.curve.points.map(\.pcgIterations)), \(result.curve.seconds) s")
        #expect(result.deformationLimit == 0.02)
        try checkConsistency(built, result, density: density)
        // Ending the curve once the force has fallen for two increments keeps the same peak (the
        // increments up to it are the same computation) and skips the rest of the curve.
        try #require(result.curve.points.count - 1 - result.curve.peakIndex >= 2, "the L4 curve falls after its peak")
        let early = try StrengthAnalysis.run(built, options: StrengthOptions(stopAfterDecline: DeclineStop(increments: 2)))
        #expect(early.curve.stoppedAfterPeak && !result.curve.stoppedAfterPeak)
        #expect(abs(early.strength / result.strength - 1) < 1e-12 && early.displacementAtPeak == result.displacementAtPeak)
        #expect(early.curve.points.count == result.curve.peakIndex + 3)
        // With a span the curve runs on to the first point that far past the peak (share of the limit).
        let peakFactor = result.curve.points[result.curve.peakIndex].factor
        let stop = try #require(result.curve.points.firstIndex { $0.factor - peakFactor >= 0.3 - 1e-12 })   // the rule's rounding allowance
        let spanned = try StrengthAnalysis.run(built, options: StrengthOptions(stopAfterDecline: DeclineStop(increments: 1, limitShare: 0.3)))
        #expect(spanned.curve.stoppedAfterPeak && spanned.curve.points.count == stop + 1 && spanned.strength == result.strength)
        // The von Mises option runs on the same load case (σ_y = E·ε_yc: symmetric, so not the same number).
        let vonMises = try StrengthAnalysis.run(built, options: StrengthOptions(criterion: .vonMises))
        #expect(vonMises.strength > 0 && abs(vonMises.stiffness / result.stiffness - 1) < 1e-6)
    }

    @Test("femur sideways fall at 3 mm, Morgan piecewise yield: a converged curve and failed-tissue map")
    func femur() throws {
        let (density, labels) = try ReferenceData.volumes("femur_left_mini")
        let built = try HipLoadCase(femurLabels: [2], voxelSize: 3, materials: .ogoCompatible(law: .femurMorgan))
            .build(density: density, labels: labels)
        let result = try StrengthAnalysis.run(built)
        print("femur 3 mm: strength \(result.strength) N at \(result.displacementAtPeak) mm, k \(result.stiffness) N/mm, "
              + "Newton \(result.curve.points.map(\.iterations)), \(result.curve.seconds) s")
        #expect(result.deformationLimit == 0.04)
        try checkConsistency(built, result, density: density)
    }

    @Test("a law without yield is refused with the law named")
    func noYield() throws {
        let (density, labels) = try ReferenceData.volumes("femur_left_mini")
        let built = try HipLoadCase(femurLabels: [2], voxelSize: 3, materials: .ogoCompatible(law: .femurKeyak))
            .build(density: density, labels: labels)
        #expect(throws: InputError.self) { try StrengthAnalysis.run(built) }
    }
}
