// Volume and ImageGrid: index↔patient transforms, crop and resampling.
import Testing
@testable import OpenBCTCore

@Suite struct VolumeTests {
    let oblique = ImageGrid(dims: [4, 5, 6], spacing: [0.7, 0.8, 2.5], origin: [-100, 50, 12],
                            direction: .rotation(axis: [1, 2, 3], angle: 0.4))

    @Test("index → patient → index round trip on an oblique grid")
    func roundTrip() {
        let p = oblique.physicalPoint(index: [1.5, 2, 3.25])
        let back = oblique.continuousIndex(physical: p)
        #expect(length(back - Vec3(1.5, 2, 3.25)) < 1e-9)
    }

    @Test("RAS affine is the LPS affine with x and y negated")
    func rasAffine() {
        let lps = oblique.affineLPS, ras = oblique.affineRAS
        for c in 0..<4 {
            #expect(ras[0][c] == -lps[0][c]); #expect(ras[1][c] == -lps[1][c]); #expect(ras[2][c] == lps[2][c])
        }
    }

    @Test("crop keeps each voxel at its physical position")
    func crop() {
        var v = Volume<Float>(grid: oblique)
        for i in 0..<v.voxels.count { v.voxels[i] = Float(i) }
        let c = v.cropped(lower: [1, 2, 3], upper: [3, 5, 6])
        #expect(c.dims == [2, 3, 3])
        #expect(c[1, 0, 2] == v[2, 2, 5])
        #expect(length(c.grid.physicalPoint(index: [1, 0, 2]) - v.grid.physicalPoint(index: [2, 2, 5])) < 1e-9)
    }

    @Test("trilinear resampling reproduces a linear field exactly, nearest keeps labels")
    func resampleLinearField() {
        var v = Volume<Float>(grid: oblique)
        for k in 0..<6 { for j in 0..<5 { for i in 0..<4 {
            let p = oblique.physicalPoint(index: [Double(i), Double(j), Double(k)])
            v[i, j, k] = Float(2 * p.x - 3 * p.y + 0.5 * p.z)
        } } }
        // A finer axis-aligned grid well inside the source volume.
        let centre = oblique.physicalPoint(index: [1.5, 2, 2.5])
        let target = ImageGrid(dims: [5, 5, 5], spacing: [0.3, 0.3, 0.3], origin: centre - 0.6)
        let r = v.resampled(to: target, interpolation: .linear, outside: -1)
        for k in 0..<5 { for j in 0..<5 { for i in 0..<5 {
            let p = target.physicalPoint(index: [Double(i), Double(j), Double(k)])
            #expect(abs(Double(r[i, j, k]) - (2 * p.x - 3 * p.y + 0.5 * p.z)) < 1e-3)
        } } }
        let labels = v.map { UInt8(roundingClamped: Double($0.magnitude.truncatingRemainder(dividingBy: 7))) }
        let same = labels.resampled(to: oblique, interpolation: .nearest)
        #expect(same.voxels == labels.voxels)
    }

    @Test("points outside the source get the outside value")
    func outside() {
        let v = Volume<Float>(grid: ImageGrid(dims: [2, 2, 2]), repeating: 5)
        let far = ImageGrid(dims: [1, 1, 1], origin: [10, 10, 10])
        #expect(v.resampled(to: far, interpolation: .linear, outside: -1000).voxels == [-1000])
    }

    @Test("singular direction matrices are detected")
    func singular() {
        #expect(Matrix3(columns: [1, 0, 0], [2, 0, 0], [0, 0, 1]).inverse == nil)
        #expect(Matrix3.rotation(axis: [0, 0, 1], angle: 1).orthonormalityError < 1e-12)
    }
}
