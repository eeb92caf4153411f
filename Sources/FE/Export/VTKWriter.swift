// VTK XML files for ParaView: the lattice as ImageData (.vti, cell fields, zero outside the model) and
// the mesh as an UnstructuredGrid (.vtu, hexahedra in LPS with cell and point fields).
import Foundation
import OpenBCTCore

public enum VTKWriter {
    /// A per-element field (`model.elements` order), one or three components.
    public struct Field: Sendable {
        public var name: String
        public var components: Int
        public var values: [Float]
        public init(name: String, components: Int = 1, values: [Float]) {
            self.name = name; self.components = components; self.values = values
        }
    }

    /// ImageData of the lattice (origin = lattice node (0,0,0), `Direction` = lattice axes) with the
    /// element fields as cell data; cells without an element hold 0.
    public static func imageData(_ model: FEModel, cellFields: [Field]) throws -> Data {
        let n = model.dims, cells = n.x * n.y * n.z
        var xml = "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
        let d = model.direction, o = model.origin, h = model.voxelSize
        let direction = (0..<3).flatMap { r in (0..<3).map { c in d[r, c] } }.map { "\($0)" }.joined(separator: " ")
        xml += "<ImageData WholeExtent=\"0 \(n.x) 0 \(n.y) 0 \(n.z)\" Origin=\"\(o.x) \(o.y) \(o.z)\" Spacing=\"\(h) \(h) \(h)\" Direction=\"\(direction)\">\n"
        xml += "<Piece Extent=\"0 \(n.x) 0 \(n.y) 0 \(n.z)\">\n<CellData>\n"
        for f in cellFields {
            try check(f, model)
            var full = [Float](repeating: 0, count: cells * f.components)
            for (e, c) in model.elements.enumerated() {
                for k in 0..<f.components { full[Int(c) * f.components + k] = f.values[e * f.components + k] }
            }
            xml += dataArray(name: f.name, type: "Float32", components: f.components, full)
        }
        xml += "</CellData>\n</Piece>\n</ImageData>\n</VTKFile>\n"
        return Data(xml.utf8)
    }

    /// UnstructuredGrid of the model's hexahedra in LPS (mm). `pointFields` follow `CalculixDeck.usedNodes`
    /// order (the order of `LinearSolution.nodes`), e.g. displacement with 3 components.
    public static func unstructuredGrid(_ model: FEModel, cellFields: [Field], pointFields: [Field] = []) throws -> Data {
        let nodes = CalculixDeck.usedNodes(model)
        var number = [Int32: Int64](minimumCapacity: nodes.count)
        for (i, n) in nodes.enumerated() { number[n] = Int64(i) }
        var points = [Float](); points.reserveCapacity(nodes.count * 3)
        for n in nodes { let p = model.nodePosition(n); points += [Float(p.x), Float(p.y), Float(p.z)] }
        var connectivity = [Int64](); connectivity.reserveCapacity(model.elements.count * 8)
        for c in model.elements {
            let corners = model.elementNodes(cell: c)
            for l in CalculixDeck.c3d8Order { connectivity.append(number[corners[l]]!) }   // VTK_HEXAHEDRON order
        }
        let offsets = (1...max(1, model.elements.count)).map { Int64($0 * 8) }.prefix(model.elements.count)
        let types = [UInt8](repeating: 12, count: model.elements.count)
        var xml = "<?xml version=\"1.0\"?>\n<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
        xml += "<UnstructuredGrid>\n<Piece NumberOfPoints=\"\(nodes.count)\" NumberOfCells=\"\(model.elements.count)\">\n"
        xml += "<Points>\n" + dataArray(name: "Points", type: "Float32", components: 3, points) + "</Points>\n"
        xml += "<Cells>\n" + dataArray(name: "connectivity", type: "Int64", components: 1, connectivity)
        xml += dataArray(name: "offsets", type: "Int64", components: 1, Array(offsets))
        xml += dataArray(name: "types", type: "UInt8", components: 1, types) + "</Cells>\n"
        xml += "<CellData>\n"
        for f in cellFields { try check(f, model); xml += dataArray(name: f.name, type: "Float32", components: f.components, f.values) }
        xml += "</CellData>\n<PointData>\n"
        for f in pointFields {
            guard f.values.count == nodes.count * f.components else {
                throw InputError(location: "point field \(f.name)", "has \(f.values.count) values for \(nodes.count) nodes × \(f.components)")
            }
            xml += dataArray(name: f.name, type: "Float32", components: f.components, f.values)
        }
        xml += "</PointData>\n</Piece>\n</UnstructuredGrid>\n</VTKFile>\n"
        return Data(xml.utf8)
    }

    static func check(_ f: Field, _ model: FEModel) throws {
        guard f.values.count == model.elements.count * f.components else {
            throw InputError(location: "cell field \(f.name)", "has \(f.values.count) values for \(model.elements.count) elements × \(f.components)")
        }
    }

    /// An inline base64 binary DataArray (UInt64 byte-count header, then the values).
    static func dataArray<T: BitwiseCopyable>(name: String, type: String, components: Int, _ values: [T]) -> String {
        var bytes = Data()
        var count = UInt64(values.count * MemoryLayout<T>.stride).littleEndian
        withUnsafeBytes(of: &count) { bytes.append(contentsOf: $0) }
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return "<DataArray type=\"\(type)\" Name=\"\(name)\" NumberOfComponents=\"\(components)\" format=\"binary\">\n"
            + bytes.base64EncodedString() + "\n</DataArray>\n"
    }
}

extension FEModel {
    /// The element whose cell contains each voxel centre of `grid`, or nil: for fields on an image grid.
    public func elementIndices(on grid: ImageGrid) -> [Int32?] {
        let toLattice = direction.transposed
        var out = [Int32?](repeating: nil, count: grid.count)
        for k in 0..<grid.dims.z { for j in 0..<grid.dims.y { for i in 0..<grid.dims.x {
            let q = toLattice * (grid.physicalPoint(index: Vec3(Double(i), Double(j), Double(k))) - origin) / voxelSize
            let c = SIMD3<Int>(q.rounded(.down))
            guard c.x >= 0, c.y >= 0, c.z >= 0, c.x < dims.x, c.y < dims.y, c.z < dims.z,
                  let e = binarySearch(elements, cellIndex(c.x, c.y, c.z)) else { continue }
            out[grid.linearIndex(i, j, k)] = Int32(e)
        } } }
        return out
    }

    /// A per-element field sampled on an image grid (nearest cell; `outside` where no element covers a voxel).
    public func field(_ values: [Float], on grid: ImageGrid, outside: Float = 0) -> Volume<Float> {
        Volume(grid: grid, voxels: elementIndices(on: grid).map { $0.map { values[Int($0)] } ?? outside })
    }
}
