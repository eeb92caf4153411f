// The truth is self-consistent and the image follows the documented HU model.
import Foundation
import Testing
import OpenBCTCore
import Phantom
import TestSupport

@Suite("Phantom truth")
struct PhantomTruthTests {
    @Test("integral mineral masses equal the density field's integral, per label and per structure")
    func massesMatchDensity() throws {
        let p = try PhantomFixture.small.get()
        let cm3 = p.density.grid.voxelVolume / 1000
        let fieldTotal = p.density.voxels.reduce(0.0) { $0 + Double($1) } * cm3
        let labelTotal = p.truth.mineralMassByLabel.values.reduce(0, +)
        #expect(abs(fieldTotal - labelTotal) <= 1e-4 * fieldTotal)
        // Per structure: summing the density map over the structure's labels at voxel centres must come
        // close to the sub-voxel integral. The difference is the mineral in boundary voxels whose centre
        // lies outside the bone: with 4 mm voxels and 1–5 mm cortices that is up to ~⅓ of the mass.
        var fromMap: [String: Double] = [:]
        for (i, l) in p.labels.voxels.enumerated() {
            if let s = PhantomLabel.structure(of: l) { fromMap[s, default: 0] += Double(p.density.voxels[i]) * cm3 }
        }
        for (structure, mass) in p.truth.mineralMass where mass > 2000 {
            let m = fromMap[structure] ?? 0
            #expect(abs(m - mass) / mass < 0.35, "\(structure): label-map mass \(m) mg vs truth \(mass) mg")
        }
        #expect(Set(p.truth.mineralMass.keys).isSuperset(of: ["femur_left", "femur_right", "hip_left", "hip_right",
                                                               "sacrum", "vertebra_L1", "vertebra_L5"]))
    }

    /// A short stack of 1 mm pixels through the hip joints: rods and block well resolved.
    static let thinSlab: Result<PhantomCase, Error> = Result {
        var o = PhantomOptions()
        o.pixelSpacing = 1; o.sliceThickness = 3; o.zCoverage = [0, 24]
        return try PhantomGenerator(o).generate()
    }

    @Test("a calibration rod's mineral mass equals density × π r² × length (closed form)")
    func rodMassClosedForm() throws {
        let p = try Self.thinSlab.get()
        let g = p.density.grid
        let length = Double(g.dims.z) * g.spacing.z   // the rods run through every slice
        for rod in p.truth.rods where rod.density > 0 {
            let expected = rod.k2hpo4Equivalent * .pi * rod.radius * rod.radius * length / 1000
            let integrated = p.truth.mineralMassByLabel[String(rod.label)] ?? 0
            #expect(abs(integrated - expected) / expected < 0.01, "rod \(rod.label): \(integrated) vs \(expected) mg")
        }
    }

    @Test("HU in uniform regions follow the documented model within noise")
    func hounsfieldModel() throws {
        let p = try Self.thinSlab.get()
        let model = p.truth.hounsfieldModel
        let sigma = p.truth.options.noiseHU
        // Rod interiors, ≥ 4 mm (> 3 PSF σ) inside the rod surface.
        let g = p.hu.grid
        for rod in p.truth.rods {
            var sum = 0.0, count = 0
            for k in 0..<g.dims.z { for j in 0..<g.dims.y { for i in 0..<g.dims.x {
                let q = g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))
                let r = ((q.x - rod.centre[0]) * (q.x - rod.centre[0]) + (q.y - rod.centre[1]) * (q.y - rod.centre[1])).squareRoot()
                if r < rod.radius - 4 { sum += Double(p.hu[i, j, k]); count += 1 }
            } } }
            #expect(count > 50)
            let mean = sum / Double(count)
            // Noise is spatially correlated, so allow 6 σ/√n plus 1 HU of rounding and blur.
            #expect(abs(mean - rod.expectedHU) < 6 * sigma / Double(count).squareRoot() + 1,
                    "rod \(rod.density): mean \(mean) HU vs model \(rod.expectedHU)")
            #expect(abs(rod.expectedHU - (model.materialHU["water"]! + model.k2hpo4Slope * rod.density)) < 1e-3)
        }
        // Slope check against the tabulated physics: K2HPO4 and water µ/ρ at the effective energy.
        let e = model.effectiveEnergyKeV
        #expect(abs(model.k2hpo4Slope - XRayAttenuation.k2hpo4.massAttenuation(keV: e) / XRayAttenuation.water.massAttenuation(keV: e)) < 1e-12)
    }

    @Test("femur and vertebra landmarks are consistent with the options and the label map")
    func landmarks() throws {
        let p = try PhantomFixture.small.get()
        let o = p.truth.options
        #expect(p.truth.femurs.count == 2)
        for f in p.truth.femurs {
            #expect(abs(f.neckShaftAngle - o.neckShaftAngle) < 1e-6)
            #expect(abs(f.anteversion - o.anteversion) < 1e-6)
            // The head centre voxel is trabecular femur.
            let idx = p.labels.grid.continuousIndex(physical: f.headCentre).rounded(.toNearestOrEven)
            let label = p.labels[Int(idx.x), Int(idx.y), Int(idx.z)]
            #expect(label == (f.side == .left ? PhantomLabel.femurLeftTrabecular : PhantomLabel.femurRightTrabecular))
        }
        #expect(p.truth.vertebrae.map(\.level) == ["T12", "L1", "L2", "L3", "L4", "L5"])
        for v in p.truth.vertebrae where v.level != "T12" {
            let c = try #require(v.bodyCentroid)
            #expect(length(c - v.bodyCentre) < 3, "\(v.level) centroid \(c) vs model centre \(v.bodyCentre)")
            #expect(abs(dot(v.superiorEndplate.point - v.inferiorEndplate.point, v.bodyAxis) - v.height) < 1e-9)
            let density = try #require(v.meanTrabecularDensity)
            #expect(density > 60 && density < 250)
        }
    }

    @Test("the same seed gives the same image; another seed changes only the noise and texture")
    func determinism() throws {
        var o = PhantomFixture.smallOptions
        o.sites = [.hip]; o.pixelSpacing = 5; o.sliceThickness = 5
        let a = try PhantomGenerator(o).generate(), b = try PhantomGenerator(o).generate()
        #expect(a.hu.voxels == b.hu.voxels)
        #expect(a.labels.voxels == b.labels.voxels)
        o.seed = 2
        let c = try PhantomGenerator(o).generate()
        #expect(a.hu.voxels != c.hu.voxels)
    }

    @Test("options outside their ranges are refused with the setting named")
    func badOptions() {
        var o = PhantomOptions()
        o.kVp = 150
        #expect(throws: InputError.self) { try PhantomGenerator(o).generate() }
        do { try o.validate() } catch let e as InputError { #expect(e.location == "kvp") } catch { Issue.record("\(error)") }
        o = PhantomOptions(); o.metal = .left; o.missingFemur = .left
        #expect(throws: InputError.self) { try o.validate() }
    }
}
