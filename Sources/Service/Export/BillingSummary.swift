// The billing summary of a signed report (coding.md): what was done, for whom, why, by whom. Stored
// when the report is signed; exported as CSV.
import Foundation

enum BillingSummary {
    /// CSV columns, in order.
    static let columns = ["report_id", "case", "accession_number", "patient_id", "service_date", "cpt", "components",
                          "indications_icd10cm", "ordering_provider_npi", "ordering_provider_taxonomy", "interpreting_physician",
                          "interpreting_physician_npi", "signed_at"]

    /// The summary row of a signed case (`CaseStore.caseRow`), as column → value.
    static func make(_ c: SQLRow, physicianNPI: String?) -> [String: String] {
        [
            "report_id": c.string("report_id") ?? "",
            "case": c.string("job_id") ?? "",
            "accession_number": c.string("accession_number") ?? "",
            "patient_id": c.string("patient_id") ?? "",
            "service_date": String(Timestamp.iso(c.int("finished_at")).prefix(10)),
            // One provider did acquisition transfer, analysis and interpretation: the bundled code. Where
            // they are split between providers, the components are billed instead (coding.md).
            "cpt": "0554T",
            "components": "0555T 0556T 0557T",
            "indications_icd10cm": (c.string("indications") ?? "").replacingOccurrences(of: ",", with: " "),
            "ordering_provider_npi": c.string("ordering_provider_npi") ?? "",
            "ordering_provider_taxonomy": c.string("ordering_provider_taxonomy") ?? "",
            "interpreting_physician": c.string("signer") ?? "",
            "interpreting_physician_npi": physicianNPI ?? "",
            "signed_at": Timestamp.iso(c.int("signed_at")),
        ]
    }

    /// RFC 4180 CSV of stored summaries (JSON objects).
    static func csv(_ summaries: [String]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = [columns.joined(separator: ",")]
        for json in summaries {
            guard let row = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else { continue }
            lines.append(columns.map { field(row[$0] ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
