// A case's report as a FHIR R4 DiagnosticReport (JSON), built from what the database holds.
import Foundation
import OpenBCTCore

enum FHIRDiagnosticReport {
    /// The DiagnosticReport of a case row (`CaseStore.caseRow`) with its addenda.
    static func make(_ c: SQLRow, addenda: [SQLRow]) throws -> Data {
        let status: String
        switch c.string("report_status") {
        case "signed": status = addenda.isEmpty ? "final" : "amended"
        case "rejected": status = "cancelled"
        default: status = "preliminary"
        }
        var conclusion = c.string("interpretation") ?? ""
        for a in addenda {
            conclusion += "\n\nAddendum (\(a.string("signer") ?? ""), \(Timestamp.iso(a.int("signed_at")))): \(a.string("text") ?? "")"
        }
        let job = c.int("job_id") ?? 0
        var report: [String: Any] = [
            "resourceType": "DiagnosticReport",
            "id": "openbct-\(job)",
            "text": ["status": "generated",
                     "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>\(HTML.escape(OpenBCT.researchUseNotice))</p></div>"],
            "identifier": [
                ["system": "urn:openbct:case", "value": String(job)],
                ["type": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN"]]],
                 "value": c.string("accession_number") ?? ""],
            ],
            "status": status,
            "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD"]]]],
            // CPT 0554T (coding.md: bone strength and fracture risk by finite element models on CT BMD data).
            "code": ["coding": [["system": "http://www.ama-assn.org/go/cpt", "code": "0554T"]],
                     "text": "Biomechanical CT: bone strength and fracture risk (finite element analysis of CT bone density)"],
            "subject": ["identifier": ["value": c.string("patient_id") ?? ""], "display": c.string("patient_name") ?? ""],
            "conclusion": conclusion,
        ]
        if let finished = c.int("finished_at") { report["effectiveDateTime"] = Timestamp.iso(finished) }
        if let signed = c.int("signed_at") {
            report["issued"] = Timestamp.iso(signed)
            report["resultsInterpreter"] = [["display": c.string("signer") ?? ""]]
        }
        return try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
    }
}
