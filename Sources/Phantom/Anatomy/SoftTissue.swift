// The soft-tissue envelope: skin outline (trunk and thighs, back flattened on the table),
// subcutaneous fat, muscle, abdominal and pelvic cavities with visceral fat, bowel and gas,
// bladder, psoas, spinal canal and the great vessels.
import Foundation
import OpenBCTCore

struct SoftTissue: Sendable {
    let size: Double
    /// LPS y of the flattened back (where the patient lies on the table or calibration pad).
    let backY: Double
    let fatThickness: Double
    let bowelTexture: ValueNoise
    let gasTexture: ValueNoise
    /// Blood vessels as capsules (aorta, iliac and femoral arteries, vena cava and veins).
    let vessels: [Vessel]

    struct Vessel: Sendable {
        var a: Vec3, b: Vec3, radius: Double
        var label: UInt8
        var material: TissueMaterial
        var bounds: Bounds { Bounds(around: [a, b], margin: radius) }
    }

    init(size: Double, seed: UInt64) {
        self.size = size
        backY = 10 + 100 * size
        fatThickness = 18 * size * size
        bowelTexture = ValueNoise(seed: seed ^ 0xB0E1, cell: 16)
        gasTexture = ValueNoise(seed: seed ^ 0x6A5, cell: 9)
        func spine(_ z: Double, _ dx: Double, _ dy: Double) -> Vec3 { Vec3(dx, SpineCurve.y(z) + dy, z) }
        func artery(_ a: Vec3, _ b: Vec3, _ r: Double, _ label: UInt8 = PhantomLabel.otherVessel) -> Vessel {
            Vessel(a: a, b: b, radius: r, label: label, material: .arterialBlood)
        }
        func vein(_ a: Vec3, _ b: Vec3, _ r: Double) -> Vessel {
            Vessel(a: a, b: b, radius: r, label: PhantomLabel.otherVessel, material: .venousBlood)
        }
        let bifurcation = spine(135, 12, -28), confluence = spine(125, -18, -24)
        var v: [Vessel] = [
            artery(spine(330, 15, -31), spine(250, 15, -31), 11, PhantomLabel.aorta),
            artery(spine(250, 15, -31), spine(190, 14, -31), 10.5, PhantomLabel.aorta),
            artery(spine(190, 14, -31), bifurcation, 10, PhantomLabel.aorta),
            vein(spine(330, -21, -24), confluence, 12),
        ]
        for s in [1.0, -1.0] {
            v.append(artery(bifurcation, Vec3(s * 45, 8, 90), 6.5))
            v.append(artery(Vec3(s * 45, 8, 90), Vec3(s * 75, -45, 15), 5))
            v.append(artery(Vec3(s * 75, -45, 15), Vec3(s * 82, -45, -130), 4.5))
            v.append(vein(confluence, Vec3(s * 42, 20, 85), 7.5))
            v.append(vein(Vec3(s * 42, 20, 85), Vec3(s * 68, -40, 15), 6))
            v.append(vein(Vec3(s * 68, -40, 15), Vec3(s * 70, -36, -130), 5.5))
        }
        vessels = v
    }

    /// Mask of vessels whose boxes touch `box`.
    func vessels(touching box: Bounds) -> UInt32 {
        var m: UInt32 = 0
        for (i, v) in vessels.enumerated() {
            let b = v.bounds
            if all(box.upper .>= b.lower) && all(box.lower .<= b.upper) { m |= 1 << i }
        }
        return m
    }

    /// The vessels of `mask` whose surface comes within `radius` of `centre`.
    func vessels(_ mask: UInt32, near centre: Vec3, radius: Double) -> UInt32 {
        var m = mask, out: UInt32 = 0
        while m != 0 {
            let i = m.trailingZeroBitCount
            m &= m - 1
            let v = vessels[i]
            if SDF.capsule(centre, v.a, v.b, v.radius) < radius { out |= 1 << i }
        }
        return out
    }

    /// Signed distance (2-D, per slice) to the skin.
    func bodyDistance(_ p: Vec3) -> Double {
        let s = size
        let ax = s * (160 - 12 * SDF.smoothstep(60, 160, p.z))
        let ay = s * (108 + 10 * SDF.smoothstep(60, 200, p.z))
        let yc = backY + 8 - ay
        // The trunk narrows into the perineum below the ischial tuberosities; thighs continue.
        let shrink = 140 * (1 - SDF.smoothstep(-85, -35, p.z))
        let trunk = SDF.ellipse(p.x, p.y - yc, ax, ay) + shrink
        let thighL = SDF.ellipse(p.x - 95 * s, p.y - 5, 75 * s, 95 * s)
        let thighR = SDF.ellipse(p.x + 95 * s, p.y - 5, 75 * s, 95 * s)
        let d = SDF.smoothUnion(trunk, min(thighL, thighR), 20)
        return max(d, p.y - backY)
    }

    /// Distance to the abdominal/pelvic cavity (visceral fat and bowel), 2-D per slice.
    func cavityDistance(_ p: Vec3) -> Double {
        let s = size
        let ay = s * (108 + 10 * SDF.smoothstep(60, 200, p.z))
        let yc = backY + 8 - ay
        let ax = s * (160 - 12 * SDF.smoothstep(60, 160, p.z))
        let abdominal = max(SDF.ellipse(p.x, p.y - yc + 10, ax - fatThickness - 22, ay - fatThickness - 24),
                            max(p.y - SpineCurve.y(max(p.z, 75)) - 8, 95 - p.z))
        let pelvic = max(SDF.ellipse(p.x, p.y + 5, 45 + 0.45 * max(0, p.z + 20), 55),
                         max(p.y - 30, max(-20 - p.z, p.z - 110)))
        return min(abdominal, pelvic)
    }

    func sample(_ p: Vec3, vessels mask: UInt32, _ nearest: inout Double, texture textureNearest: inout Double) -> PointSample? {
        var m = mask
        while m != 0 {
            let i = m.trailingZeroBitCount
            m &= m - 1
            let v = vessels[i]
            let d = SDF.capsule(p, v.a, v.b, v.radius)
            nearest = min(nearest, abs(d))
            if d < 0 { return PointSample(v.label, v.material) }
        }
        if p.z > 70 {
            let canal = SDF.ellipse(p.x, p.y - SpineCurve.y(p.z) - 28, 11, 8)
            nearest = min(nearest, abs(canal))
            if canal < 0 { return PointSample(PhantomLabel.spinalCanal, .water) }
        }
        let bladder = SDF.ellipsoid(p - Vec3(0, -55, 12), Vec3(40, 32, 28))
        nearest = min(nearest, abs(bladder))
        if bladder < 0 { return PointSample(PhantomLabel.bladder, .water) }

        let body = bodyDistance(p)
        nearest = min(nearest, abs(body), abs(body + fatThickness))
        guard body < 0 else { return nil }
        if body > -fatThickness { return PointSample(PhantomLabel.subcutaneousFat, .adipose) }
        if p.z > 60 {
            // Psoas muscles beside the lumbar spine, growing toward the pelvis.
            let r = 8 + 0.07 * (290 - p.z), cx = 30 + 0.12 * (290 - p.z)
            let psoas = SDF.ellipse(abs(p.x) - cx, p.y - SpineCurve.y(p.z) - 5, r, r * 0.9)
            nearest = min(nearest, abs(psoas))
            if psoas < 0 { return PointSample(PhantomLabel.muscle, .muscle) }
        }
        let cavity = cavityDistance(p)
        nearest = min(nearest, abs(cavity))
        guard cavity < 0 else { return PointSample(PhantomLabel.muscle, .muscle) }
        // Bowel loops in visceral fat, with gas pockets inside the loops. The noise thresholds are
        // interfaces too (the noise gradient is at most 3√3/cell, so |n − t|·cell/5.2 bounds the
        // distance); they are reported apart because the texture is not supersampled.
        let bowel = bowelTexture(p) - 0.1
        textureNearest = min(textureNearest, abs(bowel) * bowelTexture.cell / 5.2)
        guard bowel > 0 else { return PointSample(PhantomLabel.visceralFat, .adipose) }
        let gas = gasTexture(p) - 0.55
        textureNearest = min(textureNearest, abs(gas) * gasTexture.cell / 5.2)
        return gas > 0 ? PointSample(PhantomLabel.bowelGas, .air) : PointSample(PhantomLabel.bowel, .softTissue)
    }
}

/// What lies under the patient: an optional Mindways-like calibration pad (water-equivalent block
/// with rods running head to foot) and the carbon-fibre table.
struct PatientSupport: Sendable {
    let backY: Double
    let rods: [(x: Double, density: Float)]
    let rodMaterial: TissueMaterial
    let rodRadius: Double = 9
    let blockHalfWidth: Double = 130
    let blockThickness: Double = 40
    let tableTop: Double

    init(backY: Double, rodMaterial: PhantomOptions.RodMaterial, densities: [Double]) {
        self.backY = backY
        self.rodMaterial = rodMaterial == .ha ? .hydroxyapatiteInWater : .mineralizedWater
        let n = rodMaterial == .none ? 0 : densities.count
        rods = (0..<n).map { i in
            let x = n == 1 ? 0 : -100 + 200 * Double(i) / Double(n - 1)
            return (x, Float(densities[i]))
        }
        tableTop = backY + (n > 0 ? blockThickness + 3 : 1)
    }

    var hasPad: Bool { !rods.isEmpty }
    /// Centre line (x, y) of rod i.
    func rodCentre(_ i: Int) -> (x: Double, y: Double) { (rods[i].x, backY + 1 + blockThickness / 2) }

    func sample(_ p: Vec3, _ nearest: inout Double) -> PointSample {
        if hasPad {
            let cy = backY + 1 + blockThickness / 2
            let block = max(abs(p.x) - blockHalfWidth, abs(p.y - cy) - blockThickness / 2)
            nearest = min(nearest, abs(block))
            if block < 0 {
                for (i, rod) in rods.enumerated() {
                    let d = ((p.x - rod.x) * (p.x - rod.x) + (p.y - cy) * (p.y - cy)).squareRoot() - rodRadius
                    nearest = min(nearest, abs(d))
                    if d < 0 { return PointSample(PhantomLabel.firstRod + UInt8(i), rodMaterial, rod.density) }
                }
                return PointSample(PhantomLabel.calibrationBlock, .water)
            }
        }
        // Table: 3 mm carbon shells around a 30 mm foam core, 460 mm wide.
        let depth = p.y - tableTop
        let inside = max(abs(p.x) - 230, abs(depth - 18) - 18)
        nearest = min(nearest, abs(inside), abs(depth - 3), abs(depth - 33))
        guard inside < 0 else { return PointSample(PhantomLabel.air, .air) }
        return (depth < 3 || depth > 33) ? PointSample(PhantomLabel.table, .tableShell) : PointSample(PhantomLabel.table, .tableFoam)
    }
}
