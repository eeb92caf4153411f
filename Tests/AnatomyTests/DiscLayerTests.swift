// The disc layer beyond a body's endplate (`DiscLayer`) on a drawn vertebral body: a cylinder of
// marrow inside a bright cortex, its top endplate, and above it a disc slice enclosed by the cortex
// ring as the marrow fill leaves it. Expected answers follow from the drawing alone.
import Testing
import OpenBCTCore
@testable import Anatomy

@Suite("Disc layer beyond the endplates")
struct DiscLayerTests {
    /// 41 × 41 pixels of 1 mm, 20 slices of 2 mm. Every slice: a labelled disc of radius 12 mm with a
    /// 600 HU ring (r ≥ 10). Inside the ring: marrow (`marrowHU`) in slices 0–15, the endplate
    /// (400 HU) in slice 16, disc (`discHU`) in slices 17–19. The body piece is the cylinder in slices 2–15.
    func drawn(marrowHU: Float, discHU: Float) -> (labels: Volume<Int32>, intensity: Volume<Float>, body: BodyPiece) {
        let grid = ImageGrid(dims: SIMD3(41, 41, 20), spacing: Vec3(1, 1, 2))
        var labels = Volume<Int32>(grid: grid, repeating: 0), hu = Volume<Float>(grid: grid, repeating: 0)
        var body: [Int] = []
        for k in 0..<20 { for j in 0..<41 { for i in 0..<41 {
            let r = Double((i - 20) * (i - 20) + (j - 20) * (j - 20)).squareRoot()
            guard r <= 12 else { continue }
            let v = grid.linearIndex(i, j, k)
            labels.voxels[v] = 1
            hu.voxels[v] = r >= 10 ? 600 : k == 16 ? 400 : k >= 17 ? discHU : marrowHU
            if (2...15).contains(k) { body.append(v) }
        } } }
        return (labels, hu, BodyChain.piece(grid: grid, voxels: body))
    }

    @Test("the disc slices' interior is removed, the endplate, the ring and the marrow stay")
    func discRemoved() {
        var (labels, hu, body) = drawn(marrowHU: 150, discHU: 80)
        let before = labels
        DiscLayer.trim(&labels, bodies: [body], skipFirst: false, intensity: hu, options: SpineOptions())
        let grid = labels.grid
        for k in 0..<20 { for j in 0..<41 { for i in 0..<41 {
            let v = grid.linearIndex(i, j, k)
            guard before.voxels[v] == 1 else { continue }
            let r = Double((i - 20) * (i - 20) + (j - 20) * (j - 20)).squareRoot()
            // Far from the ring (its 600 HU lifts the local mean within the 2.5 mm square) the disc goes;
            // nothing below the disc is touched.
            if k >= 17 && r <= 6 { #expect(labels.voxels[v] == 0, "disc voxel (\(i), \(j), \(k)) kept") }
            if k <= 16 || r >= 10 { #expect(labels.voxels[v] == 1, "voxel (\(i), \(j), \(k)) removed") }
        } } }
    }

    @Test("osteoporotic marrow as dark as the disc: nothing is removed")
    func osteoporotic() {
        var (labels, hu, body) = drawn(marrowHU: 70, discHU: 80)
        let before = labels
        DiscLayer.trim(&labels, bodies: [body], skipFirst: false, intensity: hu, options: SpineOptions())
        #expect(labels.voxels == before.voxels)
    }
}
