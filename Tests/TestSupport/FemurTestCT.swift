// The real proximal femur of ../shared/data/fe-reference/femur_left_mini (parosol-py fixtures,
// GPL-2.0-or-later; derived from an Ogo/FAIM bundle) as a CT: its calibrated density turned into HU
// by a known line, inside soft tissue, with optional noise. Shared by the Anatomy and Densitometry tests.
import Foundation
import OpenBCTCore
import ImageFormats

/// Deterministic normal noise (SplitMix64 + Box–Muller) so a test volume is reproducible.
public struct SeededNoise {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double(z ^ (z >> 31)) / Double(UInt64.max)
    }
    public mutating func normal() -> Double {
        let u = max(1e-12, next()), v = next()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// The test CT: the fixture's box (density → HU = intercept + slope·ρ) inside a body of muscle
/// (40 HU) with an 8 mm fat rim (−100 HU), `padLow` voxels beyond the box toward −i (the side the
/// head points to in the fixture's frame), `padHigh` toward +i and `padY` front and back. Call only
/// when `TestPaths.hasSharedData`.
public struct FemurTestCT {
    public static let slope = 1.22, intercept = -2.0   // HU per mg/cm³ K2HPO4, HU at ρ = 0 [U: a typical 120 kVp fit]
    public static let padLow = 110, padHigh = 10, padY = 10, fatMM = 8.0
    /// HU on the padded grid.
    public var hu: Volume<Float>
    /// The fixture's density (mg/cm³ K2HPO4) on the padded grid, 0 outside its box.
    public var density: Volume<Float>
    /// The fixture's femur (its label 2) on the padded grid.
    public var reference: Volume<UInt8>
    /// The fixture's own label map and grid (unpadded), for import tests.
    public var fixtureLabels: Volume<Int32>
    /// The slices the reference label spans (it stops 6 slices short of both grid ends).
    public var scoredSlices: ClosedRange<Int>
    /// Linear indices of the reference femur on the padded grid.
    public var referenceVoxels: [Int] { reference.voxels.indices.filter { reference.voxels[$0] != 0 } }

    /// - Parameters:
    ///   - noiseHU: standard deviation of the normal noise added everywhere (seeded).
    ///   - slope: HU per mg/cm³ of the density → HU line inside the fixture's box.
    ///   - intercept: HU at ρ = 0 of that line.
    public init(noiseHU: Double = 20, slope: Double = FemurTestCT.slope, intercept: Double = FemurTestCT.intercept) throws {
        let rho = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/density.nii.gz")).asFloat()
        let labels = try NIfTI.read(contentsOf: TestPaths.shared("fe-reference/femur_left_mini/labels.nii.gz")).asLabels()
        let g = rho.grid, n = g.dims
        let dims = SIMD3(n.x + FemurTestCT.padLow + FemurTestCT.padHigh, n.y + 2 * FemurTestCT.padY, n.z)
        let origin = g.physicalPoint(index: Vec3(Double(-FemurTestCT.padLow), Double(-FemurTestCT.padY), 0))
        let grid = ImageGrid(dims: dims, spacing: g.spacing, origin: origin, direction: g.direction)
        var noise = SeededNoise(state: 20261129)
        var hu = Volume<Float>(grid: grid, repeating: 0), density = Volume<Float>(grid: grid, repeating: 0)
        var ref = Volume<UInt8>(grid: grid, repeating: 0)
        for k in 0..<dims.z { for j in 0..<dims.y { for i in 0..<dims.x {
            let si = i - FemurTestCT.padLow, sj = j - FemurTestCT.padY
            let value: Double
            if g.contains(si, sj, k) {
                density[i, j, k] = rho[si, sj, k]
                value = intercept + slope * Double(rho[si, sj, k])
                if labels[si, sj, k] == 2 { ref[i, j, k] = 1 }
            } else {
                let edge = min(Double(i) * g.spacing.x, Double(dims.x - 1 - i) * g.spacing.x,
                               Double(j) * g.spacing.y, Double(dims.y - 1 - j) * g.spacing.y)
                value = edge < FemurTestCT.fatMM ? -100 : 40
            }
            hu[i, j, k] = Float(noiseHU > 0 ? value + noiseHU * noise.normal() : value)
        } } }
        self.hu = hu; self.density = density; reference = ref; fixtureLabels = labels
        let ks = ref.voxels.indices.filter { ref.voxels[$0] != 0 }.map { $0 / (dims.x * dims.y) }
        scoredSlices = ks.min()!...ks.max()!
    }
}
