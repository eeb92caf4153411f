// Generates a phantom: anatomy → voxels (partial volume) → scanner (PSF, streaks, noise) → HU,
// with the truth that describes it.
import Foundation
import OpenBCTCore

/// A generated phantom: the CT image, its truth maps and facts.
public struct PhantomCase: Sendable {
    /// CT numbers (HU), rounded and clipped to the 12-bit scanner range −1024…3071.
    public var hu: Volume<Int16>
    /// Truth: K2HPO4-equivalent mineral density (mg/cm³), volume-averaged per voxel; 0 in soft tissue.
    public var density: Volume<Float>
    /// Truth: label at each voxel centre (codes in `PhantomLabel`).
    public var labels: Volume<UInt8>
    public var truth: PhantomTruth
    /// Wall-clock seconds of each generation stage, in order (rasterize, blur, noise, …).
    public var stageSeconds: [(stage: String, seconds: Double)]
}

/// Builds phantoms from options.
public struct PhantomGenerator: Sendable {
    public var options: PhantomOptions

    public init(_ options: PhantomOptions) { self.options = options }

    /// The image grid the options describe: axial, LPS-aligned, field of view centred on the body.
    public static func grid(for o: PhantomOptions) -> ImageGrid {
        let matrix = Int((o.fieldOfView / o.pixelSpacing).rounded())
        let z = o.zCoverage.map { $0[0] ... $0[1] } ?? o.sites.map(Anatomy.zRange).reduce(Anatomy.zRange(o.sites[0])) {
            min($0.lowerBound, $1.lowerBound) ... max($0.upperBound, $1.upperBound)
        }
        let dz = o.spacingBetweenSlices
        let slices = Int(((z.upperBound - z.lowerBound) / dz).rounded(.down)) + 1
        let width = Double(matrix) * o.pixelSpacing
        let centreY = 40.0   // body (−110…+110) and table (to ≈+190) both fit a 410 mm field
        let origin = Vec3(-width / 2 + o.pixelSpacing / 2, centreY - width / 2 + o.pixelSpacing / 2, z.lowerBound)
        return ImageGrid(dims: SIMD3(matrix, matrix, slices), spacing: Vec3(o.pixelSpacing, o.pixelSpacing, dz), origin: origin)
    }

    public func generate() throws -> PhantomCase {
        try options.validate()
        let o = options
        let grid = Self.grid(for: o)
        let anatomy = Anatomy(options: o)
        let model = HounsfieldModel(kVp: o.kVp, arterialIodine: o.contrast ? o.arterialIodine : 0)
        var clock = StageClock()
        let raster = PhantomRasterizer.rasterize(anatomy, grid: grid, model: model, supersampling: o.supersampling)
        clock.lap("rasterize")

        var hu = raster.hu
        if anatomy.implant != nil {
            let waterMu = XRayAttenuation.water.linearAttenuation(keV: model.effectiveEnergyKeV) / 10
            let metalMu = XRayAttenuation.titaniumAlloy.linearAttenuation(keV: model.effectiveEnergyKeV) / 10
            MetalStreaks.add(to: &hu, labels: raster.labels, metalLabel: PhantomLabel.implantMetal, metalMu: metalMu, waterMu: waterMu)
            clock.lap("metal streaks")
        }
        let fwhm = o.inPlaneFWHM ?? max(0.9, 1.1 * o.pixelSpacing)
        // Voxel averaging already applied a box of one slice spacing; broaden to the nominal thickness.
        let sliceSigma = (max(0, o.sliceThickness * o.sliceThickness - o.spacingBetweenSlices * o.spacingBetweenSlices) / 12).squareRoot()
        ScannerModel.blur(&hu, sigmaXY: fwhm / 2.3548 / o.pixelSpacing, sigmaZ: sliceSigma / o.spacingBetweenSlices)
        clock.lap("blur")
        ScannerModel.addNoise(&hu, sigmaHU: o.noiseHU, seed: o.seed)
        clock.lap("noise")
        let ct = ScannerModel.quantize(hu)
        clock.lap("quantize")
        let truth = makeTruth(anatomy: anatomy, raster: raster, model: model, psf: fwhm, sliceSigma: sliceSigma)
        clock.lap("truth")
        return PhantomCase(hu: ct, density: raster.density, labels: raster.labels, truth: truth,
                           stageSeconds: clock.seconds.map { (stage: $0.0, seconds: $0.1) })
    }

    private func makeTruth(anatomy: Anatomy, raster: RasterResult, model: HounsfieldModel, psf: Double,
                           sliceSigma: Double) -> PhantomTruth {
        let o = options
        let water = model.materialHU["\(TissueMaterial.water)"] ?? 0
        var calibration = [PhantomTruth.CalibrationLine(material: "K2HPO4", slope: model.k2hpo4Slope, intercept: water,
                                                        densityUnit: "mg/cm3 K2HPO4")]
        calibration.append(.init(material: "hydroxyapatite", slope: model.hydroxyapatiteSlope, intercept: water,
                                 densityUnit: "mg/cm3 HA"))
        let support = anatomy.support
        let rods = support.rods.enumerated().map { i, rod in
            let material: TissueMaterial = support.rodMaterial
            let c = support.rodCentre(i)
            return PhantomTruth.Rod(label: PhantomLabel.firstRod + UInt8(i), material: o.rods.rawValue,
                                    density: Double(rod.density),
                                    k2hpo4Equivalent: Double(HounsfieldModel.k2hpo4Equivalent(material, solute: rod.density)),
                                    expectedHU: Double(model.hounsfield(material, solute: rod.density)),
                                    centre: [c.x, c.y], radius: support.rodRadius)
        }
        let femurs = anatomy.femurs.map { f in
            let distal = -f.shaftAxis
            let nsa = acos(min(1, max(-1, dot(f.neckAxis, distal)))) * 180 / .pi
            // Anteversion: the neck axis projected perpendicular to the shaft, angle out of the coronal plane.
            let across = f.neckAxis - f.shaftAxis * dot(f.neckAxis, f.shaftAxis)
            let av = atan2(-across.y, -dot(across, f.lateral)) * 180 / .pi
            return PhantomTruth.FemurLandmarks(
                side: f.sideSign > 0 ? .left : .right, headCentre: f.headCentre,
                headRadius: f.resection == nil ? f.headRadius : 14, neckAxis: f.neckAxis, shaftAxis: f.shaftAxis,
                neckShaftIntersection: f.neckShaftPoint, neckShaftAngle: nsa, anteversion: av,
                greaterTrochanter: f.greaterTrochanter, lesserTrochanter: f.lesserTrochanter,
                replacedByImplant: f.resection != nil)
        }
        let stats = Self.vertebraStatistics(raster)
        let vertebrae = anatomy.vertebrae.map { v in
            let e = v.endplates
            let s = stats[v.level]
            return PhantomTruth.VertebraLandmarks(
                level: PhantomLabel.vertebraLevels[v.level], bodyCentre: v.centre,
                bodyCentroid: s.count > 0 ? s.centroid / Double(s.count) : nil, bodyAxis: v.ez,
                superiorEndplate: .init(point: e.superior.0, normal: e.superior.1),
                inferiorEndplate: .init(point: e.inferior.0, normal: e.inferior.1),
                semiAxes: [v.a, v.b], height: v.height,
                meanTrabecularDensity: s.trabecularCount > 0 ? s.trabecularSum / Double(s.trabecularCount) : nil)
        }
        var mass: [String: Double] = [:], byLabel: [String: Double] = [:]
        for (l, m) in raster.massByLabel.enumerated() where m > 0 {
            byLabel[String(l)] = m
            if let s = PhantomLabel.structure(of: UInt8(l)) { mass[s, default: 0] += m }
        }
        return PhantomTruth(
            generator: "\(OpenBCT.name) \(OpenBCT.version) phantom", notice: OpenBCT.researchUseNotice,
            options: o, grid: raster.labels.grid, hounsfieldModel: model, calibration: calibration,
            trabecularScale: o.trabecularScale, rods: rods, femurs: femurs, vertebrae: vertebrae,
            labels: Dictionary(uniqueKeysWithValues: PhantomLabel.names.map { (String($0.key), $0.value) }),
            mineralMass: mass, mineralMassByLabel: byLabel, supersampledFraction: raster.supersampledFraction,
            psfFWHM: psf, sliceProfileSigma: sliceSigma)
    }

    /// Per vertebral level: voxel centroid of the body and mean density of its trabecular core.
    private static func vertebraStatistics(_ r: RasterResult) -> [(centroid: Vec3, count: Int, trabecularSum: Double, trabecularCount: Int)] {
        var stats = [(centroid: Vec3, count: Int, trabecularSum: Double, trabecularCount: Int)](
            repeating: (.zero, 0, 0, 0), count: PhantomLabel.vertebraLevels.count)
        let g = r.labels.grid, n = g.dims
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
            let l = r.labels.voxels[g.linearIndex(i, j, k)]
            guard l >= PhantomLabel.vertebraBase && l < PhantomLabel.vertebraBase + 24 else { continue }
            let level = Int(l - PhantomLabel.vertebraBase) / 4, part = Int(l - PhantomLabel.vertebraBase) % 4
            if part == Int(PhantomLabel.VertebraPart.posteriorElements.rawValue) { continue }
            stats[level].centroid += g.physicalPoint(index: Vec3(Double(i), Double(j), Double(k)))
            stats[level].count += 1
            if part == Int(PhantomLabel.VertebraPart.bodyTrabecular.rawValue) {
                stats[level].trabecularSum += Double(r.density.voxels[g.linearIndex(i, j, k)])
                stats[level].trabecularCount += 1
            }
        } } }
        return stats
    }
}

/// Wall-clock time of each generation stage (for benchmarks).
struct StageClock {
    private var last = Date()
    private(set) var seconds: [(String, Double)] = []
    mutating func lap(_ name: String) {
        let now = Date()
        seconds.append((name, now.timeIntervalSince(last)))
        last = now
    }
}
