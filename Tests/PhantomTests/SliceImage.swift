// Test helper: renders a coronal or sagittal plane of a CT volume as a windowed 8-bit PNG
// (PGM → PNG through netpbm's pnmtopng), with square pixels in millimetres.
import Foundation
import OpenBCTCore
import TestSupport

enum SliceImage {
    enum Plane { case coronal(y: Double), sagittal(x: Double) }

    /// Writes `plane` of `hu` to `url` (PNG), window centre/width in HU, `mmPerPixel` output resolution.
    static func write(_ hu: Volume<Int16>, _ plane: Plane, to url: URL, level: Double = 250, width: Double = 1600,
                      mmPerPixel: Double = 1.0) throws {
        let g = hu.grid, b = g.physicalBounds
        let horizontalRange: (Double, Double), fixed: Double, horizontalIsX: Bool
        switch plane {
        case .coronal(let y): horizontalRange = (b.min.x, b.max.x); fixed = y; horizontalIsX = true
        case .sagittal(let x): horizontalRange = (b.min.y, b.max.y); fixed = x; horizontalIsX = false
        }
        let w = Int(((horizontalRange.1 - horizontalRange.0) / mmPerPixel).rounded()) + 1
        let h = Int(((b.max.z - b.min.z) / mmPerPixel).rounded()) + 1
        var pixels = [UInt8](repeating: 0, count: w * h)
        for r in 0..<h {
            let z = b.max.z - Double(r) * mmPerPixel   // superior at the top
            for c in 0..<w {
                // Radiological display: coronal shows patient right on the image left (x increasing).
                let t = horizontalRange.0 + Double(c) * mmPerPixel
                let p = horizontalIsX ? Vec3(t, fixed, z) : Vec3(fixed, t, z)
                let v = sampleLinear(hu, g.continuousIndex(physical: p))
                let grey = ((v - (level - width / 2)) / width * 255).rounded()
                pixels[r * w + c] = UInt8(max(0, min(255, grey)))
            }
        }
        var pgm = Data("P5\n\(w) \(h)\n255\n".utf8)
        pgm.append(contentsOf: pixels)
        let pgmURL = url.deletingPathExtension().appendingPathExtension("pgm")
        try pgm.write(to: pgmURL)
        defer { try? FileManager.default.removeItem(at: pgmURL) }
        let result = try ExternalTool.run("/bin/sh", ["-c", "pnmtopng -compression 9 '\(pgmURL.path)' > '\(url.path)'"])
        guard result.status == 0 else { throw PictureError(message: "pnmtopng failed: \(result.stderr)") }
    }

    /// Trilinear sample at a continuous index (edge-clamped).
    private static func sampleLinear(_ v: Volume<Int16>, _ s: Vec3) -> Double {
        let n = v.dims
        let c = pointwiseMin(pointwiseMax(s, .zero), Vec3(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1)))
        let f = c.rounded(.down), t = c - f
        let x0 = Int(f.x), y0 = Int(f.y), z0 = Int(f.z)
        let x1 = min(x0 + 1, n.x - 1), y1 = min(y0 + 1, n.y - 1), z1 = min(z0 + 1, n.z - 1)
        func at(_ x: Int, _ y: Int, _ z: Int) -> Double { Double(v[x, y, z]) }
        let a = at(x0, y0, z0) * (1 - t.x) + at(x1, y0, z0) * t.x, b = at(x0, y1, z0) * (1 - t.x) + at(x1, y1, z0) * t.x
        let c0 = at(x0, y0, z1) * (1 - t.x) + at(x1, y0, z1) * t.x, d = at(x0, y1, z1) * (1 - t.x) + at(x1, y1, z1) * t.x
        return ((a * (1 - t.y) + b * t.y) * (1 - t.z) + (c0 * (1 - t.y) + d * t.y) * t.z)
    }
}

struct PictureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
