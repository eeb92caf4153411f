// What the image itself says about a site's bone: metal in its axial sections, bone at the edge of
// the field of view. Measured on the HU volume and the OpenBCT label map.
import Anatomy
import OpenBCTCore

/// Image facts about one site's bone.
public struct SiteImageFacts: Codable, Sendable, Equatable {
    public var site: Site
    /// Axial sections (slice indices) holding the site's bone.
    public var boneSections: Int
    /// Sections of the bone that also hold ≥ `minMetalVoxelsPerSection` metal voxels, and their total metal voxels.
    public var metalSections: [Int]
    public var metalVoxels: Int
    /// Structures whose voxels touch the in-plane edge of the image ("L1", "femur_left").
    public var cutInPlane: [String]

    public init(site: Site, boneSections: Int, metalSections: [Int], metalVoxels: Int, cutInPlane: [String]) {
        self.site = site; self.boneSections = boneSections; self.metalSections = metalSections
        self.metalVoxels = metalVoxels; self.cutInPlane = cutInPlane
    }

    /// Measures `site` on `hu` with OpenBCT `labels`. Spine: the vertebrae T12–L3 (all vertebrae when
    /// none is named); hip: both femurs.
    public static func measure(site: Site, hu: Volume<Float>, labels: Volume<UInt8>, anatomy: SegmentationResult,
                               criteria: EligibilityCriteria = .virtuOst) -> SiteImageFacts {
        let structures = Self.structures(of: site, anatomy: anatomy)
        var wanted = [String?](repeating: nil, count: 256)
        for (name, values) in structures { for v in values { wanted[Int(v)] = name } }
        let n = hu.dims, plane = n.x * n.y
        var sections: [Int] = [], metalSections: [Int] = [], metalTotal = 0
        var cut = Set<String>()
        for k in 0..<n.z {
            var hasBone = false, metal = 0
            for j in 0..<n.y {
                for i in 0..<n.x {
                    let p = i + n.x * j + plane * k
                    if hu.voxels[p] >= criteria.metalHU { metal += 1 }
                    guard let name = wanted[Int(labels.voxels[p])] else { continue }
                    hasBone = true
                    if i == 0 || j == 0 || i == n.x - 1 || j == n.y - 1 { cut.insert(name) }
                }
            }
            guard hasBone else { continue }
            sections.append(k)
            if metal >= criteria.minMetalVoxelsPerSection { metalSections.append(k); metalTotal += metal }
        }
        return SiteImageFacts(site: site, boneSections: sections.count, metalSections: metalSections, metalVoxels: metalTotal,
                              cutInPlane: cut.sorted())
    }

    /// Label values of the site's structures, by structure name.
    static func structures(of site: Site, anatomy: SegmentationResult) -> [(String, [UInt8])] {
        switch site {
        case .hip:
            return anatomy.femurs.map { ("femur_\($0.side.rawValue)", [$0.label]) }
        case .spine:
            let levels: Set<String> = ["T12", "L1", "L2", "L3"]
            let named = anatomy.vertebrae.filter { $0.level.map(levels.contains) ?? false }
            return (named.isEmpty ? anatomy.vertebrae : named).map { ($0.level ?? "vertebra #\($0.ordinal)", [$0.bodyLabel, $0.posteriorLabel]) }
        }
    }
}
