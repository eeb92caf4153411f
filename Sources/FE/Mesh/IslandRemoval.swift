// Islands: groups of elements that share no node with the main body carry no load and make the
// stiffness matrix singular. Elements sharing any node (26-neighbourhood) are connected.

/// What island removal did.
public struct IslandReport: Sendable, Codable, Hashable {
    /// Number of connected components before removal.
    public var components: Int
    /// Elements removed (all components but the largest).
    public var removedElements: Int
}

extension VoxelMesh {
    /// Keeps only the largest node-connected component of non-empty cells; returns what was removed.
    @discardableResult
    public mutating func removeIslands() -> IslandReport {
        let n = dims, count = material.count
        var component = [Int32](repeating: -1, count: count)
        var sizes: [Int] = []
        var stack: [Int] = []
        for seed in 0..<count where material[seed] != VoxelMesh.empty && component[seed] < 0 {
            let id = Int32(sizes.count)
            var size = 0
            component[seed] = id; stack.append(seed)
            while let c = stack.popLast() {
                size += 1
                let i = c % n.x, j = (c / n.x) % n.y, k = c / (n.x * n.y)
                for dk in -1...1 where k + dk >= 0 && k + dk < n.z {
                    for dj in -1...1 where j + dj >= 0 && j + dj < n.y {
                        for di in -1...1 where i + di >= 0 && i + di < n.x {
                            let q = c + di + n.x * (dj + n.y * dk)
                            if material[q] != VoxelMesh.empty && component[q] < 0 { component[q] = id; stack.append(q) }
                        }
                    }
                }
            }
            sizes.append(size)
        }
        guard let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) else {
            return IslandReport(components: 0, removedElements: 0)
        }
        var removed = 0
        for c in 0..<count where component[c] >= 0 && component[c] != Int32(largest) {
            material[c] = VoxelMesh.empty; removed += 1
        }
        return IslandReport(components: sizes.count, removedElements: removed)
    }
}
