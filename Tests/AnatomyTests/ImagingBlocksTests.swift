// The imaging building blocks against scipy.ndimage (distance transform, components, hole filling)
// and closed-form answers (sphere, plane, watershed on a two-basin relief).
import Foundation
import Testing
import OpenBCTCore
import ImageFormats
@testable import Anatomy
import TestSupport

@Suite("Anatomy imaging blocks")
struct ImagingBlocksTests {
    /// A reproducible blobby mask on an anisotropic grid (0.7 × 0.9 × 2.5 mm).
    func blobs() -> Mask {
        let grid = ImageGrid(dims: SIMD3(37, 29, 17), spacing: Vec3(0.7, 0.9, 2.5))
        var m = Mask.empty(on: grid)
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let centres = (0..<6).map { _ in Vec3(next() * 26, next() * 26, next() * 42) }
        for k in 0..<17 { for j in 0..<29 { for i in 0..<37 {
            let p = Vec3(Double(i) * 0.7, Double(j) * 0.9, Double(k) * 2.5)
            // Hollow spheres (shells) so hole filling has cavities to fill.
            if centres.contains(where: { let d = length(p - $0); return d < 7 && d > 4.5 }) || next() < 0.01 { m[i, j, k] = 1 }
        } } }
        return m
    }

    @Test("exact EDT, 6/26 components and 3-D hole filling match scipy.ndimage",
          .enabled(if: ExternalTool.isAvailable("python3")))
    func againstScipy() throws {
        let m = blobs()
        let dir = try TestPaths.temporaryDirectory("anatomy-blocks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("mask.nii.gz")
        try NIfTI.write(m, to: url)
        let json = try JSONSerialization.jsonObject(with: Data(try ExternalTool.python("anatomy_imaging_reference.py", [url.path]).utf8)) as! [String: Any]
        let reference = (json["edt"] as! [Double])
        let ours = DistanceTransform.squaredDistance(to: m).map { Double($0).squareRoot() }
        let worst = zip(ours, reference).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "largest EDT difference \(worst) mm")
        #expect(Components(m, connectivity: .six).count == json["components6"] as! Int)
        #expect(Components(m, connectivity: .twentySix).count == json["components26"] as! Int)
        #expect(HoleFilling.fill3D(m).setCount == json["filled"] as! Int)
    }

    @Test("sphere and plane fits recover exact shapes; ball morphology has the ball's volume")
    func fits() throws {
        let c = Vec3(3, -2, 40), r = 23.5
        let pts = (0..<400).map { i -> Vec3 in
            let z = -1 + 2 * (Double(i) + 0.5) / 400, phi = Double(i) * 2.399963
            let s = (1 - z * z).squareRoot()
            return c + Vec3(s * cos(phi), s * sin(phi), z) * r
        }
        let sphere = try #require(Sphere.fit(pts))
        #expect(length(sphere.sphere.center - c) < 1e-6 && abs(sphere.sphere.radius - r) < 1e-6)
        let normal = normalize(Vec3(0.1, -0.2, 1))
        let u = normalize(cross(normal, Vec3(1, 0, 0))), v = cross(normal, u)
        let plane = Plane.fit((0..<50).map { i in Vec3(1, 2, 3) + u * Double(i % 7) + v * Double(i / 7) })
        #expect(abs(abs(dot(plane.plane.normal, normal)) - 1) < 1e-9 && plane.rms < 1e-6)
        // A single voxel dilated by 5 mm on a 0.5 mm grid: the voxel count of a 5 mm ball (± 2 %).
        var m = Mask.empty(on: ImageGrid(dims: SIMD3(31, 31, 31), spacing: Vec3(0.5, 0.5, 0.5)))
        m[15, 15, 15] = 1
        let ball = Double(Morphology.dilate(m, radius: 5).setCount) * 0.125
        #expect(abs(ball - 4 / 3 * Double.pi * 125) / (4 / 3 * Double.pi * 125) < 0.02)
    }

    @Test("the watershed splits two bright basins at the dark valley between them")
    func watershedValley() {
        let grid = ImageGrid(dims: SIMD3(40, 1, 1))
        // Relief: bright 0…17, a dark valley at 18–21, bright 22…39; markers at both ends.
        let relief = (0..<40).map { (18...21).contains($0) ? Float(10) : Float(100) }
        var markers = Volume<Int32>(grid: grid, repeating: 0)
        markers[0, 0, 0] = 1; markers[39, 0, 0] = 2
        // Unequal distances: the flood still meets in the valley, not half-way.
        markers[30, 0, 0] = 2
        let out = Watershed.flood(relief: relief, levels: 0...100, markers: markers, domain: Mask(grid: grid, repeating: 1))
        #expect(out.voxels[0...17].allSatisfy { $0 == 1 } && out.voxels[22...39].allSatisfy { $0 == 2 })
    }
}
