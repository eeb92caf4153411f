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
        measure(sites: [site], hu: hu, labels: labels, anatomy: anatomy, criteria: criteria)[0]
    }

    /// Measures several sites in one threaded pass over the volume (one result per site, in order).
    public static func measure(sites: [Site], hu: Volume<Float>, labels: Volume<UInt8>, anatomy: SegmentationResult,
                               criteria: EligibilityCriteria = .virtuOst) -> [SiteImageFacts] {
        // Structure index per label value, per site (−1: not this site's).
        let structures = sites.map { Self.structures(of: $0, anatomy: anatomy) }
        var owner = [[Int]](repeating: [Int](repeating: -1, count: 256), count: sites.count)
        for (s, list) in structures.enumerated() { for (index, (_, values)) in list.enumerated() { for v in values { owner[s][Int(v)] = index } } }
        let ownerOf = owner
        let n = hu.dims, plane = n.x * n.y, siteCount = sites.count
        // Per slice: metal voxels, and per site whether it holds bone and which structures touch the edge.
        var metal = [Int](repeating: 0, count: n.z)
        var hasBone = [Bool](repeating: false, count: n.z * siteCount)
        var edge = [Set<Int>](repeating: [], count: n.z * siteCount)
        hu.voxels.withUnsafeBufferPointer { h in
            labels.voxels.withUnsafeBufferPointer { l in
                metal.withUnsafeMutableBufferPointer { m in
                    hasBone.withUnsafeMutableBufferPointer { b in
                        edge.withUnsafeMutableBufferPointer { e in
                            let hp = SendableConstPointer(h.baseAddress!), lp = SendableConstPointer(l.baseAddress!)
                            let mp = SendablePointer(m.baseAddress!), bp = SendablePointer(b.baseAddress!), ep = SendablePointer(e.baseAddress!)
                            let metalHU = criteria.metalHU
                            parallelFor(n.z) { k in
                                var count = 0
                                for j in 0..<n.y {
                                    let onEdgeRow = j == 0 || j == n.y - 1
                                    for i in 0..<n.x {
                                        let p = i + n.x * j + plane * k
                                        if hp[p] >= metalHU { count += 1 }
                                        let label = Int(lp[p])
                                        guard label != 0 else { continue }
                                        for s in 0..<siteCount where ownerOf[s][label] >= 0 {
                                            bp[k * siteCount + s] = true
                                            if onEdgeRow || i == 0 || i == n.x - 1 { ep[k * siteCount + s].insert(ownerOf[s][label]) }
                                        }
                                    }
                                }
                                mp[k] = count
                            }
                        }
                    }
                }
            }
        }
        return sites.indices.map { s in
            let sections = (0..<n.z).filter { hasBone[$0 * siteCount + s] }
            let metalSections = sections.filter { metal[$0] >= criteria.minMetalVoxelsPerSection }
            let cut = Set(sections.flatMap { edge[$0 * siteCount + s] })
            return SiteImageFacts(site: sites[s], boneSections: sections.count, metalSections: metalSections,
                                  metalVoxels: metalSections.reduce(0) { $0 + metal[$1] },
                                  cutInPlane: cut.map { structures[s][$0].0 }.sorted())
        }
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
