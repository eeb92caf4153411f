import Foundation
import OpenBCTCore
import Testing
@testable import ResultModel

@Suite("result document coding")
struct DocumentCodingTests {
    static func minimal() -> ResultDocument {
        ResultDocument(inputs: InputInfo(kind: "volume", path: "ct.nii.gz", files: [InputFile(name: "ct.nii.gz", sha256: String(repeating: "0", count: 64), bytes: 10)],
                                         combinedSHA256: String(repeating: "1", count: 64)),
                       parameters: AnalysisParameters(
                        requestedSites: [.hip], calibrationMethod: "internal-effective-energy", feVoxelSize_mm: 1,
                        hip: HipParameters(protocolName: "hip-sideways-fall", materialLaw: "femur-morgan", alpha_deg: 10, beta_deg: 15,
                                           directionSpread: [], deformationLimit: 0.04, nonlinearSteps: 12),
                        spine: SpineParameters(protocolName: "vertebra-compression", materialLaw: "vertebra-kopperdahl", deformationLimit: 0.02,
                                               nonlinearSteps: 12, vbmdLevels: ["L1", "L2"], strengthLevelOrder: ["L1", "L2", "T12", "L3"]),
                        fallForce: FallForceParameters(model: "m", hipHeightFraction: 0.5, effectiveMassFraction: 0.4, stiffness_N_per_m: 7e4,
                                                       gravity_m_per_s2: 9.81, source: "s"),
                        change: ChangeParameters(z: 1.96, precisionCVPercent: [:], sources: [:]), classThresholdsSource: "x"))
    }

    @Test("a document survives a JSON round trip unchanged")
    func roundTrip() throws {
        var doc = Self.minimal()
        doc.strength = [StrengthRecord(site: .hip, side: .left, level: nil, protocolName: "hip-sideways-fall", materialLaw: "femur-morgan",
                                       voxelSize_mm: 1, elements: 10, linearStiffness_N_per_mm: 1600, strength_N: 3500.5, displacementAtPeak_mm: 2,
                                       converged: true, interval: nil, curve: [CurvePoint(displacement_mm: 0, force_N: 0, yieldedFraction: 0)],
                                       fallDirections: [], drivesClass: true, failedTissueFigure: nil, seconds: 1, notes: [])]
        let back = try ResultDocument.decode(try doc.jsonData())
        #expect(back == doc)
        #expect(back.schemaVersion == ResultDocument.currentSchemaVersion)
        #expect(back.notice == OpenBCT.researchUseNotice)
    }

    @Test("an unknown major schema version is refused with the field named")
    func refusesOtherMajorVersion() throws {
        var json = try JSONSerialization.jsonObject(with: Self.minimal().jsonData()) as! [String: Any]
        json["schemaVersion"] = "2.0"
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: InputError.self) { try ResultDocument.decode(data, path: "prior.json") }
        do { _ = try ResultDocument.decode(data, path: "prior.json") } catch let e as InputError {
            #expect(e.location == "schemaVersion")
        }
    }
}
