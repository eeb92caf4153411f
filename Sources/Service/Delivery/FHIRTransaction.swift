// The FHIR delivery: Reporting's collection Bundle (Patient, ImagingStudy, Observations,
// DiagnosticReport with the PDF) turned into a transaction Bundle whose entries are PUTs with ids
// derived from the case. PUT with a stable id is idempotent: a retry after a lost answer, or an
// addendum (same report, status "amended"), updates the same resources instead of adding copies.
import Foundation
import OpenBCTCore

enum FHIRTransaction {
    /// The transaction Bundle of case `caseID` from the rendered collection Bundle. The DiagnosticReport's
    /// id is the one `GET /fhir/DiagnosticReport/<case>` serves (`openbct-<case>`).
    static func make(collection data: Data, caseID: Int64) throws -> Data {
        guard var bundle = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              bundle["resourceType"] as? String == "Bundle", let entries = bundle["entry"] as? [[String: Any]] else {
            throw InputError(location: "FHIR bundle of case \(caseID)", "expected a Bundle with entries")
        }
        var counters: [String: Int] = [:]
        bundle["type"] = "transaction"
        bundle["entry"] = try entries.map { entry -> [String: Any] in
            guard var resource = entry["resource"] as? [String: Any], let type = resource["resourceType"] as? String else {
                throw InputError(location: "FHIR bundle of case \(caseID)", "an entry without a resource")
            }
            // Ids: [A-Za-z0-9-.]{1,64}. One DiagnosticReport per case; the others numbered by type
            // in bundle order, which a re-rendering of the same document keeps.
            let n = counters[type, default: 0]
            counters[type] = n + 1
            let id = type == "DiagnosticReport" ? "openbct-\(caseID)" : "openbct-\(caseID)-\(type.lowercased())-\(n)"
            resource["id"] = id
            var out = entry
            out["resource"] = resource
            // The urn:uuid fullUrl stays: the server rewrites references to it to Type/id (R4 transaction rules).
            out["request"] = ["method": "PUT", "url": "\(type)/\(id)"]
            return out
        }
        return try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
