// The femur pipeline on a real proximal femur: an HU volume made from the calibrated density of
// ../shared/data/fe-reference/femur_left_mini (parosol-py fixtures, GPL-2.0-or-later; derived from an
// Ogo/FAIM bundle) by a known calibration, with soft tissue, a fat layer and noise around it.
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
@testable import Anatomy
import TestSupport

/// Deterministic normal noise (SplitMix64 + Box–Muller) so the test volume is reproducible.
struct SeededNoise {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double(z ^ (z >> 31)) / Double(UInt64.max)
    }
    mutating func normal() -> Double {
        let u = max(1e-12, next()), v = next()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// The test CT: density → HU = a + b·ρ inside the fixture's box; around it muscle, then fat.
struct FemurTestCT {
    static let slope = 1.22, intercept = -2.0   // HU per mg/cm³ K2HPO4, HU at ρ = 0 [U: a typical 120 kVp fit]
    static let padLow = 110, padHigh = 10, padY = 10, fatMM = 8.0, noiseHU = 20.0
    var hu: Volume<Float>
    var reference: Mask   // label 2 on the padded grid
    var scoredSlices: ClosedRange<Int>   // the slices the reference label spans

    init() throws {
        let density = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/density.nii.gz")).asFloat()
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz")).asLabels()
        let g = density.grid, n = g.dims
        let dims = SIMD3(n.x + FemurTestCT.padLow + FemurTestCT.padHigh, n.y + 2 * FemurTestCT.padY, n.z)
        let origin = g.physicalPoint(index: Vec3(Double(-FemurTestCT.padLow), Double(-FemurTestCT.padY), 0))
        let grid = ImageGrid(dims: dims, spacing: g.spacing, origin: origin, direction: g.direction)
        var noise = SeededNoise(state: 20261129)
        var hu = Volume<Float>(grid: grid, repeating: 0)
        var ref = Mask.empty(on: grid)
        for k in 0..<dims.z { for j in 0..<dims.y { for i in 0..<dims.x {
            let si = i - FemurTestCT.padLow, sj = j - FemurTestCT.padY
            let value: Double
            if g.contains(si, sj, k) {
                value = FemurTestCT.intercept + FemurTestCT.slope * Double(density[si, sj, k])
                if labels[si, sj, k] == 2 { ref[i, j, k] = 1 }
            } else {
                let edge = min(Double(i) * g.spacing.x, Double(dims.x - 1 - i) * g.spacing.x,
                               Double(j) * g.spacing.y, Double(dims.y - 1 - j) * g.spacing.y)
                value = edge < FemurTestCT.fatMM ? -100 : 40
            }
            hu[i, j, k] = Float(value + FemurTestCT.noiseHU * noise.normal())
        } } }
        self.hu = hu; reference = ref
        let ks = ref.voxels.indices.filter { ref.voxels[$0] != 0 }.map { $0 / (dims.x * dims.y) }
        scoredSlices = ks.min()!...ks.max()!
    }
}

@Suite("Femur on the real femur_left_mini density")
struct FemurRealTests {
    @Test("the femur is separated from the acetabulum: Dice ≥ 0.92 and surface distance ≤ 1 mm vs label 2; head sphere plausible",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func realFemur() throws {
        let ct = try FemurTestCT()
        let hip = FemurSegmenter().segment(hu: ct.hu)
        print("findings:", hip.findings, hip.femurs.map { $0.findings })
        let femur = try #require(hip.femurs.first)
        // The reference label stops 6 slices short of both ends of its grid (the fixture's crop
        // margin): score inside its slice range only, as for partial vertebrae.
        var ours = Mask.empty(on: ct.hu.grid)
        let slab = ct.hu.grid.dims.x * ct.hu.grid.dims.y
        for i in femur.voxels where ct.scoredSlices.contains(i / slab) { ours.voxels[i] = 1 }
        let dice = OverlapMetrics.dice(ours, ct.reference), msd = OverlapMetrics.meanSurfaceDistance(ours, ct.reference)
        print("femur \(femur.side): Dice \(String(format: "%.3f", dice)) MSD \(String(format: "%.2f", msd)) mm ours \(ours.setCount) ref \(ct.reference.setCount)")
        if let l = femur.landmarks {
            print("head c \(ct.hu.grid.continuousIndex(physical: l.headCenter)) r \(l.headRadiusMM) rms \(l.headFitRMSMM) NSA \(l.neckShaftAngleDeg) cut \(String(describing: femur.distalCut))")
        }
        // The fixture is called femur_left, yet in its NIfTI's physical space (RAS affine, +i to the
        // patient's right) the head lies toward the patient's left of the shaft: the geometry of a
        // right femur (a mirrored affine). The side is read from that geometry, whatever the
        // padding makes of the body's midline.
        #expect(femur.side == .right)
        #expect(dice >= 0.92)
        #expect(msd <= 1.0)
        // The fixture starts in the trochanteric flare: no shaft below the lesser trochanter, so the
        // femur must be reported as cut by the field of view and the shaft axis is not scored here.
        #expect(femur.findings.contains { $0.kind == .femurCutByFieldOfView })
        let l = try #require(femur.landmarks)
        #expect(l.headRadiusMM > 18 && l.headRadiusMM < 30)
        #expect(l.headFitRMSMM < 2)
    }
}
