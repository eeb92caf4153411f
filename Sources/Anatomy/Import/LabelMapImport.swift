// Segmentations made elsewhere: a label map on any grid, brought onto the CT grid (nearest
// neighbour), its classes named through a TotalSegmentator-style table, and turned into OpenBCT
// labels with the same body / posterior split, cores and landmarks as automatic results.
import OpenBCTCore
import Foundation

public enum LabelMapImport {
    /// Resamples `map` onto `ct` (nearest neighbour). Throws when the two do not overlap in physical
    /// space; adds a finding when part of the labelled voxels falls outside the CT.
    public static func resample(_ map: Volume<Int32>, onto ct: ImageGrid, path: String) throws -> (Volume<Int32>, [Finding]) {
        let a = map.grid.physicalBounds, b = ct.physicalBounds
        // Half a voxel beyond the outermost centres on both sides still overlaps.
        let pad = (map.grid.spacing + ct.spacing) / 2
        if any(a.max + pad .< b.min) || any(b.max + pad .< a.min) {
            throw InputError(path: path, location: "geometry",
                "the segmentation does not overlap the CT's physical space: it spans LPS \(fmt(a.min))…\(fmt(a.max)) mm, the CT \(fmt(b.min))…\(fmt(b.max)) mm (a different patient position or frame of reference?)")
        }
        let resampled = map.grid.isAligned(with: ct) ? Volume(grid: ct, voxels: map.voxels)
            : map.resampled(to: ct, interpolation: .nearest)
        let inside = resampled.voxels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        guard inside > 0 else {
            throw InputError(path: path, location: "geometry", "no labelled voxel of the segmentation falls inside the CT")
        }
        var findings: [Finding] = []
        let before = Double(map.voxels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) * map.grid.voxelVolume
        let after = Double(inside) * ct.voxelVolume
        if after < 0.95 * before {
            findings.append(Finding(.importedMaskPartlyOutside, site: nil,
                "\(Int((100 * (1 - after / before)).rounded())) % of the labelled volume of \(path) lies outside the CT"))
        }
        return (resampled, findings)
    }

    /// Converts a named multi-label map on the CT grid into OpenBCT labels. Recognised names:
    /// `femur_left`, `femur_right`, `hip_left`, `hip_right`, `sacrum`, `vertebrae_<level>`; others
    /// are ignored. Vertebrae get the automatic body / posterior split, trabecular core and
    /// landmarks; femurs get their head sphere, axes and frame.
    public static func segmentation(from map: Volume<Int32>, names: TotalSegmentatorLabels, source: String,
                                    spine: SpineOptions = SpineOptions(), femur: FemurOptions = FemurOptions()) -> AnatomySegmentation {
        let grid = map.grid
        var members: [Int32: [Int]] = [:]
        for (i, l) in map.voxels.enumerated() where l != 0 { members[l, default: []].append(i) }
        var labels = Volume<UInt8>(grid: grid, repeating: 0), cores = labels
        var femurs: [FemurSummary] = [], vertebrae: [VertebraSummary] = [], findings: [Finding] = []
        var sites = Set<Site>()
        let n = grid.dims
        for (id, voxels) in members.sorted(by: { $0.key < $1.key }) {
            guard let name = names.nameByID[id] else { continue }
            let cut = voxels.contains { let k = $0 / (n.x * n.y); return k == 0 || k == n.z - 1 }
            if name == "femur_left" || name == "femur_right" {
                let side: Side = name == "femur_left" ? .left : .right
                sites.insert(.hip)
                for v in voxels { labels.voxels[v] = AnatomyLabel.femur(side) }
                let landmarks = ImportedFemur.landmarks(voxels: voxels, grid: grid, options: femur)
                if landmarks == nil {
                    findings.append(Finding(.headNotSeparated, site: .hip, "imported \(name): no femoral head sphere could be fitted; no landmarks"))
                }
                femurs.append(FemurSummary(side: side, label: AnatomyLabel.femur(side), volumeMM3: Double(voxels.count) * grid.voxelVolume,
                                           landmarks: landmarks, distalCut: nil))
            } else if name == "hip_left" || name == "hip_right" {
                sites.insert(.hip)
                let label = name == "hip_left" ? AnatomyLabel.pelvisLeft : AnatomyLabel.pelvisRight
                for v in voxels where labels.voxels[v] == 0 { labels.voxels[v] = label }
            } else if let level = name == "sacrum" ? VertebralLevel.sacrum
                        : name.hasPrefix("vertebrae_") ? VertebralLevel(name: String(name.dropFirst("vertebrae_".count))) : nil {
                sites.insert(.spine)
                let anatomy = VertebraAnatomy(importedVoxels: voxels, grid: grid, bodyOpeningRadiusMM: spine.bodyOpeningRadiusMM,
                                              coreErosionMM: spine.coreErosionMM)
                for v in anatomy.body { labels.voxels[v] = AnatomyLabel.body(level) }
                for v in anatomy.posterior { labels.voxels[v] = AnatomyLabel.posterior(level) }
                for v in anatomy.core { cores.voxels[v] = AnatomyLabel.body(level) }
                vertebrae.append(VertebraSummary(level: level.name, ordinal: 0, bodyLabel: AnatomyLabel.body(level),
                                                 posteriorLabel: AnatomyLabel.posterior(level),
                                                 bodyVolumeMM3: Double(anatomy.body.count) * grid.voxelVolume,
                                                 posteriorVolumeMM3: Double(anatomy.posterior.count) * grid.voxelVolume,
                                                 trabecularCoreVolumeMM3: Double(anatomy.core.count) * grid.voxelVolume,
                                                 cutByFieldOfView: cut, landmarks: cut ? nil : anatomy.landmarks))
                if cut {
                    findings.append(Finding(.vertebraCutByFieldOfView, site: .spine, "imported \(level.name) is cut by the field of view: no landmarks"))
                }
            }
        }
        // Chain ordinals, inferior first, as for automatic results.
        vertebrae.sort { (VertebralLevel(name: $0.level ?? "") ?? .C1) > (VertebralLevel(name: $1.level ?? "") ?? .C1) }
        for i in vertebrae.indices { vertebrae[i].ordinal = i }
        for site in [Site.hip, .spine] where !sites.contains(site) {
            findings.append(Finding(.importedStructureMissing, site: site, usable: false,
                                    "the imported segmentation holds no \(site == .hip ? "femur" : "vertebra")"))
        }
        let result = SegmentationResult(source: source, sites: Site.allCases.filter(sites.contains), labelTable: AnatomySegmenter.table(of: labels),
                                        vertebrae: vertebrae, levels: nil, femurs: femurs.sorted { $0.side.rawValue < $1.side.rawValue },
                                        findings: findings, spineOptions: spine, femurOptions: femur)
        return AnatomySegmentation(labels: labels, cores: cores, result: result)
    }

    /// A single-structure mask (any non-zero voxel) as a one-class map named `structure`.
    public static func singleStructure(_ mask: Volume<Int32>, named structure: String) -> (Volume<Int32>, TotalSegmentatorLabels) {
        (mask.map { $0 != 0 ? Int32(1) : 0 }, TotalSegmentatorLabels(nameByID: [1: structure]))
    }

    static func fmt(_ v: Vec3) -> String {
        "(\((0..<3).map { String(format: "%.1f", v[$0]) }.joined(separator: ", ")))"
    }
}

/// Landmarks of an imported femur mask: the same head, shaft and neck analysis as the automatic path.
enum ImportedFemur {
    static func landmarks(voxels: [Int], grid: ImageGrid, options: FemurOptions) -> FemurLandmarks? {
        guard let region = MaskRegion(voxels: voxels, parent: grid, marginMM: 3) else { return nil }
        let mask = HoleFilling.fill3D(region.mask)
        let g = mask.grid, n = g.dims
        // The most distal 10 mm of the mask stands in for the shaft seed.
        let points = mask.voxels.indices.filter { mask.voxels[$0] != 0 }.map { g.physicalPoint(index: indexVector($0, n)) }
        guard let zMin = points.map(\.z).min() else { return nil }
        let distal = points.filter { $0.z <= zMin + options.shaftSlabMM }
        let shaft = distal.reduce(Vec3.zero, +) / Double(distal.count)
        // A binary mask has no intensities: its smoothed indicator stands in for them.
        let intensity = GaussianSmoothing.smooth(mask.map { Float($0) }, sigma: 1).voxels
        // Which way is medial is read from the bone, not from the structure's name (a mirrored
        // affine, or a mislabelled side, puts the head on the other side): both directions are
        // searched and, as in the automatic path, the best-covered sphere wins. Searched one way only,
        // a name-led search took a 40 mm-lower sphere through the greater trochanter (neck–shaft 179°).
        guard let head = HeadFinder.find(bone: mask, intensity: intensity, voters: mask, shaft: shaft, medial: [-1, 1], options: options) else { return nil }
        return FemurLandmarkFinder.find(femur: mask, head: head, shaft: ShaftAnalysis(femur: mask, headCenter: head.sphere.center, options: options))
    }
}
