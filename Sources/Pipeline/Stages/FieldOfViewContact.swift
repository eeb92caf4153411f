// Whether a bone is whole in the scan: its mask must not touch any border of what the scanner imaged —
// the first or last slice, the in-plane edge of the image (a field of view cropped through the bone), or
// the outside of the reconstruction circle (padding voxels next to bone).
import Anatomy
import OpenBCTCore

/// The borders of the imaged region a bone mask can touch.
enum FieldOfViewBorder: String, Sendable, CaseIterable, Comparable {
    case firstSlice = "first slice", lastSlice = "last slice", imageEdge = "in-plane image edge"
    case reconstructionCircle = "reconstruction circle"

    static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

enum FieldOfViewContact {
    /// Voxels below this are outside the reconstructed field of view: no tissue or air reads below about
    /// −1,100 HU, while scanners pad the outside of the reconstruction circle with −2,000 to −3,024 HU
    /// (and `CTSeriesLoader` fills tilt-uncovered voxels with the series minimum). A scanner that pads
    /// with −1,024 HU is indistinguishable from air here; its in-plane cut is then seen only at the image edge.
    static let outsideHU: Float = -1_500

    /// For every label value in `wanted`, the borders its voxels touch (absent: none). A bone voxel touches
    /// the reconstruction circle when one of its four in-plane neighbours is below `outsideHU`.
    static func borders(labels: Volume<UInt8>, hu: Volume<Float>, wanted: Set<UInt8>) -> [UInt8: Set<FieldOfViewBorder>] {
        precondition(labels.dims == hu.dims, "labels and HU share the CT grid")
        var isWanted = [Bool](repeating: false, count: 256)
        for v in wanted { isWanted[Int(v)] = true }
        let table = isWanted
        let n = labels.dims, plane = n.x * n.y
        // Per slice, per label: a bit mask of the borders touched (bit = index in allCases).
        let perSlice = SendableBox([[UInt8: UInt8]](repeating: [:], count: n.z))
        labels.voxels.withUnsafeBufferPointer { lb in
            hu.voxels.withUnsafeBufferPointer { hb in
                let l = SendableConstPointer(lb.baseAddress!), h = SendableConstPointer(hb.baseAddress!)
                parallelFor(n.z) { k in
                    var touched: [UInt8: UInt8] = [:]
                    let sliceBits: UInt8 = (k == 0 ? 1 : 0) | (k == n.z - 1 ? 2 : 0)
                    for j in 0..<n.y {
                        for i in 0..<n.x {
                            let p = plane * k + n.x * j + i
                            let label = l[p]
                            guard table[Int(label)] else { continue }
                            var bits = sliceBits
                            if i == 0 || j == 0 || i == n.x - 1 || j == n.y - 1 { bits |= 4 } else if
                                h[p - 1] < outsideHU || h[p + 1] < outsideHU || h[p - n.x] < outsideHU || h[p + n.x] < outsideHU {
                                bits |= 8
                            }
                            if bits != 0 { touched[label, default: 0] |= bits }
                        }
                    }
                    perSlice.set(k, touched)
                }
            }
        }
        var result: [UInt8: Set<FieldOfViewBorder>] = [:]
        for slice in perSlice.value { for (label, bits) in slice {
            for (b, border) in FieldOfViewBorder.allCases.enumerated() where bits & (1 << b) != 0 { result[label, default: []].insert(border) }
        } }
        return result
    }

    /// Marks every femur and vertebral body whose mask touches a border as cut by the field of view, with
    /// an anatomy finding naming the borders (femur: not usable, so it is neither measured nor solved;
    /// vertebra: `cutByFieldOfView`, so no strength or vBMD level uses it). Anatomy itself checks only the
    /// first and last slice (vertebrae) and the scan's reach below the lesser trochanter (femurs).
    static func mark(_ segmentation: inout AnatomySegmentation, hu: Volume<Float>) {
        var r = segmentation.result
        let wanted = Set(r.femurs.map(\.label) + r.vertebrae.map(\.bodyLabel))
        guard !wanted.isEmpty else { return }
        let touched = borders(labels: segmentation.labels, hu: hu, wanted: wanted)
        func list(_ s: Set<FieldOfViewBorder>) -> String { s.sorted().map(\.rawValue).joined(separator: ", ") }
        for f in r.femurs {
            guard let b = touched[f.label] else { continue }
            r.findings.append(Finding(.femurCutByFieldOfView, site: .hip, usable: false,
                                      "\(f.side.rawValue) femur: the bone mask touches the \(list(b)): cut by the field of view, not whole in the scan"))
        }
        for i in r.vertebrae.indices where !r.vertebrae[i].cutByFieldOfView {
            guard let b = touched[r.vertebrae[i].bodyLabel] else { continue }
            r.vertebrae[i].cutByFieldOfView = true
            r.findings.append(Finding(.vertebraCutByFieldOfView, site: .spine,
                                      "\(r.vertebrae[i].level ?? "vertebra #\(r.vertebrae[i].ordinal)") body touches the \(list(b)): cut by the field of view"))
        }
        segmentation.result = r
    }
}
