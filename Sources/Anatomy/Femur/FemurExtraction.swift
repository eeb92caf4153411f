// One femur, from its shaft seed to a labelled bone with landmarks.
import OpenBCTCore
import Foundation

struct FemurExtraction {
    let hu: Volume<Float>
    let seed: ShaftSeed
    let midlineX: Double
    let options: FemurOptions

    func run() -> SegmentedFemur {
        var result = SegmentedFemur(side: seed.side, voxels: [], pelvisVoxels: [], landmarks: nil, distalCut: nil, findings: [])
        let full = hu.grid
        // Work box around the shaft: the head lies ≤ 70 mm medial, the pelvis seeds beyond it; 200 mm
        // above the slab reach the acetabular roof of any hip scan.
        let c = full.continuousIndex(physical: seed.centroid)
        let half = SIMD3<Int>((0..<3).map { Int(([options.maxHeadMedialOffsetMM + 40, 80, 200][$0] / full.spacing[$0]).rounded(.up)) })
        let ci = SIMD3<Int>(Int(c.x), Int(c.y), Int(c.z))
        let up = full.direction.c2.z >= 0
        let lower = SIMD3(ci.x - half.x, ci.y - half.y, up ? 0 : ci.z - half.z)
        let upper = SIMD3(ci.x + half.x + 1, ci.y + half.y + 1, up ? ci.z + half.z + 1 : full.dims.z)
        let roi = hu.cropped(lower: lower, upper: upper)
        let offset = pointwiseMax(lower, .zero)
        let grid = roi.grid, n = grid.dims
        let bone = BoneMask(hu: roi, thresholds: options.bone)
        func local(_ fullIndex: Int) -> Int {
            let v = indexVector(fullIndex, full.dims)
            return grid.linearIndex(Int(v.x) - offset.x, Int(v.y) - offset.y, Int(v.z) - offset.z)
        }
        func toFull(_ idx: Int) -> Int {
            full.linearIndex(idx % n.x + offset.x, (idx / n.x) % n.y + offset.y, idx / (n.x * n.y) + offset.z)
        }
        let point = { (idx: Int) in grid.physicalPoint(index: indexVector(idx, n)) }
        let seedLocal = seed.voxels.map(local)

        // The bone connected to the shaft (femur, and the pelvis where partial volume bridges the joint).
        guard let seedLabel = seedLocal.lazy.map({ bone.components.voxels[$0] }).first(where: { $0 != 0 }) else {
            result.findings.append(Finding(.noFemurFound, site: .hip, usable: false, "\(seed.side.rawValue) femur: the shaft seed holds no bone"))
            return result
        }
        let connected = bone.components.map { $0 == seedLabel ? UInt8(1) : 0 }

        // Head: a sphere found by its surface votes (HeadFinder), medial to the shaft — toward the
        // body's midline, else (a cropped or mirrored volume) away from it.
        let towardMidline = midlineX > seed.centroid.x ? 1.0 : -1.0
        let find = { (medial: Double) in
            HeadFinder.find(bone: bone.mask, intensity: bone.smoothed.voxels, voters: connected, shaft: seed.centroid, medial: [medial], options: options)
        }
        guard let head = find(towardMidline) ?? find(-towardMidline) else {
            result.findings.append(Finding(.noFemurFound, site: .hip, usable: false,
                "\(seed.side.rawValue) femur: no femoral head (a sphere of radius \(options.headRadiusRangeMM) mm) above the shaft"))
            return result
        }

        // Watershed: femur seeded by the shaft and the inner head ball, pelvis by all bone beyond the
        // joint space outside the neck cone that lies above the head's lower third or medial to its
        // centre (ischium, pubis); they meet in the joint space.
        // The side from the bone itself: the head is medial to the shaft, and LPS +x is the patient's
        // left, so a left femur's head lies at lower x than its shaft.
        let medial = head.sphere.center.x > seed.centroid.x ? 1.0 : -1.0
        result.side = medial < 0 ? .left : .right
        let neckGuess = normalize(Vec3(seed.centroid.x, seed.centroid.y, head.sphere.center.z - head.sphere.radius * 1.5) - head.sphere.center)
        let cosCone = cos(options.neckConeHalfAngleDeg * .pi / 180)
        var markers = Volume<Int32>(grid: grid, repeating: 0)
        for v in seedLocal { markers.voxels[v] = 1 }
        let r = head.sphere.radius
        var headHU: [Float] = [], pelvisHU: [Float] = []
        for idx in 0..<grid.count where bone.mask.voxels[idx] != 0 {
            let d = point(idx) - head.sphere.center, dist = length(d)
            if dist <= r - 3, connected.voxels[idx] != 0 { markers.voxels[idx] = 1; headHU.append(bone.smoothed.voxels[idx]) }
            else if dist >= r + options.jointMarginMM,
                    dot(d, neckGuess) < cosCone * dist, d.z >= -0.3 * r || d.x * medial >= 0 {
                markers.voxels[idx] = 2
                if bone.mask.voxels[idx] != 0 { pelvisHU.append(bone.smoothed.voxels[idx]) }
            }
        }
        // Cap the relief at the lower of the two sides' median bone HU, so neither front runs around
        // the other along bright cortex.
        func median(_ v: [Float]) -> Float? { v.isEmpty ? nil : v.sorted()[v.count / 2] }
        let cap = min(median(headHU) ?? options.bone.strongHU, median(pelvisHU) ?? .infinity)
        let relief = bone.smoothed.voxels.map { min($0, cap) }
        // The flood stays in the bone: the fat between head and acetabular fossa must not be claimed;
        // the femur's own marrow is filled afterwards.
        var flooded = Watershed.flood(relief: relief, levels: -1100...Int(cap.rounded()), markers: markers, domain: bone.mask)
        VertebraSolidifier.solidify(&flooded, label: 1)
        var femurMask = flooded.map { $0 == 1 ? UInt8(1) : 0 }
        femurMask = HoleFilling.fillSlices(femurMask, normalAxis: 2)
        bone.trimSurface(&femurMask, thresholds: options.bone)

        // Shaft axis, lesser trochanter and distal cut.
        let shaft = ShaftAnalysis(femur: femurMask, headCenter: head.sphere.center, options: options)
        // The shaft axis is fitted in the femur's most distal 40 mm. A femur reaching fewer than
        // `minReachBelowHeadRadii` head radii below the head centre ends in the trochanteric region: the
        // lesser trochanter's bump and the flare tilt that axis (phantom ending 60 mm below the head
        // centres: 3.4–3.7°), and a "lesser trochanter" found there is the flare (the phantom ending 70–80 mm
        // below was cut 10 mm under it without a word).
        let axisT = { (i: Int) in dot(point(i) - shaft.axis.point, shaft.axis.direction) }
        let lowest = femurMask.voxels.indices.lazy.filter { femurMask.voxels[$0] != 0 }.map(axisT).min() ?? 0
        let reach = dot(head.sphere.center - shaft.axis.point, shaft.axis.direction) - lowest
        let short = reach < options.minReachBelowHeadRadii * head.sphere.radius
        if short {
            result.findings.append(Finding(.shaftAxisUncertain, site: .hip,
                "\(result.side.rawValue) femur reaches only \(Int(reach)) mm below the head centre (fewer than \(options.minReachBelowHeadRadii) head radii): its distal end is the trochanteric region, not the shaft; the shaft axis, neck-shaft angle and femur frame may be tilted by several degrees"))
        }
        if let cut = shaft.distalCut, !short {
            for i in femurMask.voxels.indices where femurMask.voxels[i] != 0 && cut.signedDistance(point(i)) < 0 { femurMask.voxels[i] = 0 }
            result.distalCut = cut
        } else {
            result.findings.append(Finding(.femurCutByFieldOfView, site: .hip,
                short ? "\(result.side.rawValue) femur: the scan ends in the trochanteric region; the femur is cut by the field of view"
                : shaft.lesserTrochanterLevel == nil
                    ? "\(result.side.rawValue) femur: no lesser trochanter found above a constant shaft (the scan may start in the trochanteric flare); the femur is cut by the field of view"
                    : "\(result.side.rawValue) femur: the scan does not cover the distal cut \(options.distalCutBelowLesserTrochanterMM) mm below the lesser trochanter across the whole shaft; the femur is cut by the field of view"))
        }
        let kept = Components(femurMask, connectivity: .twentySix)
        if kept.count > 1 { femurMask = kept.mask(of: 1) }
        result.voxels = femurMask.voxels.indices.filter { femurMask.voxels[$0] != 0 }.map(toFull)
        result.pelvisVoxels = flooded.voxels.indices.filter { flooded.voxels[$0] == 2 }.map(toFull)
        result.landmarks = FemurLandmarkFinder.find(femur: femurMask, head: head, shaft: shaft)
        if head.sphere.radius < options.headRadiusRangeMM.lowerBound || head.sphere.radius > options.headRadiusRangeMM.upperBound {
            result.findings.append(Finding(.headNotSeparated, site: .hip,
                "\(result.side.rawValue) femur: fitted head radius \(head.sphere.radius) mm is outside \(options.headRadiusRangeMM): check the head–acetabulum cut"))
        }
        return result
    }
}
