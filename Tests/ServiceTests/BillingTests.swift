// The billing summary stored on signing and its CSV/JSON export, against coding.md: 0554T when one
// provider did everything, 0555T/0556T/0557T by their performers otherwise; modifier 52 when a
// requested site was not analysed (not on the retrieval component, which was complete), 53 when the
// analysis was discontinued.
import Foundation
import Hummingbird
import ResultModel
@testable import Service
import Testing

@Suite("Billing summary on signing")
struct BillingTests {
    /// Signs the fixture case of `status` in a service with `performers`; returns the JSON export's
    /// lines (cpt → modifiers) and the CSV export.
    func signedAndExported(status: AnalysisStatus, performers: ServiceConfiguration.Billing = .init()) async throws
        -> (lines: [String: [String]], reasons: String, csv: String, notes: [String]) {
        let h = try await ServiceHarness { $0.billing = performers }
        let finished = try await SignedReportFixture.finishedCase(h, status: status)
        let physician = try await h.signedIn(.physician)
        let adminID = try await h.env.users.create(username: "billing-admin", displayName: "Billing", password: ServiceHarness.password, role: .admin)
        let token = try await h.env.users.issueToken(userID: adminID, label: "test")
        var result: (lines: [String: [String]], reasons: String, csv: String, notes: [String]) = ([:], "", "", [])
        try await InProcessClient.test(ServiceApplication.router(h.env)) { client in
            try await ReviewActions(client: client, physician: physician).sign(job: finished.job, text: "Signed for billing.")
            let json = try await client.execute(uri: "/billing/export.json", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok)
                return Data(String(buffer: $0.body).utf8)
            }
            let records = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record["accessionNumber"] as? String == "ACC-SIGN" && record["interpretingPhysician"] as? String == physician.user.displayName)
            let lines = try #require(record["lines"] as? [[String: Any]])
            for line in lines { result.lines[line["cpt"] as? String ?? ""] = line["modifiers"] as? [String] ?? [] }
            result.reasons = lines.flatMap { $0["modifierReasons"] as? [String] ?? [] }.joined(separator: " ")
            result.notes = record["notes"] as? [String] ?? []
            let indications = (record["indications"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(indications == ["M81.0", "R29.6"])
            result.csv = try await client.execute(uri: "/billing/export.csv", method: .get, headers: [.authorization: "Bearer \(token)"]) { String(buffer: $0.body) }
        }
        #expect(try await h.db.first("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'export billing summaries%' AND outcome = 'allowed'")?.int("n") == 2)
        try await h.close()
        return result
    }

    @Test("one provider: 0554T with modifier 52 (spine ordered, not analysed); CSV has one row per line")
    func globalReduced() async throws {
        let r = try await signedAndExported(status: .partial)
        #expect(r.lines == ["0554T": ["52"]])
        #expect(r.reasons.contains("spine"))
        let rows = r.csv.split(separator: "\r\n")
        #expect(rows.count == 2 && rows[0].hasPrefix("report_id,case,accession_number,patient_id,service_date,cpt,modifiers"))
        #expect(rows[1].contains(",0554T,52,") && rows[1].contains("M81.0 R29.6"))
    }

    @Test("split providers: 0555T without modifier, 0556T and 0557T with 52, each with its performer")
    func componentsReduced() async throws {
        var performers = ServiceConfiguration.Billing()
        performers.retrievalBy = "Imaging Centre North"
        performers.analysisBy = "OpenBCT analysis lab"
        performers.interpretationBy = "Bone Radiology Group"
        let r = try await signedAndExported(status: .partial, performers: performers)
        #expect(r.lines == ["0555T": [], "0556T": ["52"], "0557T": ["52"]])
        #expect(r.csv.contains(",0555T,,Imaging Centre North,") && r.csv.contains(",0557T,52,Bone Radiology Group,"))
    }

    @Test("a discontinued analysis: modifier 53 with the reason")
    func discontinued() async throws {
        let r = try await signedAndExported(status: .discontinued)
        #expect(r.lines == ["0554T": ["53"]])
        #expect(r.reasons.contains("calibration failed"))
    }
}
