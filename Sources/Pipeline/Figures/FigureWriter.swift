// Figures written beside the result document, each registered with its SHA-256 (docs/result-document.md).
import Anatomy
import Densitometry
import FE
import Foundation
import ImageFormats
import OpenBCTCore
import ResultModel

/// Writes figure files into the output folder and returns their references.
struct FigureWriter {
    let directory: URL

    /// Writes `data` as `file` atomically and returns its reference.
    func register(_ data: Data, file: String, id: String, kind: FigureReference.Kind, mediaType: String, caption: String,
                  size: (Int, Int)? = nil, site: AnalysisSite? = nil, side: BodySide? = nil, pixelSize: [Double]? = nil) throws -> FigureReference {
        try writeAtomically(data, to: directory.appendingPathComponent(file))
        return FigureReference(id: id, kind: kind, file: file, mediaType: mediaType, sha256: SHA256Digest.hex(of: data), bytes: data.count,
                               width: size?.0, height: size?.1, caption: caption, site: site, side: side, pixelSize_mm: pixelSize)
    }

    /// A coronal (hip) or sagittal (spine) CT slice, bone window (L 300 / W 1500 HU), labels tinted.
    func ctSlice(hu: Volume<Float>, labels: Volume<UInt8>, through point: Vec3, site: AnalysisSite) throws -> FigureReference {
        let g = hu.grid, d = g.dims
        let c = g.continuousIndex(physical: point)
        // Coronal: columns along i (x), rows along k (z, superior first); sagittal: columns along j (y).
        let coronal = site == .hip
        let fixed = Int(min(max(0, (coronal ? c.y : c.x).rounded()), Double((coronal ? d.y : d.x) - 1)))
        let across = coronal ? d.x : d.y, acrossSpacing = coronal ? g.spacing.x : g.spacing.y
        let pixel = min(acrossSpacing, g.spacing.z)
        let width = Int((Double(across) * acrossSpacing / pixel).rounded()), height = Int((Double(d.z) * g.spacing.z / pixel).rounded())
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for r in 0..<height {
            let k = min(d.z - 1, Int((Double(height - 1 - r) + 0.5) * pixel / g.spacing.z))
            for col in 0..<width {
                let a = min(across - 1, Int((Double(col) + 0.5) * pixel / acrossSpacing))
                let idx = coronal ? g.linearIndex(a, fixed, k) : g.linearIndex(fixed, a, k)
                let v = Double(hu.voxels[idx])
                let grey = max(0, min(255, (v - (300 - 750)) / 1500 * 255))
                var px = (grey, grey, grey)
                if let tint = Self.tint(labels.voxels[idx]) {
                    px = (0.55 * grey + 0.45 * tint.0, 0.55 * grey + 0.45 * tint.1, 0.55 * grey + 0.45 * tint.2)
                }
                let o = 3 * (r * width + col)
                rgb[o] = UInt8(px.0); rgb[o + 1] = UInt8(px.1); rgb[o + 2] = UInt8(px.2)
            }
        }
        let png = try PNG.encode(width: width, height: height, channels: 3, pixels: rgb)
        let name = coronal ? "coronal" : "sagittal"
        return try register(png, file: "ct-\(site.rawValue)-\(name).png", id: "ct-\(site.rawValue)-\(name)", kind: .ctSliceOverlay,
                            mediaType: "image/png",
                            caption: "\(name.capitalized) CT slice through the \(site == .hip ? "femoral heads" : "strength vertebra"), bone window (L 300 / W 1500 HU), segmentation tinted",
                            size: (width, height), site: site, pixelSize: [pixel, pixel])
    }

    /// Colours of the overlay: femurs orange/yellow, vertebral bodies blue, posterior elements cyan.
    static func tint(_ label: UInt8) -> (Double, Double, Double)? {
        switch label {
        case AnatomyLabel.femurLeft: return (255, 140, 0)
        case AnatomyLabel.femurRight: return (255, 215, 0)
        case 101...126, 200..<220: return (40, 120, 255)
        case 151...176, 220..<240: return (0, 220, 220)
        default: return nil
        }
    }

    /// The DXA-like projection of a femur: areal density in grey, regions tinted (neck red, trochanter
    /// green, intertrochanter blue).
    func projection(_ image: ProjectionImage, side: BodySide) throws -> FigureReference {
        let grey = image.grey()
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        let colours: [UInt8: (Double, Double, Double)] = [1: (230, 40, 40), 2: (40, 200, 60), 3: (60, 110, 255)]
        for i in 0..<grey.count {
            let g = Double(grey[i])
            var px = (g, g, g)
            if let c = colours[image.regions[i]] { px = (0.6 * g + 0.4 * c.0, 0.6 * g + 0.4 * c.1, 0.6 * g + 0.4 * c.2) }
            rgb[3 * i] = UInt8(px.0); rgb[3 * i + 1] = UInt8(px.1); rgb[3 * i + 2] = UInt8(px.2)
        }
        let png = try PNG.encode(width: image.width, height: image.height, channels: 3, pixels: rgb)
        return try register(png, file: "dxa-\(side.rawValue).png", id: "dxa-\(side.rawValue)", kind: .dxaProjection, mediaType: "image/png",
                            caption: "DXA-like projection of the \(side.rawValue) femur (areal density, white = maximum); femoral neck red, trochanter green, intertrochanter blue; total hip = all three",
                            size: (image.width, image.height), site: .hip, side: side, pixelSize: [image.pixelSizeMM, image.pixelSizeMM])
    }

    /// Failed tissue at the strength peak, projected through the model along lattice y: grey = bone
    /// present, red intensity = fraction of the column's bone elements that yielded.
    func failedTissue(_ bone: SolvedBone, id: String) throws -> FigureReference {
        let m = bone.model, d = m.dims
        var boneCount = [Int](repeating: 0, count: d.x * d.z), failed = [Double](repeating: 0, count: d.x * d.z)
        for (e, cell) in m.elements.enumerated() where m.materialID[e] == FEModel.boneMaterial {
            let c = m.cellCoordinates(cell)
            let p = c.x + d.x * (d.z - 1 - c.z)
            boneCount[p] += 1
            failed[p] += Double(bone.failedTissue[e])
        }
        var rgb = [UInt8](repeating: 255, count: d.x * d.z * 3)
        for p in 0..<(d.x * d.z) where boneCount[p] > 0 {
            let f = min(1, failed[p] / Double(boneCount[p]))
            rgb[3 * p] = UInt8(180 + 75 * f); rgb[3 * p + 1] = UInt8(180 * (1 - f)); rgb[3 * p + 2] = UInt8(180 * (1 - f))
        }
        let png = try PNG.encode(width: d.x, height: d.z, channels: 3, pixels: rgb)
        let r = bone.record
        return try register(png, file: "failed-\(id).png", id: "failed-\(id)", kind: .failedTissueMap, mediaType: "image/png",
                            caption: "Failed (yielded) tissue at peak load, \(r.side.map { "\($0.rawValue) femur" } ?? r.level ?? "vertebra"): grey bone, red = fraction of yielded elements through the model (load axis vertical)",
                            size: (d.x, d.z), site: r.site, side: r.side, pixelSize: [m.voxelSize, m.voxelSize])
    }

    /// Force–displacement curve as CSV.
    func curve(_ r: StrengthRecord, id: String) throws -> FigureReference {
        var csv = "displacement_mm,force_N,yieldedFraction\n"
        for p in r.curve { csv += String(format: "%.6f,%.3f,%.6f\n", p.displacement_mm, p.force_N, p.yieldedFraction) }
        return try register(Data(csv.utf8), file: "curve-\(id).csv", id: "curve-\(id)", kind: .forceDisplacementData, mediaType: "text/csv",
                            caption: "Force–displacement curve, \(r.side.map { "\($0.rawValue) femur" } ?? r.level ?? "vertebra") (\(r.protocolName))",
                            site: r.site, side: r.side)
    }

    /// The anatomy label map (NIfTI, on the CT grid) for the DICOM SEG rendering.
    func labelMap(_ labels: Volume<UInt8>) throws -> FigureReference {
        let url = directory.appendingPathComponent("labels.nii.gz")
        try ImageFile.write(labels, to: url)
        let data = try Data(contentsOf: url)
        return FigureReference(id: "labels", kind: .labelMap, file: "labels.nii.gz", mediaType: "application/gzip", sha256: SHA256Digest.hex(of: data),
                               bytes: data.count, caption: "Anatomy label map on the CT grid (values: docs/anatomy.md)")
    }
}
