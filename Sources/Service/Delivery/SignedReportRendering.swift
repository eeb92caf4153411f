// The signed report's files for one delivery revision: re-rendered by module Reporting from the
// stored result document with the physician's signature, signed text and addenda. Rendered once per
// (report, revision) into a folder that is then never changed, so every retry — by any worker — sends
// the same files and the PACS sees the same SOP Instance UIDs (no duplicates).
//
// Reporting is linked into the service (not run as `openbct report`): rendering is deterministic,
// takes well under a second, reads only the document and its figure files, and the worker needs its
// typed errors; a child process would add a second copy of the signature plumbing on the command line.
import Foundation
import OpenBCTCore
import Reporting
import ResultModel

/// Renders (or finds already rendered) the signed report of a delivery revision.
struct SignedReportRendering: Sendable {
    let db: any SQLDatabase
    let dataDirectory: URL
    /// The interpreting physician's organization (the SR's Verifying Organization).
    var organization: String? = nil

    /// Prefix of the private folder a revision is rendered into before it is renamed into place.
    static let scratchPrefix = ".rendering-"

    /// `deliveries/report-<id>/revision-<n>`: shared by the PACS and FHIR deliveries of one revision.
    func folder(reportID: Int64, revision: Int64) -> URL {
        dataDirectory.appendingPathComponent("deliveries/report-\(reportID)/revision-\(revision)")
    }

    /// Removes rendering scratch folders left by workers that died mid-render (a failed render removes
    /// its own): those untouched for longer than `age` seconds — a delivery's lease, which a live
    /// renderer holds while it renders (well under a second). Returns how many were removed.
    @discardableResult
    func removeAbandonedScratch(olderThan age: TimeInterval) -> Int {
        let deliveries = dataDirectory.appendingPathComponent("deliveries")
        let reports = (try? FileManager.default.contentsOfDirectory(atPath: deliveries.path)) ?? []
        return reports.filter { $0.hasPrefix("report-") }.reduce(0) { count, report in
            count + ScratchFolders.removeAbandoned(in: deliveries.appendingPathComponent(report), prefix: Self.scratchPrefix, olderThan: age).count
        }
    }

    /// The rendered folder of `delivery`, rendering it first if no worker has yet.
    func rendered(_ delivery: ClaimedDelivery) async throws -> URL {
        let target = folder(reportID: delivery.reportID, revision: delivery.revision)
        if FileManager.default.fileExists(atPath: target.appendingPathComponent(ReportRenderer.encapsulatedPDFName).path) { return target }
        guard let row = try await db.first("""
            SELECT r.status, r.interpretation, r.signed_at, u.display_name AS signer, res.document, res.folder
            FROM reports r JOIN users u ON u.id = r.signed_by JOIN results res ON res.job_id = r.job_id
            WHERE r.id = ?
            """, delivery.reportID), row.string("status") == "signed",
              let document = row.string("document"), let documentFolder = row.string("folder"), let signedAt = row.int("signed_at") else {
            throw InputError(location: "report \(delivery.reportID)", "not signed, or its result document is missing")
        }
        // Revision 0 has no addenda (addendum ids start at 1); revision n has those up to n.
        let addenda = try await db.execute("""
            SELECT a.text, a.signed_at, u.display_name AS signer FROM addenda a JOIN users u ON u.id = a.signed_by
            WHERE a.report_id = ? AND a.id <= ? ORDER BY a.id
            """, delivery.reportID, delivery.revision).map {
                ReportAddendum(name: $0.string("signer") ?? "", time: Self.date($0.int("signed_at") ?? 0), text: $0.string("text") ?? "")
            }
        let signature = ReportSignature(name: row.string("signer") ?? "", time: Self.date(signedAt),
                                        interpretation: row.string("interpretation"), addenda: addenda, organization: organization)
        let doc = try ResultDocument.decode(Data(document.utf8), path: "report \(delivery.reportID) result document")
        // Render into a private folder, then rename it into place: the rename is atomic, and when
        // another worker got there first, its files are the ones every retry sends.
        // A failure anywhere below removes it (defer); a worker killed meanwhile leaves it to
        // `removeAbandonedScratch`.
        let scratch = target.deletingLastPathComponent().appendingPathComponent(Self.scratchPrefix + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Created at the time of the revision (signature or addendum): the files describe that moment.
        try ReportRenderer.renderAll(document: doc, documentDirectory: URL(fileURLWithPath: documentFolder), outputDirectory: scratch,
                                     signature: signature, now: addenda.last?.time ?? signature.time)
        do { try FileManager.default.moveItem(at: scratch, to: target) } catch {
            guard FileManager.default.fileExists(atPath: target.path) else { throw error }
        }
        return target
    }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The DICOM files a PACS delivery sends: PDF and SR always; the SEG with the signature only (an
    /// addendum changes the words, not the segmentation, and a second SEG would duplicate it).
    static func dicomFiles(in folder: URL, revision: Int64) -> [URL] {
        var names = [ReportRenderer.encapsulatedPDFName, ReportRenderer.structuredReportName]
        if revision == 0 { names.append(ReportRenderer.segmentationName) }
        return names.map { folder.appendingPathComponent($0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
