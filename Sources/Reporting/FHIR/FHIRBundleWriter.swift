// FHIR R4 for an EHR: a Bundle with the Patient, the ImagingStudy, one Observation per coded
// measurement or evaluation, and the DiagnosticReport with the PDF as presentedForm.
import Foundation
import OpenBCTCore
import ResultModel

/// Encodes the report as a FHIR R4 `collection` Bundle (JSON). Resources refer to each other by
/// `urn:uuid:` full URLs, so the bundle can be posted as a transaction after changing its type.
enum FHIRBundleWriter {
    typealias JSON = [String: Any]

    static func write(document doc: ResultDocument, findings: CodedFindings, study: SourceStudy, pdf: Data,
                      signature: ReportSignature?, created: Date) throws -> Data {
        // FHIR R4 DiagnosticReport.status: an addendum after signing makes the report "amended".
        let status = signature.map { $0.addenda.isEmpty ? "final" : "amended" } ?? "preliminary"
        let patientURL = "urn:uuid:" + UUID().uuidString.lowercased()
        let studyURL = "urn:uuid:" + UUID().uuidString.lowercased()
        let issued = ResultDocument.timestamp(created)
        let effective = fhirDate(study.studyDate) ?? String(doc.createdAt.prefix(10))
        var entries: [JSON] = [["fullUrl": patientURL, "resource": patient(doc, study)],
                               ["fullUrl": studyURL, "resource": imagingStudy(study, patient: patientURL, started: effective)]]
        var results: [JSON] = []

        func observation(code: CodedConcept, value: (String, Any), site: FindingGroup?, note: String?) {
            var o: JSON = [
                "resourceType": "Observation", "status": status,
                "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                          "code": "imaging", "display": "Imaging"]]]],
                "code": concept(code),
                "subject": ["reference": patientURL],
                "effectiveDateTime": effective, "issued": issued,
                "derivedFrom": [["reference": studyURL]],
                value.0: value.1,
            ]
            if let site {
                o["bodySite"] = ["coding": [coding(site.findingSite)], "text": site.trackingID]
            }
            if let note { o["note"] = [["text": note]] }
            let url = "urn:uuid:" + UUID().uuidString.lowercased()
            entries.append(["fullUrl": url, "resource": o])
            results.append(["reference": url])
        }

        for g in findings.groups {
            for m in g.measurements {
                observation(code: m.concept, value: ("valueQuantity", quantity(m.value, m.unit)), site: g, note: m.note)
            }
            for e in g.evaluations {
                observation(code: e.concept, value: ("valueCodeableConcept", concept(e.value)), site: g, note: e.note)
            }
        }
        for e in findings.overall {
            observation(code: e.concept, value: ("valueCodeableConcept", concept(e.value)), site: nil, note: e.note)
        }

        var report: JSON = [
            "resourceType": "DiagnosticReport", "status": status,
            "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD", "display": "Radiology"]]]],
            "code": concept(LOINC.procedure),
            "subject": ["reference": patientURL],
            "effectiveDateTime": effective, "issued": issued,
            "imagingStudy": [["reference": studyURL]],
            "result": results,
            "conclusion": ((signature?.statements ?? []) + findings.interpretation + [doc.notice]).joined(separator: " "),
            "presentedForm": [[
                "contentType": "application/pdf", "language": "en",
                "data": pdf.base64EncodedString(), "size": pdf.count,
                "title": "Bone strength and fracture-risk report (research use only)", "creation": issued,
            ]],
            "identifier": [["system": "urn:ietf:rfc:3986", "value": "urn:uuid:\(doc.analysisID)"]],
        ]
        if let risk = findings.overall.first { report["conclusionCode"] = [concept(risk.value)] }
        if let signature { report["resultsInterpreter"] = [["display": signature.name]] }
        entries.append(["fullUrl": "urn:uuid:" + UUID().uuidString.lowercased(), "resource": report])

        let bundle: JSON = ["resourceType": "Bundle", "type": "collection", "timestamp": issued, "entry": entries]
        return try JSONSerialization.data(withJSONObject: bundle, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func coding(_ c: CodedConcept) -> JSON { ["system": c.fhirSystem, "code": c.value, "display": c.meaning] }

    static func concept(_ c: CodedConcept) -> JSON { ["coding": [coding(c)], "text": c.meaning] }

    static func quantity(_ v: Double, _ unit: CodedConcept) -> JSON {
        ["value": v, "unit": unit.value == "1" ? "ratio" : unit.value, "system": "http://unitsofmeasure.org", "code": unit.value]
    }

    /// YYYYMMDD → YYYY-MM-DD (nil when not a DICOM date).
    static func fhirDate(_ dicom: String) -> String? {
        guard dicom.count == 8, dicom.allSatisfy(\.isNumber) else { return nil }
        let c = Array(dicom)
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))"
    }

    static func patient(_ doc: ResultDocument, _ study: SourceStudy) -> JSON {
        var p: JSON = ["resourceType": "Patient"]
        if !study.patientID.isEmpty { p["identifier"] = [["value": study.patientID]] }
        if !study.patientName.isEmpty {
            let parts = study.patientName.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
            var name: JSON = ["text": parts.filter { !$0.isEmpty }.reversed().joined(separator: " ")]
            if let family = parts.first, !family.isEmpty { name["family"] = family }
            let given = parts.dropFirst().prefix(2).filter { !$0.isEmpty }
            if !given.isEmpty { name["given"] = Array(given) }
            p["name"] = [name]
        }
        p["gender"] = ["F": "female", "M": "male", "O": "other"][study.patientSex] ?? "unknown"
        if let birth = fhirDate(study.patientBirthDate) { p["birthDate"] = birth }
        return p
    }

    static func imagingStudy(_ study: SourceStudy, patient: String, started: String) -> JSON {
        var s: JSON = [
            "resourceType": "ImagingStudy", "status": "available",
            "subject": ["reference": patient],
            "identifier": [["system": "urn:dicom:uid", "value": "urn:oid:\(study.studyInstanceUID)"]],
            "started": started,
        ]
        if let series = study.seriesInstanceUID {
            s["series"] = [["uid": series, "numberOfInstances": study.instances.count,
                            "modality": ["system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CT"]]]
        }
        if !study.isDICOM { s["description"] = "Source volume was not DICOM: the study UID was minted by OpenBCT" }
        return s
    }
}
