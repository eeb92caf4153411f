// VTK XML output read back by a plain Python reader of the documented format (xml + base64 + numpy).
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import FE

@Suite("FE VTK export")
struct VTKWriterTests {
    /// Two elements in an L on a rotated, shifted lattice.
    func model() -> FEModel {
        let dims = SIMD3(2, 2, 1)
        return FEModel(voxelSize: 1.5, dims: dims, origin: Vec3(10, -5, 3), direction: Matrix3.rotation(axis: Vec3(0, 0, 1), angle: 0.3),
                       elements: [0, 3], youngsModulus: [100, 2500], materialID: [0, 1])
    }

    func read(_ data: Data, _ name: String) throws -> [String: Any] {
        let dir = try TestPaths.temporaryDirectory("vtk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return try #require(try JSONSerialization.jsonObject(with: Data(ExternalTool.python("vtk_xml_read.py", [url.path]).utf8)) as? [String: Any])
    }

    @Test(".vtu: points are the LPS node positions, hexahedra in VTK corner order, cell fields in element order")
    func unstructured() throws {
        let m = model()
        let doc = try read(try VTKWriter.unstructuredGrid(m, cellFields: [.init(name: "E", values: m.youngsModulus)]), "m.vtu")
        let arrays = try #require(doc["arrays"] as? [String: [Double]])
        let points = try #require(arrays["Points"]), connectivity = try #require(arrays["connectivity"]).map { Int($0) }
        #expect(arrays["types"] == [12, 12])
        #expect(arrays["E"] == [100, 2500])
        #expect(points.count == 3 * 14)   // two cells sharing one vertical edge: 8 + 8 − 2 nodes
        // Each hexahedron: corner l of VTK order is lattice offset (0,0,0),(1,0,0),(1,1,0),(0,1,0), then z+1.
        let offsets = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(1, 1, 1), SIMD3(0, 1, 1)]
        for (e, cell) in m.elements.enumerated() {
            let c = m.cellCoordinates(cell)
            for l in 0..<8 {
                let p = connectivity[8 * e + l]
                let expected = m.nodePosition(m.nodeIndex(c.x + offsets[l].x, c.y + offsets[l].y, c.z + offsets[l].z))
                let got = Vec3(points[3 * p], points[3 * p + 1], points[3 * p + 2])
                #expect(length(got - expected) < 1e-4)
            }
        }
    }

    @Test(".vti: lattice extent, origin, spacing, direction, zero outside the model")
    func image() throws {
        let m = model()
        let doc = try read(try VTKWriter.imageData(m, cellFields: [.init(name: "E", values: m.youngsModulus)]), "m.vti")
        let attributes = try #require(doc["attributes"] as? [String: String])
        #expect(attributes["WholeExtent"] == "0 2 0 2 0 1")
        #expect(attributes["Spacing"] == "1.5 1.5 1.5")
        let direction = try #require(attributes["Direction"]).split(separator: " ").compactMap { Double($0) }
        #expect(abs(direction[1] - m.direction[0, 1]) < 1e-15 && abs(direction[3] - m.direction[1, 0]) < 1e-15)
        let arrays = try #require(doc["arrays"] as? [String: [Double]])
        #expect(arrays["E"] == [100, 0, 0, 2500])
    }
}
