// The projection conserves mineral exactly and measures the projected area of a known solid.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
@testable import Densitometry
import Calibration

/// A digital "femur": an ellipsoid of uniform density at an oblique orientation on an anisotropic grid.
struct EllipsoidFemur {
    static let semiAxes = Vec3(20, 12, 9)      // mm
    static let density: Float = 800           // mg/cm³ K2HPO4
    let grid: ImageGrid
    let centre = Vec3(0, 0, 0)
    /// Principal axes: a rotation by 35° about (1, 2, 3).
    let rotation = Matrix3.rotation(axis: Vec3(1, 2, 3), angle: 35 * .pi / 180)
    var density: Volume<Float>
    var voxels: [Int] = []

    /// `scale` multiplies the voxel size (0.7 × 0.8 × 1.1 mm at 1).
    init(scale: Double = 1) {
        let spacing = Vec3(0.7, 0.8, 1.1) * scale
        grid = ImageGrid(dims: SIMD3(Int((60 / spacing.x).rounded(.up)), Int((60 / spacing.y).rounded(.up)), Int((70 / spacing.z).rounded(.up))),
                         spacing: spacing, origin: Vec3(-30, -30, -35))
        density = Volume(grid: grid, repeating: -40)   // negative outside: must never be projected
        let inv = rotation.transposed
        for k in 0..<grid.dims.z { for j in 0..<grid.dims.y { for i in 0..<grid.dims.x {
            let q = inv * (grid.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))) - centre) / EllipsoidFemur.semiAxes
            if dot(q, q) <= 1 {
                let idx = grid.linearIndex(i, j, k)
                density.voxels[idx] = EllipsoidFemur.density; voxels.append(idx)
            }
        } } }
    }

    /// Landmarks giving a pose whose beam is oblique to every grid and ellipsoid axis.
    var landmarks: FemurLandmarks {
        let shaft = Line(point: Vec3(30, 5, -60), direction: Vec3(0.1, -0.05, 1))
        let neck = Line(point: centre, direction: Vec3(-0.8, -0.3, 0.45))
        return FemurLandmarks(headCenter: centre, headRadiusMM: 8, headFitRMSMM: 0, neckAxis: neck, shaftAxis: shaft,
                              neckShaftAngleDeg: 130, greaterTrochanter: Vec3(30, 0, 10), lesserTrochanterLevel: nil,
                              frame: FemurFrame(headCenter: centre, shaftAxis: shaft))
    }

    /// Area (mm²) of the ellipsoid's shadow along the unit direction `beam`.
    func projectedArea(beam: Vec3) -> Double {
        let n = rotation.transposed * beam, s = EllipsoidFemur.semiAxes
        return .pi * (s.y * s.y * s.z * s.z * n.x * n.x + s.x * s.x * s.z * s.z * n.y * n.y + s.x * s.x * s.y * s.y * n.z * n.z).squareRoot()
    }
}

@Suite("Hip projection on a digital femur of known mineral")
struct HipProjectionTests {
    /// Projects the ellipsoid at a voxel scale: (BMC, mask mineral, area, analytic area, analytic mass), g and cm².
    func projectEllipsoid(scale: Double) throws -> (bmc: Double, maskMass: Double, area: Double, exactArea: Double, exactMass: Double) {
        let f = EllipsoidFemur(scale: scale)
        let pose = try #require(DXAPose(landmarks: f.landmarks, side: .left))
        // The beam is perpendicular to the shaft and the neck: the neck lies in the image plane.
        #expect(abs(dot(pose.beam, f.landmarks.neckAxis.direction)) < 1e-12)
        #expect(abs(dot(pose.beam, f.landmarks.shaftAxis.direction)) < 1e-12)
        var options = HipOptions(); options.mineral = .k2hpo4
        let image = HipProjector.project(density: f.density, voxels: f.voxels, pose: pose, options: options)
        let bmc = (0..<image.arealDensity.count).reduce(0.0) { $0 + image.mineralMassG($1) }
        let maskMass = Double(f.voxels.count) * Double(EllipsoidFemur.density) * f.grid.voxelVolume / 1e6   // g
        let s = EllipsoidFemur.semiAxes
        let exactMass = 4.0 / 3 * .pi * s.x * s.y * s.z * Double(EllipsoidFemur.density) / 1e6
        let area = Double(image.bone.reduce(0) { $0 + Int($1) }) * image.pixelAreaCM2
        let exactArea = f.projectedArea(beam: pose.beam) / 100
        print(String(format: "voxels ×%.2f: BMC %.6f g (mask %.6f, ellipsoid %.6f); area %.4f cm² (ellipsoid %.4f); aBMD %.4f (ellipsoid %.4f) g/cm²",
                     scale, bmc, maskMass, exactMass, area, exactArea, bmc / area, exactMass / exactArea))
        return (bmc, maskMass, area, exactArea, exactMass)
    }

    @Test("BMC equals the mask's mineral exactly; area and aBMD converge to the ellipsoid's as the voxels shrink")
    func ellipsoidK2HPO4() throws {
        let coarse = try projectEllipsoid(scale: 1), fine = try projectEllipsoid(scale: 0.5)
        for r in [coarse, fine] { #expect(abs(r.bmc - r.maskMass) / r.maskMass < 1e-6) }
        // The voxelised surface's staircase widens the shadow by a fraction of a voxel (the silhouette
        // is the envelope of its bumps): an error that shrinks with the voxels (0.5 mm pixels throughout).
        func areaErr(_ r: (bmc: Double, maskMass: Double, area: Double, exactArea: Double, exactMass: Double)) -> Double {
            abs(r.area - r.exactArea) / r.exactArea
        }
        func aBMDErr(_ r: (bmc: Double, maskMass: Double, area: Double, exactArea: Double, exactMass: Double)) -> Double {
            let exact: Double = r.exactMass / r.exactArea
            return abs(r.bmc / r.area - exact) / exact
        }
        let areaError = [areaErr(coarse), areaErr(fine)], aBMDError = [aBMDErr(coarse), aBMDErr(fine)]
        print("relative area error \(areaError), aBMD error \(aBMDError)")
        #expect(areaError[1] < 0.75 * areaError[0] && areaError[1] < 0.02)
        #expect(aBMDError[1] < 0.75 * aBMDError[0] && aBMDError[1] < 0.02)
    }

    @Test("hydroxyapatite projection: each voxel converted through ash density before projection")
    func ellipsoidHydroxyapatite() throws {
        let f = EllipsoidFemur()
        let pose = try #require(DXAPose(landmarks: f.landmarks, side: .right))
        let image = HipProjector.project(density: f.density, voxels: f.voxels, pose: pose, options: HipOptions())
        let bmc = (0..<image.arealDensity.count).reduce(0.0) { $0 + image.mineralMassG($1) }
        // 800 mg/cm³ K2HPO4 → (1.06·800 − 30.9)/0.839 = 973.9 mg/cm³ HA (by hand).
        let rhoHA = (1.06 * 800 - 30.9) / 0.839
        #expect(abs(rhoHA - 973.897497) < 1e-5)
        let expected = Double(f.voxels.count) * rhoHA * f.grid.voxelVolume / 1e6
        #expect(abs(bmc - expected) / expected < 1e-6)
        // Negative densities inside the mask count as 0, not as negative mineral.
        var d = f.density
        for v in f.voxels.prefix(f.voxels.count / 2) { d.voxels[v] = -100 }
        let half = HipProjector.project(density: d, voxels: f.voxels, pose: pose, options: HipOptions())
        let bmcHalf = (0..<half.arealDensity.count).reduce(0.0) { $0 + half.mineralMassG($1) }
        let expectedHalf = Double(f.voxels.count - f.voxels.count / 2) * rhoHA * f.grid.voxelVolume / 1e6
        #expect(abs(bmcHalf - expectedHalf) / expectedHalf < 1e-6)
        #expect(half.bone == image.bone)   // the area is the mask's, whatever the density
    }

    @Test("a uniform slab seen edge-on: every interior pixel holds density × thickness")
    func slabArealDensity() throws {
        // 1 mm voxels; a 10 × 30 × 40 mm block; beam along the grid's y axis (pose built to match).
        let grid = ImageGrid(dims: SIMD3(40, 40, 60), spacing: Vec3(1, 1, 1), origin: Vec3(-20, -20, -30))
        var density = Volume<Float>(grid: grid, repeating: 0)
        var voxels: [Int] = []
        for k in 10..<50 { for j in 15..<25 { for i in 5..<35 { let v = grid.linearIndex(i, j, k); density.voxels[v] = 500; voxels.append(v) } } }
        let shaft = Line(point: Vec3(15, 0, -30), direction: Vec3(0, 0, 1))
        let neck = Line(point: .zero, direction: Vec3(-1, 0, 0.5))
        let l = FemurLandmarks(headCenter: .zero, headRadiusMM: 5, headFitRMSMM: 0, neckAxis: neck, shaftAxis: shaft, neckShaftAngleDeg: 120,
                               greaterTrochanter: .zero, lesserTrochanterLevel: nil, frame: FemurFrame(headCenter: .zero, shaftAxis: shaft))
        let pose = try #require(DXAPose(landmarks: l, side: .left))
        #expect(abs(pose.beam.y - 1) < 1e-12 && abs(pose.internalRotationDeg) < 1e-9)
        var options = HipOptions(); options.mineral = .k2hpo4
        let image = HipProjector.project(density: density, voxels: voxels, pose: pose, options: options)
        // 500 mg/cm³ × 1.0 cm = 0.5 g/cm²; interior pixels are those ≥ 1 mm from the block's shadow edge.
        var interior: [Float] = []
        for r in 0..<image.height { for c in 0..<image.width {
            let p = image.planeCoordinates(column: c, row: r)
            if p.x > -14 && p.x < 14 && p.y > -19 && p.y < 19 { interior.append(image.arealDensity[c + image.width * r]) }
        } }
        #expect(!interior.isEmpty)
        #expect(interior.allSatisfy { abs($0 - 0.5) < 1e-5 })
        // Bone area: the 30 × 40 mm shadow.
        let area = Double(image.bone.reduce(0) { $0 + Int($1) }) * image.pixelAreaCM2
        #expect(abs(area - 12.0) / 12.0 < 0.01)
    }
}
