import Testing
@testable import Pipeline
import ResultModel

@Suite("strength plausibility gate")
struct StrengthPlausibilityTests {
    static func record(_ site: AnalysisSite, strength: Double, stiffness: Double) -> StrengthRecord {
        StrengthRecord(site: site, side: site == .hip ? .left : nil, level: site == .spine ? "L1" : nil, protocolName: "test",
                       materialLaw: "test", voxelSize_mm: 1, elements: 1000, linearStiffness_N_per_mm: stiffness, strength_N: strength,
                       displacementAtPeak_mm: 0.5, converged: true, interval: nil, curve: [], fallDirections: [], drivesClass: true,
                       failedTissueFigure: nil, seconds: 1, notes: [])
    }

    @Test("the abdomen-3mm L1 (120 N, 1,749 N/mm) is refused; typical whole bones pass")
    func gate() {
        let bad = StrengthPlausibility.problem(Self.record(.spine, strength: 120, stiffness: 1_749))
        #expect(bad?.contains("strength 120 N outside 500–30000 N") == true, "\(bad ?? "nil")")
        // methods.md §6 reference stiffnesses (L4 23,297 N/mm; femur 1,603 N/mm) with strengths inside the class tables.
        #expect(StrengthPlausibility.problem(Self.record(.spine, strength: 5_000, stiffness: 23_297)) == nil)
        #expect(StrengthPlausibility.problem(Self.record(.hip, strength: 3_500, stiffness: 1_603)) == nil)
        let stiff = StrengthPlausibility.problem(Self.record(.hip, strength: 3_500, stiffness: 80_000))
        #expect(stiff?.contains("stiffness 80000 N/mm") == true && stiff?.contains("strength") == false)
    }
}
