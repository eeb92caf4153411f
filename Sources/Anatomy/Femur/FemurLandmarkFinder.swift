// Neck axis, neck-shaft angle, greater trochanter and the femur frame from a segmented femur.
import OpenBCTCore
import Foundation

enum FemurLandmarkFinder {
    static func find(femur: Mask, head: FemoralHead, shaft: ShaftAnalysis) -> FemurLandmarks? {
        let grid = femur.grid, n = grid.dims
        let c = head.sphere.center, r = head.sphere.radius
        let points = femur.voxels.indices.filter { femur.voxels[$0] != 0 }.map { grid.physicalPoint(index: indexVector($0, n)) }
        guard !points.isEmpty else { return nil }
        // Neck direction: the head centre to the centroid of the narrowest section of the neck,
        // searched 0–30 mm beyond the head surface, iterated from a guess toward the shaft below.
        let below = shaft.axis.point + shaft.axis.direction * (dot(c - shaft.axis.point, shaft.axis.direction) - r)
        var towardNeck = normalize(below - c)
        for _ in 0..<4 {
            var sections: [(area: Int, centroid: Vec3)] = []
            for t in stride(from: r, through: r + 30, by: 2.0) {
                var sum = Vec3.zero, count = 0
                for p in points {
                    let d = p - c, along = dot(d, towardNeck)
                    if abs(along - t) <= 1, length(d - towardNeck * along) <= 1.5 * r { sum += p; count += 1 }
                }
                if count > 0 { sections.append((count, sum / Double(count))) }
            }
            guard let narrowest = sections.min(by: { $0.area < $1.area }) else { break }
            towardNeck = normalize(narrowest.centroid - c)
        }
        let neck = Line(point: c, direction: -towardNeck)   // neck → head
        let u = shaft.axis.direction
        let nsa = 180 - acos(max(-1, min(1, dot(neck.direction, u)))) * 180 / .pi
        let frame = FemurFrame(headCenter: c, shaftAxis: shaft.axis)
        // Greater trochanter: the most proximal femur point lateral to the shaft axis.
        var gt = c, best = -Double.infinity
        for p in points {
            let d = p - shaft.axis.point
            if dot(d, frame.x) < 0, dot(d, u) > best { best = dot(d, u); gt = p }
        }
        return FemurLandmarks(headCenter: c, headRadiusMM: r, headFitRMSMM: head.rms, neckAxis: neck, shaftAxis: shaft.axis,
                              neckShaftAngleDeg: nsa, greaterTrochanter: gt, lesserTrochanterLevel: shaft.lesserTrochanterLevel,
                              frame: frame)
    }
}
