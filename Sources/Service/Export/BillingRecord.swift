// The billing summary of a signed report (coding.md), built from the result document and the order
// when the report is signed, stored as JSON and exported as CSV or JSON. The coding itself —
// 0554T or its components 0555T/0556T/0557T, modifiers 52 and 53, the indication checks — is
// module Assessment's `BillingCoder`, the same code the analysis uses for its own summary.
import Assessment
import Foundation
import ResultModel

/// One signed report's billing summary.
struct BillingRecord: Codable, Sendable, Equatable {
    var reportID: Int64
    var caseID: Int64
    var accessionNumber: String
    var patientID: String
    /// The day the analysis finished (YYYY-MM-DD, UTC).
    var serviceDate: String
    /// One line for the global 0554T, or three for its components when different providers did them.
    var lines: [BillingLine]
    var indications: [IndicationCheck]
    var notes: [String]
    var orderingProviderNPI: String
    var orderingProviderTaxonomy: String
    var interpretingPhysician: String
    var interpretingPhysicianNPI: String
    var signedAt: String

    /// The summary of a signed case (`CaseStore.caseRow`). Requested sites are the order's (a re-run
    /// that excluded one is a reduced service); analysed sites, status and the discontinuation reason
    /// are the result document's.
    static func make(_ c: SQLRow, performers: ServiceConfiguration.Billing) -> BillingRecord {
        let requested = (c.string("sites") ?? "").split(separator: ",").compactMap { AnalysisSite(rawValue: String($0)) }
        let indications = (c.string("indications") ?? "").split(separator: ",").map(String.init)
        let document = c.string("document").flatMap { try? ResultDocument.decode(Data($0.utf8)) }
        var summary = BillingCoder.summarize(
            status: document?.status ?? .completed, requestedSites: requested,
            analysedSites: document?.analysedSites ?? Set(requested), indications: indications,
            performers: ServicePerformers(retrieval: performers.retrievalBy, analysis: performers.analysisBy,
                                          interpretation: performers.interpretationBy),
            discontinuedReason: document?.discontinuedReason)
        if document == nil {
            summary.notes.insert("The result document could not be read as an OpenBCT result: modifiers 52/53 were not assessed — review before billing.", at: 0)
        }
        return BillingRecord(
            reportID: c.int("report_id") ?? 0, caseID: c.int("job_id") ?? 0,
            accessionNumber: c.string("accession_number") ?? "", patientID: c.string("patient_id") ?? "",
            serviceDate: String(Timestamp.iso(c.int("finished_at")).prefix(10)),
            lines: summary.lines, indications: summary.indications, notes: summary.notes,
            orderingProviderNPI: c.string("ordering_provider_npi") ?? "", orderingProviderTaxonomy: c.string("ordering_provider_taxonomy") ?? "",
            interpretingPhysician: c.string("signer") ?? "", interpretingPhysicianNPI: c.string("signer_npi") ?? "",
            signedAt: Timestamp.iso(c.int("signed_at")))
    }

    /// CSV columns: one row per CPT line.
    static let csvColumns = ["report_id", "case", "accession_number", "patient_id", "service_date", "cpt", "modifiers", "performer",
                             "modifier_reasons", "indications_icd10cm", "ordering_provider_npi", "ordering_provider_taxonomy",
                             "interpreting_physician", "interpreting_physician_npi", "signed_at", "notes"]

    /// RFC 4180 CSV of `records`, one row per CPT line.
    static func csv(_ records: [BillingRecord]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = [csvColumns.joined(separator: ",")]
        for r in records {
            for line in r.lines {
                let values = [String(r.reportID), String(r.caseID), r.accessionNumber, r.patientID, r.serviceDate, line.cpt,
                              line.modifiers.joined(separator: " "), line.performer, line.modifierReasons.joined(separator: "; "),
                              r.indications.map(\.code).joined(separator: " "), r.orderingProviderNPI, r.orderingProviderTaxonomy,
                              r.interpretingPhysician, r.interpretingPhysicianNPI, r.signedAt, r.notes.joined(separator: " ")]
                lines.append(values.map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
