// Variations later stages rely on: contrast, metal, a missing femur, HA rods, age.
import Foundation
import Testing
import OpenBCTCore
import Phantom

@Suite("Phantom variations")
struct PhantomOptionTests {
    /// A few 1.6 mm slices at height `z` (mm) with `change` applied to the default options.
    static func slab(_ z: ClosedRange<Double>, _ change: (inout PhantomOptions) -> Void) throws -> PhantomCase {
        var o = PhantomOptions()
        o.pixelSpacing = 1.6; o.sliceThickness = 2; o.zCoverage = [z.lowerBound, z.upperBound]
        change(&o)
        return try PhantomGenerator(o).generate()
    }

    /// Mean HU over voxels of `label` whose in-plane neighbours within `margin` pixels share it.
    static func interiorMean(_ p: PhantomCase, label: UInt8, margin: Int) -> (mean: Double, count: Int) {
        let n = p.labels.dims
        var sum = 0.0, count = 0
        for k in 0..<n.z { for j in margin..<(n.y - margin) { for i in margin..<(n.x - margin) where p.labels[i, j, k] == label {
            var inside = true
            for dj in -margin...margin { for di in -margin...margin where p.labels[i + di, j + dj, k] != label { inside = false } }
            if inside { sum += Double(p.hu[i, j, k]); count += 1 }
        } } }
        return (count > 0 ? sum / Double(count) : .nan, count)
    }

    @Test("contrast raises aortic HU by the iodine model; without it the aorta is blood")
    func contrast() throws {
        let plain = try Self.slab(200...210) { _ in }
        let enhanced = try Self.slab(200...210) { $0.contrast = true }
        let model = enhanced.truth.hounsfieldModel
        let expected = model.materialHU["blood"]! + model.iodineSlope * enhanced.truth.options.arterialIodine
        let a = Self.interiorMean(enhanced, label: PhantomLabel.aorta, margin: 3)
        let b = Self.interiorMean(plain, label: PhantomLabel.aorta, margin: 3)
        #expect(a.count > 20 && b.count > 20)
        #expect(abs(a.mean - expected) < 8, "aorta with contrast \(a.mean) HU vs model \(expected)")
        #expect(abs(b.mean - model.materialHU["blood"]!) < 8, "aorta without contrast \(b.mean) HU")
    }

    @Test("a hip implant replaces head and neck with clipped metal and adds streaks")
    func metal() throws {
        let plain = try Self.slab(-4...4) { $0.noiseHU = 0 }
        let implant = try Self.slab(-4...4) { $0.noiseHU = 0; $0.metal = .left }
        #expect(implant.labels.voxels.contains(PhantomLabel.implantMetal))
        #expect(implant.hu.voxels.contains(3071))
        #expect(implant.truth.femurs.first { $0.side == .left }?.replacedByImplant == true)
        #expect((implant.truth.mineralMass["femur_left"] ?? 0) < 0.5 * (plain.truth.mineralMass["femur_left"] ?? 0))
        // Streaks: noise-free muscle (≥ 3 pixels and a slice from any other tissue) is no longer uniform.
        func spread(_ p: PhantomCase) -> Double {
            let n = p.labels.dims, m = 3
            var values: [Double] = []
            for k in 1..<(n.z - 1) { for j in m..<(n.y - m) { for i in m..<(n.x - m) where p.labels[i, j, k] == PhantomLabel.muscle {
                var inside = true
                for dk in -1...1 { for dj in -m...m { for di in -m...m where p.labels[i + di, j + dj, k + dk] != PhantomLabel.muscle {
                    inside = false
                } } }
                if inside { values.append(Double(p.hu[i, j, k])) }
            } } }
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        #expect(spread(plain) < 1, "noise-free muscle spread \(spread(plain)) HU")
        #expect(spread(implant) > 10, "muscle HU spread with metal \(spread(implant)) HU")
    }

    @Test("a missing femur leaves no femur labels on that side; the other is intact")
    func missingFemur() throws {
        let p = try Self.slab(-4...4) { $0.missingFemur = .right }
        let right = [PhantomLabel.femurRightCortical, PhantomLabel.femurRightTrabecular, PhantomLabel.femurRightMarrow]
        #expect(!p.labels.voxels.contains { right.contains($0) })
        #expect(p.labels.voxels.contains(PhantomLabel.femurLeftTrabecular))
        #expect(p.truth.femurs.map(\.side) == [.left])
    }

    @Test("HA rods carry HA densities in truth and their K2HPO4 equivalent in the density map")
    func hydroxyapatiteRods() throws {
        let p = try Self.slab(0...4) { $0.rods = .ha }
        for rod in p.truth.rods {
            #expect(rod.material == "ha")
            #expect(abs(rod.k2hpo4Equivalent - (0.839 * rod.density + 30.9) / 1.06) < 1e-3)
            #expect(abs(rod.expectedHU - p.truth.hounsfieldModel.hydroxyapatiteSlope * rod.density) < 1e-2)
        }
    }

    @Test("older age lowers trabecular density in proportion to the documented rule")
    func age() throws {
        let young = try Self.slab(230...244) { $0.age = 30 }
        let old = try Self.slab(230...244) { $0.age = 80 }
        // A point deep in L1's trabecular core, clear of the basivertebral vein (posterolateral quadrant).
        let v = young.truth.vertebrae[1]
        let point = v.bodyCentre + Vec3(0.5 * v.semiAxes[0], 0.4 * v.semiAxes[1], 0)
        let idx = young.density.grid.continuousIndex(physical: point).rounded(.toNearestOrEven)
        let (i, j, k) = (Int(idx.x), Int(idx.y), Int(idx.z))
        #expect(young.labels[i, j, k] == PhantomLabel.vertebra(1, .bodyTrabecular))
        let ratio = Double(old.density[i, j, k] / young.density[i, j, k])
        #expect(abs(ratio - old.truth.trabecularScale / young.truth.trabecularScale) < 1e-5)
        let l1y = try #require(v.meanTrabecularDensity), l1o = try #require(old.truth.vertebrae[1].meanTrabecularDensity)
        #expect(l1o < 0.8 * l1y)
        #expect(abs(old.truth.trabecularScale - 0.625) < 1e-12)
    }
}
