import Foundation
import TestSupport
import Testing
@testable import ResultModel

@Suite("result document: calibration record")
struct CalibrationRecordTests {
    static func region(_ name: String, median: Double, reference: Double, residual: Double) -> CalibrationRegionRecord {
        CalibrationRegionRecord(name: name, medianHU: median, madHU: 6, voxels: 120, area_mm2: 76.8,
                                referenceDensity_mgcm3: nil, referenceHU: reference, residualHU: residual)
    }

    static func document(checkRegions: [CalibrationRegionRecord]?) -> ResultDocument {
        var doc = DocumentCodingTests.minimal()
        doc.calibration = CalibrationRecord(
            method: "internalEffectiveEnergy", equivalent: "K2HPO4", intercept_HU: 0.3, slope_HU_per_mgcm3: 1.5544, rSquared: 0.9999,
            interceptStandardError_HU: 0.8, slopeStandardError: 0.004, densityOffset_mgcm3: -0.19, densityPerHU: 0.6433, effectiveEnergy_keV: 70,
            regions: [region("air", median: -999, reference: -998.9, residual: -0.2),
                      region("subcutaneous fat", median: -79, reference: -78.4, residual: -0.5)],
            checkRegions: checkRegions, notes: ["internal calibration"])
        return doc
    }

    /// Writes the document and runs jsonschema on it (`Tests/Python/result_document_check.py`).
    static func schemaCheck(_ json: Data) throws -> String {
        let dir = try TestPaths.temporaryDirectory("calibration-record")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("result.json")
        try json.write(to: url)
        return try ExternalTool.python("result_document_check.py",
                                       [TestPaths.repositoryRoot.appendingPathComponent("schemas/result-document-1.schema.json").path, url.path])
    }

    @Test("check regions (measured, not fitted) survive a round trip and validate against the schema; nil is omitted")
    func checkRegionsRoundTrip() throws {
        let visceral = Self.region("visceral fat", median: -84, reference: -78.4, residual: -5.6)
        let doc = Self.document(checkRegions: [visceral])
        let back = try ResultDocument.decode(try doc.jsonData())
        #expect(back == doc)
        #expect(back.calibration?.checkRegions == [visceral])
        #expect(try Self.schemaCheck(try doc.jsonData()).hasPrefix("ok"))

        let without = try Self.document(checkRegions: nil).jsonData()
        let object = try JSONSerialization.jsonObject(with: without) as! [String: Any]
        #expect((object["calibration"] as? [String: Any])?["checkRegions"] == nil)
        #expect(try Self.schemaCheck(without).hasPrefix("ok"))
    }

    @Test("the schema constrains check regions like fitted regions: a check region without its median HU is invalid")
    func schemaRefusesIncompleteCheckRegion() throws {
        var object = try JSONSerialization.jsonObject(with: Self.document(checkRegions: [Self.region("visceral fat", median: -84, reference: -78.4, residual: -5.6)]).jsonData()) as! [String: Any]
        var calibration = object["calibration"] as! [String: Any]
        var checks = calibration["checkRegions"] as! [[String: Any]]
        checks[0]["medianHU"] = nil
        calibration["checkRegions"] = checks
        object["calibration"] = calibration
        #expect(throws: ToolFailure.self) { try Self.schemaCheck(try JSONSerialization.data(withJSONObject: object)) }
    }
}
