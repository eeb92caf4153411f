// PMMA caps and endplate layers, as Ogo/parosol-py build them ("fixed-thickness anatomy cap"): a slab
// of `thickness` normal to the lattice z axis whose outer face lies `thickness − intrusion` beyond the
// anatomy's extreme face, so bone may occupy up to `intrusion` of it. Inside the slab every empty cell
// of the footprint becomes PMMA; bone is never overwritten.
import OpenBCTCore

/// Which end of the lattice z axis a cap sits on.
public enum CapSide: String, Sendable, Codable {
    case bottom, top
}

/// Cap dimensions (mm).
public struct CapGeometry: Sendable, Codable, Hashable {
    public var thickness: Double
    public var intrusion: Double
    /// False (Ogo/parosol-py): PMMA only inside the fixed slab. True: in every footprint column PMMA also
    /// fills the empty cells between the slab and the first anatomy cell, as cement poured on the endplate
    /// does; on coarse (3 mm) CT a tilted, concave endplate otherwise touches the slab over only part of
    /// its area (docs/validation.md, abdomen-3mm). Only columns that hold anatomy at its mid-height layer are
    /// filled beyond the slab (no PMMA pillar beside the body).
    public var conforming: Bool
    public init(thickness: Double = 10, intrusion: Double = 6, conforming: Bool = false) {
        self.thickness = thickness; self.intrusion = intrusion; self.conforming = conforming
    }

    enum CodingKeys: String, CodingKey { case thickness, intrusion, conforming }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(thickness: try c.decode(Double.self, forKey: .thickness), intrusion: try c.decode(Double.self, forKey: .intrusion),
                  conforming: try c.decodeIfPresent(Bool.self, forKey: .conforming) ?? false)
    }
}

/// A cap that was placed.
public struct PlacedCap: Sendable {
    public var side: CapSide
    /// Node-plane index (lattice k) of the outer face.
    public var outerFace: Int
    /// PMMA cells added.
    public var pmmaCells: Int
    /// Footprint columns.
    public var footprintColumns: Int
    /// Lattice node indices of the outer face of the cap's PMMA (the loaded/supported node set).
    public var outerFaceNodes: [Int32]
}

extension VoxelMesh {
    /// Adds a cap on `side` over the anatomy cells for which `reference(cell)` holds.
    ///
    /// - Parameters:
    ///   - footprintDepth: nil = the footprint is the reference's whole projection along z (a vertebral
    ///     body); a depth (mm) = only the reference cells within that depth of the extreme face (the part
    ///     of a femoral head or trochanter that touches the plate).
    /// - Throws: `InputError` when there is no reference cell or the lattice lacks room for the cap.
    public mutating func addCap(side: CapSide, geometry: CapGeometry, footprintDepth: Double? = nil,
                                reference: (Int) -> Bool) throws -> PlacedCap {
        let n = dims, h = voxelSize
        var kMin = Int.max, kMax = Int.min
        for c in 0..<material.count where reference(c) {
            let k = c / (n.x * n.y); kMin = min(kMin, k); kMax = max(kMax, k)
        }
        guard kMin <= kMax else { throw InputError(location: "\(side) cap", "no anatomy to cap") }
        let extremeFace = side == .bottom ? kMin : kMax + 1
        let outward = Int(((geometry.thickness - geometry.intrusion) / h).rounded())
        let layers = max(1, Int((geometry.thickness / h).rounded()))
        let outer = side == .bottom ? extremeFace - outward : extremeFace + outward
        let capLayers = side == .bottom ? outer ..< outer + layers : outer - layers ..< outer
        guard outer >= 0, outer <= n.z else {
            throw InputError(location: "\(side) cap", "outer face at layer \(outer) lies outside the lattice (0…\(n.z)); increase the margin")
        }
        var footprint = [Bool](repeating: false, count: n.x * n.y)
        let depthLayers = footprintDepth.map { max(1, Int(($0 / h).rounded())) } ?? Int.max
        for c in 0..<material.count where reference(c) {
            let k = c / (n.x * n.y)
            let depth = side == .bottom ? k - kMin : kMax - k
            if depth < depthLayers { footprint[c % (n.x * n.y)] = true }
        }
        var added = 0
        for k in capLayers { for col in 0..<footprint.count where footprint[col] {
            let c = col + n.x * n.y * k
            if material[c] == VoxelMesh.empty { material[c] = FEModel.pmmaMaterial; added += 1 }
        } }
        if geometry.conforming {
            // Fill from the slab's inner end toward the first non-empty cell, only when that cell lies within
            // the anatomy's extent (a column open to the far side gets nothing more).
            let inward = side == .bottom ? 1 : -1, far = side == .bottom ? kMax : kMin
            // Only columns that pass through the anatomy at its mid-height layer: a column beside the body there
            // meets bone only near the far end (a tilted or waisted body on thick-slice CT), and filling it made an
            // elastic PMMA pillar in parallel with the body that carried load past its yielding core — on the
            // abdomen-3mm L1 it tripled the stiffness and made the strength mesh-dependent (issue 7,
            // docs/validation.md "FE element size").
            let middle = n.x * n.y * ((kMin + kMax) / 2)
            for col in 0..<footprint.count where footprint[col] && reference(col + middle) {
                let start = side == .bottom ? outer + layers : outer - layers - 1
                var k = start
                while k >= 0, k < n.z, (k - far) * inward <= 0, material[col + n.x * n.y * k] == VoxelMesh.empty { k += inward }
                guard k >= 0, k < n.z, (k - far) * inward <= 0 else { continue }
                for f in stride(from: start, to: k, by: inward) {
                    material[col + n.x * n.y * f] = FEModel.pmmaMaterial; added += 1
                }
            }
        }
        // Outer-face nodes: the four outer nodes of each PMMA cell in the outermost layer.
        let outermost = side == .bottom ? outer : outer - 1
        var nodes = Set<Int32>()
        for col in 0..<footprint.count where footprint[col] && material[col + n.x * n.y * outermost] == FEModel.pmmaMaterial {
            let i = col % n.x, j = col / n.x
            for dj in 0...1 { for di in 0...1 {
                nodes.insert(Int32(i + di + (n.x + 1) * (j + dj + (n.y + 1) * outer)))
            } }
        }
        return PlacedCap(side: side, outerFace: outer, pmmaCells: added,
                         footprintColumns: footprint.reduce(0) { $0 + ($1 ? 1 : 0) }, outerFaceNodes: nodes.sorted())
    }
}
