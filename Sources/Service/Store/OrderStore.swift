// Orders (referrals for CPT 0554T): patient, indications, ordering provider, pre-procedure checklist.
import Foundation
import OpenBCTCore

/// A new order as entered by a technologist (or posted by an ordering system).
public struct OrderRequest: Codable, Sendable {
    public var accessionNumber: String
    public var patientID: String
    public var patientName: String
    public var patientBirthDate: String?
    /// ICD-10-CM codes.
    public var indications: [String]
    public var orderingProviderName: String
    public var orderingProviderNPI: String
    public var orderingProviderTaxonomy: String
    /// Requested sites: "spine", "hip" or both.
    public var sites: [String]
    public var ctContraindicationsScreened: Bool
    public var priorDXAReviewed: Bool
    public var patientInformed: Bool

    public init(accessionNumber: String, patientID: String, patientName: String, patientBirthDate: String? = nil,
                indications: [String], orderingProviderName: String, orderingProviderNPI: String,
                orderingProviderTaxonomy: String, sites: [String], ctContraindicationsScreened: Bool,
                priorDXAReviewed: Bool, patientInformed: Bool) {
        self.accessionNumber = accessionNumber; self.patientID = patientID; self.patientName = patientName
        self.patientBirthDate = patientBirthDate; self.indications = indications
        self.orderingProviderName = orderingProviderName; self.orderingProviderNPI = orderingProviderNPI
        self.orderingProviderTaxonomy = orderingProviderTaxonomy; self.sites = sites
        self.ctContraindicationsScreened = ctContraindicationsScreened; self.priorDXAReviewed = priorDXAReviewed
        self.patientInformed = patientInformed
    }

    /// Throws the first problem as an `InputError` naming the field.
    func validate() throws {
        func required(_ value: String, _ field: String) throws {
            if value.trimmingCharacters(in: .whitespaces).isEmpty { throw InputError(location: field, "required") }
        }
        try required(accessionNumber, "accessionNumber")
        try required(patientID, "patientID")
        try required(patientName, "patientName")
        try required(orderingProviderName, "orderingProviderName")
        guard accessionNumber.count <= 16 else { throw InputError(location: "accessionNumber", "at most 16 characters (DICOM SH)") }
        guard patientID.count <= 64 else { throw InputError(location: "patientID", "at most 64 characters (DICOM LO)") }
        guard !indications.isEmpty else { throw InputError(location: "indications", "at least one ICD-10-CM code is required") }
        for code in indications { try OrderValidation.checkIndication(code) }
        try OrderValidation.checkNPI(orderingProviderNPI)
        try OrderValidation.checkTaxonomy(orderingProviderTaxonomy)
        guard !sites.isEmpty, sites.allSatisfy({ ["spine", "hip"].contains($0) }) else {
            throw InputError(location: "sites", "expected one or both of spine, hip")
        }
        // The pre-procedure checklist (coding.md, clinical workflow step 2) is a precondition.
        guard ctContraindicationsScreened else { throw InputError(location: "checklist", "CT contraindications must be screened") }
        guard priorDXAReviewed else { throw InputError(location: "checklist", "prior imaging and DXA must be reviewed") }
        guard patientInformed else { throw InputError(location: "checklist", "the patient must be told the procedure and how results are sent") }
    }
}

/// Reads and writes orders.
public struct OrderStore: Sendable {
    let db: any SQLDatabase
    public init(db: any SQLDatabase) { self.db = db }

    /// Validates and stores an order; returns its id. An existing study with the same accession number
    /// and patient ID is matched to it at once.
    public func create(_ order: OrderRequest, by user: AuthenticatedUser) async throws -> Int64 {
        try order.validate()
        if try await db.first("SELECT id FROM orders WHERE accession_number = ?", order.accessionNumber) != nil {
            throw InputError(location: "accessionNumber", "an order with this accession number exists")
        }
        let rows = try await db.transaction([
            SQLStatement("""
                INSERT INTO orders (accession_number, patient_id, patient_name, patient_birth_date, indications,
                    ordering_provider_name, ordering_provider_npi, ordering_provider_taxonomy, sites,
                    ct_contraindications_screened, prior_dxa_reviewed, patient_informed, status, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ordered', ?, ?) RETURNING id
                """, [order.accessionNumber, order.patientID, order.patientName, order.patientBirthDate,
                      order.indications.joined(separator: ","), order.orderingProviderName, order.orderingProviderNPI,
                      order.orderingProviderTaxonomy, order.sites.joined(separator: ","),
                      order.ctContraindicationsScreened, order.priorDXAReviewed, order.patientInformed,
                      user.id, Timestamp.now()]),
            SQLStatement("""
                UPDATE studies SET order_id = (SELECT id FROM orders WHERE accession_number = ?)
                WHERE order_id IS NULL AND accession_number = ? AND patient_id = ?
                """, [order.accessionNumber, order.accessionNumber, order.patientID]),
        ])
        return rows[0].first?.int("id") ?? 0
    }

    /// One order with its workflow status (`workflow_status`).
    public func order(_ id: Int64) async throws -> SQLRow? {
        try await db.first("SELECT o.*, \(OrderStatus.sql) AS workflow_status FROM orders o \(OrderStatus.newestCase) WHERE o.id = ?", id)
    }

    /// Orders, newest first, each with its workflow status (`workflow_status`).
    public func list(limit: Int = 200) async throws -> [SQLRow] {
        try await db.execute("SELECT o.*, \(OrderStatus.sql) AS workflow_status FROM orders o \(OrderStatus.newestCase) ORDER BY o.id DESC LIMIT ?", limit)
    }
}
