// Every refusal rule of methods.md §2, each on facts that break only that rule.
@testable import Anatomy
import Calibration
import DICOM
import Eligibility
import OpenBCTCore
import Testing

@Suite("Eligibility rules (methods.md §2)")
struct EligibilityRuleTests {
    static let grid = ImageGrid(dims: SIMD3(100, 100, 100), spacing: Vec3(0.8, 0.8, 1.25), origin: Vec3(0, 0, -60))

    /// A DICOM acquisition that meets every rule.
    static func goodAcquisition() -> AcquisitionFacts {
        var a = AcquisitionFacts()
        a.kvp = 120; a.convolutionKernel = "B30f"; a.sliceThickness = 1.25
        return a
    }

    static func vertebra(_ level: String?, ordinal: Int, cut: Bool = false) -> VertebraSummary {
        VertebraSummary(level: level, ordinal: ordinal, bodyLabel: level.flatMap(VertebralLevel.init(name:)).map(AnatomyLabel.body) ?? AnatomyLabel.unnamedBody(ordinal),
                        posteriorLabel: 0, bodyVolumeMM3: 30000, posteriorVolumeMM3: 10000, trabecularCoreVolumeMM3: 15000,
                        cutByFieldOfView: cut, landmarks: nil)
    }

    static func femur(_ side: Side, headTopZ: Double = 20, reachesBelowLesserTrochanter: Bool = true) -> FemurSummary {
        let shaft = Line(point: Vec3(0, 0, -40), direction: Vec3(0, 0, 1))
        let landmarks = FemurLandmarks(headCenter: Vec3(0, 0, headTopZ - 24), headRadiusMM: 24, headFitRMSMM: 0.3,
                                       neckAxis: Line(point: Vec3(0, 0, headTopZ - 24), direction: Vec3(1, 0, 0)), shaftAxis: shaft,
                                       neckShaftAngleDeg: 128, greaterTrochanter: Vec3(-40, 0, 0),
                                       lesserTrochanterLevel: reachesBelowLesserTrochanter ? Vec3(0, 0, -45) : nil,
                                       frame: FemurFrame(headCenter: Vec3(0, 0, headTopZ - 24), shaftAxis: shaft))
        return FemurSummary(side: side, label: AnatomyLabel.femur(side), volumeMM3: 200000, landmarks: landmarks,
                            distalCut: reachesBelowLesserTrochanter ? Plane(point: Vec3(0, 0, -55), normal: Vec3(0, 0, 1)) : nil)
    }

    static func anatomy(vertebrae: [VertebraSummary] = [vertebra("T12", ordinal: 2), vertebra("L1", ordinal: 1), vertebra("L2", ordinal: 0)],
                        femurs: [FemurSummary] = [femur(.left), femur(.right)]) -> SegmentationResult {
        SegmentationResult(source: "test", sites: Site.allCases, labelTable: [], vertebrae: vertebrae, levels: nil, femurs: femurs, findings: [])
    }

    static func contrast(bloodHU: Double?, agent: String? = nil) -> ContrastFinding {
        let region = bloodHU.flatMap { hu in
            RegionStatistics([Float](repeating: Float(hu), count: 50)).map {
                CalibrationRegion(name: "aorta", centre: .zero, slice: 0, areaMM2: 100, statistics: $0)
            }
        }
        return ContrastFinding(headerAgent: agent, blood: region, bloodSource: "test")
    }

    static func facts(_ site: Site, metal: [Int] = [], cut: [String] = []) -> SiteImageFacts {
        SiteImageFacts(site: site, boneSections: 40, metalSections: metal, metalVoxels: metal.count * 20, cutInPlane: cut)
    }

    static func evaluate(acquisition: AcquisitionFacts? = goodAcquisition(), anatomy: SegmentationResult = anatomy(),
                         contrast: ContrastFinding = contrast(bloodHU: 40),
                         facts: [SiteImageFacts] = [facts(.hip), facts(.spine)]) -> EligibilityReport {
        Eligibility.evaluate(acquisition: acquisition, grid: grid, anatomy: anatomy, contrast: contrast, imageFacts: facts)
    }

    @Test("a scan meeting every rule is accepted at both sites with every rule passed")
    func allPass() throws {
        let report = Self.evaluate()
        for site in Site.allCases {
            let s = try #require(report[site])
            #expect(s.accepted, "\(site): \(s.reasons)")
            #expect(s.outcomes.count == EligibilityRule.allCases.count)
            #expect(s.outcomes.allSatisfy { $0.status == .pass }, "\(s.outcomes.map(\.summary))")
        }
    }

    @Test("kVp outside 100–140 refuses both sites; the limits themselves pass", arguments: [(80.0, false), (99.0, false), (100.0, true), (140.0, true), (150.0, false)])
    func kvp(kv: Double, accepted: Bool) throws {
        var a = Self.goodAcquisition(); a.kvp = kv
        let report = Self.evaluate(acquisition: a)
        for site in Site.allCases {
            #expect(report[site]?.accepted == accepted)
            #expect(report[site]?.outcome(.kvp)?.status == (accepted ? .pass : .fail))
        }
    }

    @Test("sharp or bone kernels refuse; soft and standard pass; unknown names are not verifiable",
          arguments: [("B70f", RuleStatus.fail), ("Br64d", .fail), ("BONE", .fail), ("LUNG", .fail), ("FC30", .fail), ("YC", .fail),
                      ("B30f", .pass), ("Br40d\\2", .pass), ("I31f", .pass), ("STANDARD", .pass), ("SOFT", .pass), ("FC12", .pass), ("B", .pass),
                      ("XYZ-9000", .notVerifiable)])
    func kernel(name: String, status: RuleStatus) throws {
        var a = Self.goodAcquisition(); a.convolutionKernel = name
        let report = Self.evaluate(acquisition: a)
        #expect(report[.spine]?.outcome(.kernel)?.status == status)
        #expect(report[.spine]?.accepted == (status != .fail))
    }

    @Test("slice thickness: 4 mm refuses the spine (≤ 3 mm) but not the hip (≤ 5 mm); 6 mm refuses both")
    func sliceThickness() throws {
        var a = Self.goodAcquisition(); a.sliceThickness = 4
        var report = Self.evaluate(acquisition: a)
        #expect(report[.spine]?.accepted == false)
        #expect(report[.spine]?.outcome(.sliceThickness)?.status == .fail)
        #expect(report[.hip]?.accepted == true)
        a.sliceThickness = 6
        report = Self.evaluate(acquisition: a)
        #expect(report[.hip]?.accepted == false && report[.spine]?.accepted == false)
    }

    @Test("IV contrast (enhanced aorta or a named agent) refuses the spine and flags the hip")
    func contrast() throws {
        for finding in [Self.contrast(bloodHU: 180), Self.contrast(bloodHU: 40, agent: "OMNIPAQUE 350")] {
            #expect(finding.status == .present)
            let report = Self.evaluate(contrast: finding)
            #expect(report[.spine]?.accepted == false)
            #expect(report[.spine]?.outcome(.contrast)?.status == .fail)
            #expect(report[.hip]?.accepted == true)
            #expect(report[.hip]?.outcome(.contrast)?.status == .flagged)
            #expect(report[.hip]?.findings.contains { $0.hasPrefix("contrast") } == true)
        }
        // "NONE" in the header names no agent; an aorta at 85 HU is indeterminate (a finding, not a refusal).
        let none = Self.contrast(bloodHU: 45, agent: "NONE")
        #expect(none.status == .absent)
        let late = Self.evaluate(contrast: Self.contrast(bloodHU: 85))
        #expect(late.contrast.status == .indeterminate)
        #expect(late[.spine]?.accepted == true && late[.spine]?.outcome(.contrast)?.status == .notVerifiable)
    }

    @Test("coverage: no whole vertebra in T12–L3 refuses the spine; a femur not reaching below the lesser trochanter or with its head cut refuses the hip")
    func coverage() throws {
        let spineCut = Self.anatomy(vertebrae: [Self.vertebra("L1", ordinal: 1, cut: true), Self.vertebra("L4", ordinal: 0)])
        var report = Self.evaluate(anatomy: spineCut)
        #expect(report[.spine]?.accepted == false)
        #expect(report[.spine]?.outcome(.coverage)?.status == .fail)
        #expect(report[.hip]?.accepted == true)
        let unnamed = Self.anatomy(vertebrae: [Self.vertebra(nil, ordinal: 0), Self.vertebra(nil, ordinal: 1)])
        #expect(Self.evaluate(anatomy: unnamed)[.spine]?.accepted == false)
        // The grid's top slice centre is at z = −60 + 99·1.25 = 63.75 mm: a head top at 70 mm is cut.
        let headCut = Self.anatomy(femurs: [Self.femur(.left, headTopZ: 70), Self.femur(.right, headTopZ: 70)])
        report = Self.evaluate(anatomy: headCut)
        #expect(report[.hip]?.accepted == false)
        #expect(report[.hip]?.outcome(.coverage)?.status == .fail)
        let short = Self.anatomy(femurs: [Self.femur(.left, reachesBelowLesserTrochanter: false)])
        #expect(Self.evaluate(anatomy: short)[.hip]?.accepted == false)
        // One covered femur is enough.
        let one = Self.anatomy(femurs: [Self.femur(.left, reachesBelowLesserTrochanter: false), Self.femur(.right)])
        #expect(Self.evaluate(anatomy: one)[.hip]?.accepted == true)
    }

    @Test("metal in the bone's axial sections refuses that site only")
    func metal() throws {
        let report = Self.evaluate(facts: [Self.facts(.hip, metal: [10, 11, 12]), Self.facts(.spine)])
        #expect(report[.hip]?.accepted == false)
        #expect(report[.hip]?.outcome(.metal)?.status == .fail)
        #expect(report[.spine]?.accepted == true)
    }

    @Test("bone cut by the field of view: every structure cut refuses; one of two cut is flagged")
    func fieldOfView() throws {
        var report = Self.evaluate(facts: [Self.facts(.hip, cut: ["femur_left", "femur_right"]), Self.facts(.spine, cut: ["L1"])])
        #expect(report[.hip]?.accepted == false)
        #expect(report[.hip]?.outcome(.fieldOfView)?.status == .fail)
        #expect(report[.spine]?.accepted == true)
        #expect(report[.spine]?.outcome(.fieldOfView)?.status == .flagged)
        report = Self.evaluate(facts: [Self.facts(.hip), Self.facts(.spine, cut: ["T12", "L1", "L2"])])
        #expect(report[.spine]?.accepted == false)
    }

    @Test("a bare volume (no DICOM header): kVp, kernel and thickness are findings ('not verifiable'), never silent passes or refusals")
    func noHeader() throws {
        let report = Self.evaluate(acquisition: nil)
        #expect(!report.acquisitionFromDICOM)
        for site in Site.allCases {
            let s = try #require(report[site])
            #expect(s.accepted)
            for rule in [EligibilityRule.kvp, .kernel, .sliceThickness] {
                #expect(s.outcome(rule)?.status == .notVerifiable)
            }
            #expect(s.findings.count == 3)
            #expect(s.findings.contains { $0.contains("slice spacing 1.25 mm") })
        }
    }
}
