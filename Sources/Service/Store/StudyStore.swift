// Arriving CT instances: stored on disk, recorded, grouped into studies, and matched to orders by
// accession number and patient ID. Studies that match no order wait in the unmatched list.
import DICOM
import DICOMweb
import Foundation
import OpenBCTCore

/// What happened to one stored instance.
public struct StoredInstance: Sendable {
    public var studyID: Int64
    public var studyInstanceUID: String
    public var sopInstanceUID: String
    /// The order the study matched, if any.
    public var orderID: Int64?
}

/// Stores instances and studies.
public struct StudyStore: Sendable {
    let db: any SQLDatabase
    let dataDirectory: URL

    public init(db: any SQLDatabase, dataDirectory: URL) { self.db = db; self.dataDirectory = dataDirectory }

    /// Stores one instance that the STOW-RS parser (module DICOMweb) accepted. Receiving the same
    /// instance twice stores it once. Throws `InputError` for UIDs unusable as folder names.
    public func receive(_ instance: DICOMweb.ReceivedInstance) async throws -> StoredInstance {
        let set = instance.file.dataSet
        let study = try Self.checkUID(instance.studyInstanceUID, .studyInstanceUID, "StudyInstanceUID")
        let series = try Self.checkUID(instance.seriesInstanceUID, .seriesInstanceUID, "SeriesInstanceUID")
        let sop = try Self.checkUID(instance.sopInstanceUID, .sopInstanceUID, "SOPInstanceUID")
        let accession = set.string(.accessionNumber)?.trimmingCharacters(in: .whitespaces) ?? ""
        let patientID = set.string(.patientID)?.trimmingCharacters(in: .whitespaces) ?? ""

        let studyFolder = dataDirectory.appendingPathComponent("studies/\(study)")
        let path = studyFolder.appendingPathComponent("\(series)/\(sop).dcm")
        try writeAtomically(instance.data, to: path)

        let now = Timestamp.now()
        let results = try await db.transaction([
            // A new study is matched when it is first seen: same accession number AND same patient ID
            // (an accession match with another patient is a mismatch, never a silent merge).
            SQLStatement("""
                INSERT INTO studies (study_instance_uid, accession_number, patient_id, order_id, folder, modality,
                                     first_received_at, last_received_at)
                VALUES (?, ?, ?, (SELECT id FROM orders WHERE accession_number = ? AND patient_id = ? AND status <> 'cancelled'),
                        ?, 'CT', ?, ?)
                ON CONFLICT (study_instance_uid) DO UPDATE SET last_received_at = excluded.last_received_at
                """, [study, accession, patientID, accession, patientID, studyFolder.path, now, now]),
            SQLStatement("""
                INSERT INTO instances (sop_instance_uid, study_id, series_instance_uid, path, received_at)
                SELECT ?, id, ?, ?, ? FROM studies WHERE study_instance_uid = ?
                ON CONFLICT (sop_instance_uid) DO NOTHING
                """, [sop, series, path.path, now, study]),
            SQLStatement("""
                UPDATE studies SET instance_count = (SELECT COUNT(*) FROM instances WHERE instances.study_id = studies.id)
                WHERE study_instance_uid = ? RETURNING id, order_id
                """, [study]),
        ])
        let row = results[2].first
        return StoredInstance(studyID: row?.int("id") ?? 0, studyInstanceUID: study, sopInstanceUID: sop,
                              orderID: row?.int("order_id"))
    }

    /// UIDs become folder and file names: digits and dots only (the DICOM UID syntax), so no path tricks.
    static func checkUID(_ raw: String, _ tag: Tag, _ name: String) throws -> String {
        let value = raw.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\0")))
        guard !value.isEmpty, value.count <= 64, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
            throw InputError(location: "\(tag) \(name)", "not a DICOM UID")
        }
        return value
    }

    /// Studies no order claimed.
    public func unmatched() async throws -> [SQLRow] {
        try await db.execute("SELECT * FROM studies WHERE order_id IS NULL ORDER BY id DESC")
    }

    /// Attaches an unmatched study to an order (a technologist's decision; audited by the caller).
    public func assign(studyID: Int64, orderID: Int64) async throws -> Bool {
        !(try await db.execute("UPDATE studies SET order_id = ? WHERE id = ? AND order_id IS NULL RETURNING id", orderID, studyID)).isEmpty
    }

    /// The folder holding a study's instances.
    public func folder(studyID: Int64) async throws -> URL? {
        try await db.first("SELECT folder FROM studies WHERE id = ?", studyID)?.string("folder").map { URL(fileURLWithPath: $0) }
    }

    /// Queues the analysis of every matched study that has received nothing for `quietMilliseconds`
    /// (the sender is done). Idempotent per study (request key `intake:<study id>`). Returns the new job ids.
    @discardableResult
    public func enqueueSettled(queue: JobQueue, quietMilliseconds: Int64) async throws -> [Int64] {
        let ready = try await db.execute("""
            SELECT s.id, s.order_id FROM studies s
            WHERE s.order_id IS NOT NULL AND s.last_received_at < ?
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.request_key = 'intake:' || s.id)
            ORDER BY s.id
            """, Timestamp.now() - quietMilliseconds)
        var jobs: [Int64] = []
        for row in ready {
            guard let id = row.int("id") else { continue }
            if let job = try await queue.enqueue(studyID: id, orderID: row.int("order_id"), requestKey: "intake:\(id)") {
                jobs.append(job)
            }
        }
        return jobs
    }
}
