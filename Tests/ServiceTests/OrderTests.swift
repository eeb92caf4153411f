// Orders: code checks (ICD-10-CM, NPI check digit, NUCC taxonomy shape) and study matching.
@testable import Service
import Testing
import OpenBCTCore

@Suite("Service orders")
struct OrderTests {
    @Test("NPI check digit: CMS's published example 1234567893 passes, a changed digit fails")
    func npi() throws {
        try OrderValidation.checkNPI("1234567893")
        #expect(throws: InputError.self) { try OrderValidation.checkNPI("1234567890") }
        #expect(throws: InputError.self) { try OrderValidation.checkNPI("12345") }
    }

    @Test("Source-table indications that are incomplete or invalid are refused with the reason")
    func indications() throws {
        try OrderValidation.checkIndication("M81.0")
        try OrderValidation.checkIndication("M80.00XA")
        for bad in ["M80.00", "M48.50", "M84.4X0", "81.0", "m81.0"] {
            #expect(throws: InputError.self) { try OrderValidation.checkIndication(bad) }
        }
        try OrderValidation.checkTaxonomy("207RE0101X")
        #expect(throws: InputError.self) { try OrderValidation.checkTaxonomy("Radiology") }
    }

    @Test("An order needs the pre-procedure checklist; a study with the same accession and patient matches it")
    func matching() async throws {
        let h = try await ServiceHarness()
        let (tech, _) = try await h.signedIn(.technologist)
        var order = ServiceHarness.order(accession: "A100", patientID: "P100")
        order.priorDXAReviewed = false
        await #expect(throws: InputError.self) { try await h.env.orders.create(order, by: tech) }
        // A study arriving before its order waits unmatched, and is matched when the order is entered.
        let now = Timestamp.now()
        try await h.db.execute("""
            INSERT INTO studies (study_instance_uid, accession_number, patient_id, folder, first_received_at, last_received_at)
            VALUES ('1.2.3', 'A100', 'P100', '/x', ?, ?), ('1.2.4', 'A100', 'OTHER', '/y', ?, ?)
            """, now, now, now, now)
        #expect(try await h.env.studies.unmatched().count == 2)
        order.priorDXAReviewed = true
        let id = try await h.env.orders.create(order, by: tech)
        let unmatched = try await h.env.studies.unmatched()
        // Same accession, different patient: never merged silently.
        #expect(unmatched.count == 1 && unmatched.first?.string("patient_id") == "OTHER")
        #expect(try await h.db.first("SELECT order_id FROM studies WHERE study_instance_uid = '1.2.3'")?.int("order_id") == id)
        try await h.close()
    }
}
