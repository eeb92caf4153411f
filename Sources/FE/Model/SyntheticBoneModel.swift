// A synthetic bone-like compression model for solver benchmarks and scaling tests: a cylinder with
// a stiff cortical shell, a heterogeneous trabecular core (moduli over four decades) and PMMA caps.
import Foundation
import OpenBCTCore

extension FEModel {
    /// A vertical cylinder of about `targetElements` cubes (edge 1 mm, height 2× the diameter)
    /// compressed between two PMMA caps: the bottom cap face is fixed, the top cap face moved by
    /// −0.68 % of the height along z (the Ogo vertebral endpoint). The core modulus is a smooth random
    /// field times voxel noise spanning 1–10⁴ MPa, the outer two voxels a cortical shell of
    /// 15 GPa, the caps PMMA (2.5 GPa, material 1). Deterministic for a given `seed`.
    /// Reaction node sets: "top", "bottom".
    public static func syntheticBone(targetElements: Int, seed: UInt64 = 1) -> FEModel {
        // Volume of the cylinder ≈ π/4·D²·2D = π/2·D³.
        let diameter = max(6, Int(cbrt(Double(targetElements) / (Double.pi / 2)).rounded()))
        let height = 2 * diameter
        let dims = SIMD3(diameter, diameter, height)
        let cap = max(2, height / 12)
        var rng = seed &* 0x9E3779B97F4A7C15 | 1
        func uniform() -> Double {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Double(rng >> 11) / Double(1 << 53)
        }
        // Smooth field: a sum of random plane waves with wavelengths of 4–16 voxels.
        let waves: [(Vec3, Double)] = (0..<12).map { _ in
            let dir = normalize(Vec3(uniform() - 0.5, uniform() - 0.5, uniform() - 0.5))
            return (dir * (2 * Double.pi / (4 + 12 * uniform())), 2 * Double.pi * uniform())
        }
        var elements: [Int32] = [], modulus: [Float] = [], material: [UInt8] = []
        let r = Double(diameter) / 2
        func radial(_ i: Int, _ j: Int) -> Double { length(Vec3(Double(i) + 0.5 - r, Double(j) + 0.5 - r, 0)) }
        for k in 0..<height { for j in 0..<diameter { for i in 0..<diameter {
            let p = Vec3(Double(i) + 0.5, Double(j) + 0.5, Double(k) + 0.5)
            let radial = radial(i, j)
            guard radial <= r else { continue }
            elements.append(Int32(i + diameter * (j + diameter * k)))
            if k < cap || k >= height - cap {
                modulus.append(2500); material.append(FEModel.pmmaMaterial)
            } else if radial > r - 2 {
                modulus.append(15000); material.append(FEModel.boneMaterial)
            } else {
                var s = 0.0
                for (kv, phase) in waves { s += sin(dot(kv, p) + phase) }
                let v = min(1, max(0, 0.5 + s / (2 * 12.0.squareRoot()) + 0.15 * (uniform() - 0.5)))
                modulus.append(Float(pow(10, 4 * v))); material.append(FEModel.boneMaterial)
            }
        } } }
        var model = FEModel(voxelSize: 1, dims: dims, elements: elements, youngsModulus: modulus, materialID: material)
        var top: [Int32] = [], bottom: [Int32] = []
        for j in 0...diameter { for i in 0...diameter {
            // An end-face node belongs to an element when one of its four adjacent columns is in the disc.
            let inDisc = [(i - 1, j - 1), (i, j - 1), (i - 1, j), (i, j)].contains { a, b in
                a >= 0 && b >= 0 && a < diameter && b < diameter && radial(a, b) <= r
            }
            guard inDisc else { continue }
            bottom.append(model.nodeIndex(i, j, 0)); top.append(model.nodeIndex(i, j, height))
        } }
        let shortening = -0.0068 * Double(height)
        model.constraints = bottom.flatMap { n in (0..<3).map { Constraint(node: n, dof: UInt8($0), value: 0) } }
            + top.map { Constraint(node: $0, dof: 2, value: shortening) }
        model.reactionNodeSets = ["top": top, "bottom": bottom]
        return model
    }
}
