// The state of one analysis while its stages run: the document being filled, timings, progress.
import Anatomy
import Assessment
import Calibration
import Densitometry
import FE
import Foundation
import OpenBCTCore
import ResultModel

struct AnalysisRun {
    let request: AnalysisRequest
    let progress: ProgressHandler?
    let assessor: Assessor
    var document: ResultDocument
    let figures: FigureWriter
    let clock: StageClock
    private var started = Date()

    init(request: AnalysisRequest, progress: ProgressHandler?, assessor: Assessor) {
        self.request = request; self.progress = progress; self.assessor = assessor
        document = ResultDocument(inputs: InputInfo(kind: "unknown", path: request.input, files: [], combinedSHA256: ""),
                                  parameters: AnalysisPipeline.parameters(request, assessor: assessor))
        figures = FigureWriter(directory: request.outputDirectory)
        clock = StageClock(progress: progress)
    }

    mutating func omit(_ part: String, _ site: AnalysisSite?, _ reason: String) {
        document.omissions.append(Omission(part: part, site: site, reason: reason))
    }

    mutating func execute(prior: ResultDocument?) throws {
        let ct = try clock.time("ingest", 0.0, "reading \(request.input)") { try CTSource.load(request.input, series: request.series) }
        document.study = ct.study
        document.inputs = ct.inputs
        if let p = request.prior {
            let data = try Data(contentsOf: p)
            document.inputs.prior = InputFile(name: p.path, sha256: SHA256Digest.hex(of: data), bytes: data.count)
        }
        document.patient = ct.headerPatient.applying(request.patient)
        document.acquisition = Self.acquisition(ct)
        for w in ct.warnings { document.qualityFindings.append(QualityFinding(stage: "ingest", severity: .warning, code: "seriesAssembly", message: w)) }
        if !ct.study.sourceIsDICOM {
            document.qualityFindings.append(QualityFinding(stage: "ingest", severity: .info, code: "notDICOM",
                message: "Input is a volume file: no DICOM identity or acquisition facts; DICOM outputs mint new UIDs and say the source was not DICOM."))
        }
        let (calibration, calFindings) = try clock.time("calibration", 0.08, "calibrating HU to density") {
            try CalibrationStage.calibrate(ct.volume, choice: request.options.calibration, facts: ct.facts, input: request.input)
        }
        document.calibration = CalibrationStage.record(calibration)
        document.qualityFindings += calFindings
        let density = calibration.apply(ct.volume)
        try withJobPool(threads: request.options.solveBonesConcurrently ? parallelWidth : 1) { pool in
            try analyseSites(ct, calibration: calibration, density: density, pool: pool)
        }
    }

    /// Anatomy, eligibility, densitometry, strength and figures, the bones' FE jobs on `pool` (docs/analysis.md,
    /// Performance). The hip is segmented on a pool thread while this one segments the spine, and its whole
    /// femurs' FE jobs start there as soon as it is done; whether their results are used is decided here, after
    /// eligibility, as when the jobs started after it. Their outcomes are recorded in a fixed order.
    mutating func analyseSites(_ ct: CTSource, calibration: Calibration, density: Volume<Float>, pool: JobPool) throws {
        let strength = StrengthStage(options: request.options), clock = self.clock, hu = ct.volume
        let hip = request.sites.contains(.hip) ? pool.add { HipStart(hu: hu, density: density, strength: strength, clock: clock, pool: pool) } : nil
        let anatomy = clock.time("anatomy", 0.15, "segmenting \(request.sites.map(\.rawValue).joined(separator: " and "))") {
            AnatomyStage.segment(hu, sites: request.sites) { hip?.value.segmentation }
        }
        let labelFigure = try figures.labelMap(anatomy.labels)
        document.figures.append(labelFigure)
        document.anatomy = AnatomyStage.record(anatomy, labelMapFile: labelFigure.file)
        document.qualityFindings += AnatomyStage.findings(anatomy)

        let eligibility = clock.time("eligibility", 0.25, "acquisition rules per site") {
            EligibilityStage.evaluate(sites: request.sites, hu: ct.volume, segmentation: anatomy, facts: ct.facts)
        }
        document.eligibility = EligibilityStage.records(eligibility)
        document.qualityFindings += EligibilityStage.findings(eligibility)
        var sites: [AnalysisSite] = []
        for e in document.eligibility {
            if e.allowsMeasurement { sites.append(e.site) } else {
                omit("\(e.site.rawValue) analysis", e.site, "refused by the eligibility rules: " +
                     e.checks.filter { $0.outcome == .fail }.map(\.message).joined(separator: "; "))
            }
        }

        if sites.contains(.hip) {
            try clock.time("densitometry", 0.3, "hip DXA-equivalent aBMD") {
                if anatomy.result.femurs.isEmpty { omit("hip aBMD", .hip, "no femur was segmented"); return }
                let a = try HipDensitometryStage.measure(density: density, segmentation: anatomy, patient: document.patient)
                var projections: [Side: String] = [:]
                for (side, image) in a.images.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    let f = try figures.projection(image, side: side == .left ? .left : .right)
                    document.figures.append(f); projections[side] = f.id
                }
                let (hips, lowest) = HipDensitometryStage.records(a, projectionFigures: projections)
                document.densitometry.hips = hips
                document.densitometry.lowestHipTScore = lowest
            }
        }
        if sites.contains(.spine) {
            try clock.time("densitometry-spine", 0.33, "spine trabecular vBMD") {
                let r = try SpineDensitometryStage.measure(density: density, hu: ct.volume, segmentation: anatomy, patient: document.patient)
                document.densitometry.spine = SpineDensitometryStage.record(r)
                if r.site == nil { omit("spine vBMD", .spine, "no usable vertebra in \(r.options.fallbackLevels.map(\.name).joined(separator: ", ")): \(r.notes.joined(separator: "; "))") }
            }
        }

        // The FE outcomes in a fixed order: the femurs (femur order), then the spine's level chain.
        var femurJobs: [PooledJob<StrengthJob.Outcome>] = []
        if let hip = hip?.value {
            if sites.contains(.hip) {
                for (f, cut) in hip.cut { omit("hip strength (\(f.side.rawValue) femur)", .hip, "not computed: \(cut.message)") }
                if hip.femurJobs.isEmpty { omit("hip strength", .hip, "no complete femur was segmented") }
                femurJobs = hip.femurJobs
            } else {
                // Refused: a femur job not started yet never starts; a started one runs out, its outcome unused.
                for job in hip.femurJobs { job.withdraw() }
            }
        }
        let vertebrae = anatomy.result.vertebrae, labels = anatomy.labels
        let spineChain = sites.contains(.spine) ? pool.add {
            StrengthJob.spineChain.run(strength, density: density, labels: labels, vertebrae: vertebrae, clock: clock)
        } : nil
        pool.drain()
        let outcomes = femurJobs.map(\.value) + (spineChain.map { [$0.value] } ?? [])
        var solved: [SolvedBone] = []
        for outcome in outcomes {
            clock.record(outcome.timings)
            switch outcome.kind {
            case .femur(let f, .success(let bone)):
                if plausible(bone, part: "hip strength (\(f.side.rawValue) femur)") { solved.append(bone) }
            case .femur(let f, .failure(let error)):
                omit("hip strength (\(f.side.rawValue) femur)", .hip, "FE failed: \(error)")
            case .spine(let bone, let refused):
                recordSpineLevels(used: bone, refused: refused)
                if let bone { solved.append(bone) }
            }
        }
        try clock.time("figures", 0.85, "writing figures") {
            try finishStrength(solved, calibration: calibration)
            if sites.contains(.hip), let f = anatomy.result.femurs.first?.landmarks?.headCenter {
                document.figures.append(try figures.ctSlice(hu: ct.volume, labels: anatomy.labels, through: f, site: .hip))
            }
            if let level = solved.first(where: { $0.record.site == .spine })?.record.level,
               let v = anatomy.result.vertebrae.first(where: { $0.level == level }),
               let centre = Self.centroid(anatomy.labels, label: v.bodyLabel) {
                document.figures.append(try figures.ctSlice(hu: ct.volume, labels: anatomy.labels, through: centre, site: .spine))
            }
        }
    }

    /// The QC findings of the spine levels passed over and, when none was solved, the omission.
    mutating func recordSpineLevels(used bone: SolvedBone?, refused: [LevelRefusal]) {
        let usedLevel = bone?.record.levelSelection
        for r in refused {
            let code = r.reason.hasPrefix("model not physiological") ? "strengthImplausible" : "strengthLevelRefused"
            document.qualityFindings.append(QualityFinding(stage: "fe", site: .spine, severity: .warning, code: code,
                message: "\(r.level) not used for spine strength: \(r.reason)" + (usedLevel.map { "; \($0.used) used instead" } ?? "")))
        }
        if usedLevel == nil {
            let reason = "not computed because none of \(SpineStrengthLevel.order.map(\.name).joined(separator: ", ")) is eligible: "
                + refused.map { "\($0.level) \($0.reason)" }.joined(separator: "; ")
            omit("spine strength", .spine, reason)
            document.qualityFindings.append(QualityFinding(stage: "fe", site: .spine, severity: .warning, code: "strengthNotComputed", message: reason))
        }
    }

    /// True when the solved bone passes the physiological gate; otherwise records a QC finding and an
    /// omission instead of a number.
    mutating func plausible(_ bone: SolvedBone, part: String) -> Bool {
        guard let problem = StrengthPlausibility.problem(bone.record) else { return true }
        let what = bone.record.level ?? bone.record.side.map { "\($0.rawValue) femur" } ?? bone.record.site.rawValue
        let reason = "not computed because the \(what) model is not physiological: \(problem)"
        omit(part, bone.record.site, reason)
        document.qualityFindings.append(QualityFinding(stage: "fe", site: bone.record.site, severity: .warning,
                                                       code: "strengthImplausible", message: reason))
        return false
    }

    /// Strength records with their intervals, class drivers (the weaker hip) and figures.
    mutating func finishStrength(_ solved: [SolvedBone], calibration: Calibration) throws {
        let weakestHip = solved.filter { $0.record.site == .hip }.min { $0.record.strength_N < $1.record.strength_N }
        for bone in solved {
            var r = bone.record
            r.drivesClass = r.site == .spine || r.side == weakestHip?.record.side
            var components: [UncertaintyComponent] = []
            if let cal = document.calibration {
                let native = calibration.nativeDensity(hu: (bone.meanDensity - cal.densityOffset_mgcm3) / cal.densityPerHU)
                if let c = StrengthUncertainty.calibration(cal, meanDensity: native,
                                                           yieldExponent: StrengthStage.yieldExponent(bone.law, atK2HPO4: bone.meanDensity)) {
                    components.append(c)
                }
            }
            if let d = StrengthUncertainty.fallDirection(r.fallDirections) { components.append(d) }
            if let g = bone.segmentationStiffness,
               let c = StrengthUncertainty.segmentation(eroded: g.eroded_N_per_mm, dilated: g.dilated_N_per_mm, nominal: g.nominal_N_per_mm,
                                                        radius_mm: g.radius_mm) {
                components.append(c)
            }
            let key = "\(r.site.rawValue)Strength"
            if let cv = assessor.change.parameters.precisionCVPercent[key] {
                components.append(StrengthUncertainty.precision(cvPercent: cv, source: assessor.change.parameters.sources[key] ?? ""))
            }
            r.interval = StrengthUncertainty.interval(strength: r.strength_N, components: components)
            let id = r.side.map { "hip-\($0.rawValue)" } ?? "spine-\(r.level ?? "vertebra")"
            let failed = try figures.failedTissue(bone, id: id)
            r.failedTissueFigure = failed.id
            document.figures += [failed, try figures.curve(r, id: id)]
            document.strength.append(r)
        }
    }

    /// Records a failure that stopped the analysis.
    mutating func discontinue(_ error: Error) {
        document.status = .discontinued
        omit("analysis", nil, "discontinued: \(error)")
        document.qualityFindings.append(QualityFinding(stage: "pipeline", severity: .blocking, code: "discontinued", message: "\(error)"))
    }

    /// Status, assessment, billing and the renderings omission; total time.
    mutating func finish(prior: ResultDocument?) {
        let analysed = document.analysedSites
        if document.status != .discontinued {
            document.status = request.sites.allSatisfy(analysed.contains) && document.omissions.allSatisfy({ $0.site == nil }) ? .completed : .partial
            let a = clock.time("assessment", 0.95, "classes and risk") { assessor.assess(document, prior: prior) }
            document.assessment = a
            for i in document.densitometry.hips.indices where !a.paediatric {
                document.densitometry.hips[i].bmdClass = document.densitometry.hips[i].lowestTScore.map(ClassThresholds.hipClass)
            }
            if !a.paediatric, let v = document.densitometry.spine?.siteVBMD_mgcm3 {
                document.densitometry.spine?.bmdClass = ClassThresholds.spineClass(vBMD: v)
            }
        }
        document.billing = BillingCoder.summarize(status: document.status, requestedSites: request.sites, analysedSites: analysed,
                                                  indications: request.indications, performers: request.performers,
                                                  discontinuedReason: document.discontinuedReason)
        document.timings = clock.timings + [StageTiming(stage: "total", seconds: Date().timeIntervalSince(started))]
        document.createdAt = ResultDocument.timestamp(Date())
    }

    static func acquisition(_ ct: CTSource) -> AcquisitionInfo {
        var a = AcquisitionInfo()
        if let f = ct.facts {
            a.modality = f.modality; a.manufacturer = f.manufacturer; a.manufacturerModelName = f.manufacturerModelName; a.kvp = f.kvp
            a.convolutionKernel = f.convolutionKernel; a.sliceThickness_mm = f.sliceThickness; a.sliceSpacing_mm = f.sliceSpacing
            a.pixelSpacing_mm = f.pixelSpacing; a.gantryTilt_deg = f.gantryDetectorTilt; a.contrastBolusAgent = f.contrastBolusAgent
            a.bodyPartExamined = f.bodyPartExamined
        }
        let g = ct.volume.grid
        a.dimensions = [g.dims.x, g.dims.y, g.dims.z]
        a.spacing_mm = [g.spacing.x, g.spacing.y, g.spacing.z]
        return a
    }

    static func centroid(_ labels: Volume<UInt8>, label: UInt8) -> Vec3? {
        guard let box = SiteCrop.box(of: [label], in: labels, margin: .zero) else { return nil }
        let g = labels.grid
        var s = Vec3.zero, n = 0.0
        for k in box.lower.z..<box.upper.z { for j in box.lower.y..<box.upper.y { for i in box.lower.x..<box.upper.x
        where labels.voxels[g.linearIndex(i, j, k)] == label {
            s = s + Vec3(Double(i), Double(j), Double(k)); n += 1
        } } }
        return g.physicalPoint(index: s / n)
    }
}
