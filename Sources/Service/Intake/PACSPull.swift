// Pulling a study from the configured PACS for an order: QIDO-RS finds it (by the order's accession
// number and patient ID, or by a Study Instance UID the user names), WADO-RS retrieves its CT series
// one at a time, and every instance takes the STOW-RS intake path (validation, storage, order
// matching; the intake sweeper then queues the analysis). Each attempt's outcome is a `pacs_pulls` row.
import DICOM
import DICOMweb
import Foundation

/// The outcome of one pull, as stored in `pacs_pulls` and shown on the order page.
public struct PACSPullOutcome: Sendable, Codable {
    public var pullID: Int64
    public var succeeded: Bool
    /// What happened, for the user: counts and the match, or why it failed.
    public var detail: String
    /// The HTTP status the request answers with: 200, 400 (bad UID), 404 (no such study),
    /// 409 (no PACS configured, several studies match), 502 (the PACS failed or refused).
    public var httpStatus: Int
    public var studyInstanceUID: String?
    public var studyID: Int64?
    public var instances: Int
    /// The study is matched to the order it was pulled for (so it will be analysed).
    public var matchedOrder: Bool
}

/// A pull that stopped: the HTTP status and the message for the user.
private struct PullStopped: Error {
    var status: Int
    var message: String
}

extension ServiceEnvironment {
    /// Pulls the order's study from the PACS (`studyInstanceUID`, or the study whose accession number
    /// and patient ID are the order's) and records the outcome. Patient data may be in `detail`: it goes
    /// to the database and the user, never to the application log.
    func pullFromPACS(order: SQLRow, studyInstanceUID: String?, by user: AuthenticatedUser) async throws -> PACSPullOutcome {
        let started = Timestamp.now()
        let orderID = order.int("id") ?? 0
        var outcome = PACSPullOutcome(pullID: 0, succeeded: false, detail: "", httpStatus: 200, studyInstanceUID: studyInstanceUID,
                                      studyID: nil, instances: 0, matchedOrder: false)
        do {
            try await pull(order: order, studyInstanceUID: studyInstanceUID, into: &outcome)
        } catch let stopped as PullStopped {
            outcome.httpStatus = stopped.status; outcome.detail = stopped.message
        } catch let error as DICOMwebError {
            // Transport failures, refusals and malformed answers alike (DICOMwebClient wraps them all).
            outcome.httpStatus = 502; outcome.detail = "the PACS failed: \(error)"
        }
        outcome.succeeded = outcome.httpStatus == 200
        metrics.increment(outcome.succeeded ? "pacs_pulls_succeeded" : "pacs_pulls_failed")
        let row = try await db.first("""
            INSERT INTO pacs_pulls (order_id, requested_by, study_instance_uid, study_id, status, detail, instance_count, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, orderID, user.id, outcome.studyInstanceUID, outcome.studyID, outcome.succeeded ? "succeeded" : "failed",
            outcome.detail, outcome.instances, started, Timestamp.now())
        outcome.pullID = row?.int("id") ?? 0
        return outcome
    }

    /// The latest pull of each order (order id → row), for the order page.
    func latestPulls() async throws -> [Int64: SQLRow] {
        let rows = try await db.execute("""
            SELECT p.* FROM pacs_pulls p
            WHERE p.id = (SELECT MAX(q.id) FROM pacs_pulls q WHERE q.order_id = p.order_id)
            """)
        return Dictionary(rows.compactMap { row in row.int("order_id").map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
    }

    private func pull(order: SQLRow, studyInstanceUID: String?, into outcome: inout PACSPullOutcome) async throws {
        guard let pacs = configuration.pacs, let base = URL(string: pacs.url), base.scheme != nil else {
            throw PullStopped(status: 409, message: "no PACS is configured (pacs.url or OPENBCT_PACS_URL)")
        }
        let client = DICOMwebClient(baseURL: base, credentials: pacs.username.map { BasicCredentials(username: $0, password: pacs.password ?? "") })
        let studyUID = try await findStudy(client, order: order, studyInstanceUID: studyInstanceUID)
        outcome.studyInstanceUID = studyUID

        // CT series only (the PACS study may also hold reports, SEGs or scout images of other
        // modalities), one series in memory at a time.
        let parser = StowRequestParser()
        var refused: [String] = [], failed = 0
        let series = try await client.forEachSeries(of: studyUID, where: { ($0.string(.modality) ?? "CT") == "CT" }) { _, instances in
            var request = StowRequest()
            for instance in instances { parser.validate(.dicom(instance), into: &request, studyInstanceUID: studyUID) }
            let failures = await receive(request.accepted)
            outcome.instances += request.accepted.count - failures.count
            failed += failures.count
            refused += request.rejected.map { $0.explanation }
            metrics.increment("instances_rejected", by: Int64(request.rejected.count + failures.count))
        }
        guard !series.isEmpty else { throw PullStopped(status: 404, message: "study \(studyUID) in the PACS has no CT series") }
        var notes: [String] = []
        if !refused.isEmpty { notes.append("\(refused.count) refused (\(refused.prefix(3).joined(separator: "; ")))") }
        if failed > 0 { notes.append("\(failed) could not be stored") }
        guard outcome.instances > 0 else {
            throw PullStopped(status: 502, message: "no instance of study \(studyUID) could be stored: " + notes.joined(separator: ", "))
        }
        let study = try await db.first("SELECT id, order_id FROM studies WHERE study_instance_uid = ?", studyUID)
        outcome.studyID = study?.int("id")
        outcome.matchedOrder = study?.int("order_id") != nil && study?.int("order_id") == order.int("id")
        let match = outcome.matchedOrder ? "matched to this order; its analysis is queued once the study is complete"
            : study?.int("order_id").map { "the study belongs to order #\($0)" }
            ?? "not matched: its accession number or patient ID differs from the order's (see the unmatched studies)"
        outcome.detail = "stored \(outcome.instances) instance(s) of \(series.count) CT series of study \(studyUID); "
            + ([match] + notes).joined(separator: "; ")
    }

    /// The Study Instance UID to pull: the one named (checked to exist), or the one study in the PACS
    /// with exactly the order's accession number and patient ID.
    private func findStudy(_ client: DICOMwebClient, order: SQLRow, studyInstanceUID: String?) async throws -> String {
        if let named = studyInstanceUID {
            let uid: String
            do { uid = try StudyStore.checkUID(named, .studyInstanceUID, "StudyInstanceUID") } catch {
                throw PullStopped(status: 400, message: "\(error)")
            }
            let found = try await client.searchStudies(.matching(.studyInstanceUID, uid))
            guard !found.isEmpty else { throw PullStopped(status: 404, message: "the PACS has no study \(uid)") }
            return uid
        }
        let accession = order.string("accession_number") ?? "", patientID = order.string("patient_id") ?? ""
        // QIDO-RS has no escape for its wildcards: such values cannot be matched exactly.
        let wildcards = CharacterSet(charactersIn: "*?\\,")
        guard accession.rangeOfCharacter(from: wildcards) == nil, patientID.rangeOfCharacter(from: wildcards) == nil else {
            throw PullStopped(status: 400, message: "the order's accession number or patient ID holds a QIDO-RS wildcard: name the Study Instance UID")
        }
        let query = QIDOQuery(matching: [DicomJSON.key(.accessionNumber): accession, DicomJSON.key(.patientID): patientID])
        // The PACS's matching may be looser (case, padding): keep exact matches only.
        let uids = try await client.searchStudies(query).filter {
            $0.string(.accessionNumber)?.trimmingCharacters(in: .whitespaces) == accession
                && $0.string(.patientID)?.trimmingCharacters(in: .whitespaces) == patientID
        }.compactMap { $0.string(.studyInstanceUID) }
        switch Set(uids).count {
        case 0: throw PullStopped(status: 404, message: "the PACS has no study with accession number \(accession) for patient ID \(patientID)")
        case 1: return uids[0]
        default: throw PullStopped(status: 409, message: "\(Set(uids).count) studies in the PACS have accession number \(accession): name the Study Instance UID")
        }
    }
}
