// Voxel meshing, island removal and PMMA caps on synthetic label volumes with known geometry.
import Foundation
import OpenBCTCore
import Testing
@testable import FE

@Suite("FE mesh and caps")
struct MeshAndCapTests {
    /// A 30³ 1 mm volume with a 10×10×12 "body" (label 20) and a one-voxel island (label 20).
    func phantom() -> (Volume<Float>, Volume<Int32>) {
        let grid = ImageGrid(dims: SIMD3(30, 30, 30), spacing: Vec3(1, 1, 1), origin: Vec3(-5, 3, 7))
        var labels = Volume<Int32>(grid: grid), density = Volume<Float>(grid: grid)
        for k in 9..<21 { for j in 10..<20 { for i in 10..<20 { labels[i, j, k] = 20; density[i, j, k] = 200 } } }
        labels[2, 2, 2] = 20; density[2, 2, 2] = 200
        return (density, labels)
    }

    @Test("one hexahedron per bone voxel; islands removed and reported")
    func meshAndIslands() throws {
        let (density, labels) = phantom()
        var mesh = try VoxelMesh.sample(density: density, labels: labels, modelLabels: [20],
                                        frame: LatticeFrame.imageAxes(of: density.grid), margin: 2)
        #expect(mesh.count(of: FEModel.boneMaterial) == 1201)
        let report = mesh.removeIslands()
        #expect(report == IslandReport(components: 2, removedElements: 1))
        #expect(mesh.count(of: FEModel.boneMaterial) == 1200)
        let (model, _) = mesh.model(materials: MaterialOptions(law: .vertebraKopperdahl))
        #expect(model.elements.count == 1200)
        try model.validate()
        // Lattice node (0,0,0) is the outer corner of the first cell, half a voxel before its centre.
        #expect(length(model.origin - (mesh.grid.origin - Vec3(0.5, 0.5, 0.5))) < 1e-12)
        #expect(Set(model.youngsModulus) == [Float(2980 * pow(0.2, 1.05))])
    }

    @Test("vertebral compression: caps 10 mm thick, 6 mm intrusion, H between outer faces, BCs on outer faces")
    func vertebralCaps() throws {
        let (density, labels) = phantom()
        let protocolModel = try VertebralCompression(mode: .clinical, materials: MaterialOptions(law: .vertebraKopperdahl))
            .build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        let s = protocolModel.summary
        // Body 12 mm tall; each outer face 4 mm beyond it → H = 20 mm.
        #expect(s.referenceLength == 20)
        #expect(abs(s.appliedDisplacement - (-0.0068 * 20)) < 1e-12)
        // Each cap: 10×10 footprint, 4 layers of pure PMMA outside the body (the 6 intruded layers are bone).
        #expect(s.pmmaElements == 2 * 4 * 100)
        #expect(s.boneElements == 1200)
        #expect(s.caps.map(\.outerFaceNodes) == [121, 121])
        let m = protocolModel.model
        #expect(m.constraints.count == 121 * 3 + 121)
        let loaded = Set(m.reactionNodeSets[loadedNodeSet]!)
        #expect(m.constraints.filter { loaded.contains($0.node) }.allSatisfy { $0.dof == 2 && $0.value == s.appliedDisplacement })
        // The loaded face lies H above the fixed face.
        let zTop = m.nodeCoordinates(m.reactionNodeSets[loadedNodeSet]![0]).z
        let zBottom = m.nodeCoordinates(m.reactionNodeSets["fixed"]![0]).z
        #expect(Double(zTop - zBottom) * m.voxelSize == 20)
    }

    @Test("a cap fills empty cells of the slab inside the footprint without overwriting bone")
    func capFillsEndplateConcavity() throws {
        var (density, labels) = phantom()
        // A 2 mm deep, 4×4 concavity in the superior endplate.
        for k in 19..<21 { for j in 13..<17 { for i in 13..<17 { labels[i, j, k] = 0; density[i, j, k] = 0 } } }
        let built = try VertebralCompression(mode: .clinical)
            .build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: density.grid))
        #expect(built.summary.pmmaElements == 2 * 4 * 100 + 32)
        #expect(built.summary.boneElements == 1200 - 32)
    }

    @Test("a conforming cap also fills a concavity deeper than the slab; the Ogo cap stops at the slab")
    func conformingCapFillsDeepConcavity() throws {
        // A 20 mm tall 10×10 body (layers 5–24) with an 8 mm deep 4×4 concavity in its superior endplate (layers
        // 17–24), above the body's mid-height layer (14).
        let grid = ImageGrid(dims: SIMD3(30, 30, 40), spacing: Vec3(1, 1, 1), origin: .zero)
        var labels = Volume<Int32>(grid: grid), density = Volume<Float>(grid: grid)
        for k in 5..<25 { for j in 10..<20 { for i in 10..<20 where !(k >= 17 && (13..<17).contains(i) && (13..<17).contains(j)) {
            labels[i, j, k] = 20; density[i, j, k] = 200
        } } }
        let frame = LatticeFrame.imageAxes(of: grid)
        // Ogo: the top slab reaches 6 layers into the concavity (layers 19–24).
        let ogo = try VertebralCompression(mode: .clinical).build(density: density, labels: labels, frame: frame)
        #expect(ogo.summary.pmmaElements == 2 * 4 * 100 + 6 * 16)
        // Conforming: the top cap fills the concavity down to its floor (layers 17–24); the bottom cap touches bone already.
        let conforming = try VertebralCompression(mode: .clinical, caps: CapGeometry(conforming: true))
            .build(density: density, labels: labels, frame: frame)
        #expect(conforming.summary.pmmaElements == 2 * 4 * 100 + 8 * 16)
        #expect(conforming.summary.boneElements == 2000 - 8 * 16 && conforming.summary.referenceLength == 28)
    }

    @Test("a conforming cap runs no PMMA pillar down a column that is empty at the body's mid-height")
    func conformingCapMakesNoPillarBesideTheBody() throws {
        // A 20 mm tall 10×10 body (layers 5–24) whose lowest 3 layers reach 4 columns further in x (a lip at the
        // inferior endplate, as a tilted body projects on thick-slice CT): those 40 columns are empty at the
        // mid-height layer and meet bone 17 mm below the superior extreme face. Filled up to the first non-empty
        // cell (the bottom slab's PMMA on the lip), they were 40 PMMA pillars of 8 layers below the top slab
        // beside the body, joining both caps in parallel with it (1,800 PMMA cells; issue 7).
        let grid = ImageGrid(dims: SIMD3(34, 30, 40), spacing: Vec3(1, 1, 1), origin: .zero)
        var labels = Volume<Int32>(grid: grid), density = Volume<Float>(grid: grid)
        for k in 5..<25 { for j in 10..<20 { for i in 10..<(k < 8 ? 24 : 20) { labels[i, j, k] = 20; density[i, j, k] = 200 } } }
        let built = try VertebralCompression(mode: .clinical, caps: CapGeometry(conforming: true))
            .build(density: density, labels: labels, frame: LatticeFrame.imageAxes(of: grid))
        // Bottom slab: 4 layers outside × 140 columns + the lip columns' empty layers 8–10 of its 6 intruded ones.
        // Top slab: 4 outside × 140 + 6 intruded × 40 lip columns. Nothing deeper.
        #expect(built.summary.pmmaElements == 4 * 140 + 3 * 40 + 4 * 140 + 6 * 40)
        #expect(built.summary.boneElements == 20 * 100 + 3 * 40)
    }

    @Test("automatic vertebral frame follows a tilted body")
    func automaticFrame() throws {
        let grid = ImageGrid(dims: SIMD3(60, 60, 60))
        var labels = Volume<Int32>(grid: grid)
        let tilt = Matrix3.rotation(axis: Vec3(1, 0, 0), angle: 0.2)
        for k in 0..<60 { for j in 0..<60 { for i in 0..<60 {
            // A flat cylinder (radius 20, height 14) whose axis is z tilted by 0.2 rad about x.
            let q = tilt.transposed * (Vec3(Double(i), Double(j), Double(k)) - Vec3(30, 30, 30))
            if q.x * q.x + q.y * q.y <= 400 && abs(q.z) <= 7 { labels[i, j, k] = 20 }
        } } }
        let f = try VertebralFrame.automatic(labels: labels, bodyLabel: 20)
        #expect(dot(f.axes.c2, tilt * Vec3(0, 0, 1)) > 0.999)
    }
}
