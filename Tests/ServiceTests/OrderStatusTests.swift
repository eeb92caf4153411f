// An order's workflow status follows its study, job and report: ordered → study received (STOW-RS
// intake) → analysing (queued, claimed) → ready for review (the analysis finished) → signed or rejected;
// a job out of attempts shows "analysis failed", and a re-run makes the order analysing again. Shown on
// the orders page, the worklist and the case page (HTML and JSON).
import DICOMweb
import Foundation
import Hummingbird
@testable import Service
import Testing
import TestSupport

@Suite("Service order status")
struct OrderStatusTests {
    @Test("An order moves ordered → study received → analysing → ready for review → signed / rejected / analysis failed, on every page")
    func workflow() async throws {
        let h = try await ServiceHarness()
        let (tech, techCookie) = try await h.signedIn(.technologist)
        let physician = try await h.signedIn(.physician)
        let router = ServiceApplication.router(h.env)
        try await InProcessClient.test(router) { client in
            let review = ReviewActions(client: client, physician: physician)
            func statuses() async throws -> [String: String] {
                let list = try await client.execute(uri: "/orders", method: .get, headers: [.cookie: "openbct_session=\(techCookie)", .accept: "application/json"]) {
                    try JSONSerialization.jsonObject(with: Data(String(buffer: $0.body).utf8)) as? [[String: String]] ?? []
                }
                return Dictionary(uniqueKeysWithValues: list.map { ($0["accessionNumber"] ?? "", $0["status"] ?? "") })
            }
            // Three orders; the first study arrives by STOW-RS (pydicom-written CT), the others are stored rows.
            let order = try await h.env.orders.create(ServiceHarness.order(accession: "ST1", patientID: "PST1"), by: tech)
            #expect(try await statuses()["ST1"] == "ordered")
            let upload = h.folder.appendingPathComponent("upload")
            _ = try ExternalTool.python("service_ct_study.py", [upload.path, "2", "ST1", "PST1"])
            let files = try FileManager.default.contentsOfDirectory(at: upload, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
            let boundary = MultipartEncoder.makeBoundary()
            let body = MultipartEncoder.encode(try files.map { .dicom(try Data(contentsOf: $0)) }, boundary: boundary)
            let token = try await h.env.users.issueToken(userID: tech.id, label: "modality")
            let stow = try await client.execute(uri: "/dicomweb/studies", method: .post,
                                                headers: [.authorization: "Bearer \(token)", .contentType: MultipartEncoder.contentType(boundary: boundary).description],
                                                body: ByteBuffer(bytes: body)) { $0.status }
            #expect(stow == .ok)
            #expect(try await statuses()["ST1"] == "study received")

            // The intake sweep queues it; a worker claims it; the analysis completes.
            try await Task.sleep(for: .milliseconds(20))
            let queued = try await h.env.studies.enqueueSettled(queue: h.env.jobs, quietMilliseconds: 10)
            let job = try #require(queued.first)
            #expect(try await statuses()["ST1"] == "analysing")
            _ = try #require(try await h.env.jobs.claim(worker: "w"))
            #expect(try await statuses()["ST1"] == "analysing")
            try await h.env.jobs.complete(jobID: job, worker: "w", document: "{}", folder: h.folder.path)
            #expect(try await statuses()["ST1"] == "ready for review")

            // Signed by the physician over HTTP: the orders page, worklist and case page say so.
            try await review.sign(job: job, text: "Reviewed.")
            #expect(try await statuses()["ST1"] == "signed")
            let worklist = try await client.execute(uri: "/worklist", method: .get, headers: [.cookie: "openbct_session=\(techCookie)", .accept: "application/json"]) {
                try JSONSerialization.jsonObject(with: Data(String(buffer: $0.body).utf8)) as? [[String: String]] ?? []
            }
            #expect(worklist.first { $0["job_id"] == String(job) }?["order_status"] == "signed")
            let ordersPage = try await client.execute(uri: "/orders", method: .get, headers: [.cookie: "openbct_session=\(techCookie)"]) { String(buffer: $0.body) }
            #expect(ordersPage.contains("<td class=\"order-status\">signed</td>"), "\(ordersPage)")
            let worklistPage = try await client.execute(uri: "/worklist", method: .get, headers: [.cookie: "openbct_session=\(techCookie)"]) { String(buffer: $0.body) }
            #expect(worklistPage.contains("<td class=\"order-status\">signed</td>"))
            #expect(try await review.casePage(job: job).contains("<dd class=\"order-status\">signed</dd>"))

            // A rejected draft, and an analysis that ran out of attempts.
            let (rejectedStudy, rejectedOrder) = try await h.studyWithOrder(accession: "ST2", patientID: "PST2")
            #expect(try await statuses()["ST2"] == "study received")
            let second = try #require(try await h.env.jobs.enqueue(studyID: rejectedStudy, orderID: rejectedOrder, requestKey: "st2"))
            _ = try #require(try await h.env.jobs.claim(worker: "w"))
            try await h.env.jobs.complete(jobID: second, worker: "w", document: "{}", folder: h.folder.path)
            let report = try #require(try await h.env.cases.caseRow(jobID: second)?.int("report_id"))
            #expect(try await h.env.cases.reject(reportID: report, reason: "motion"))
            #expect(try await statuses()["ST2"] == "rejected")

            let (failingStudy, failingOrder) = try await h.studyWithOrder(accession: "ST3", patientID: "PST3")
            let third = try #require(try await h.env.jobs.enqueue(studyID: failingStudy, orderID: failingOrder, requestKey: "st3"))
            for _ in 0..<h.env.jobs.maxAttempts {
                _ = try #require(try await h.env.jobs.claim(worker: "w"))
                try await h.env.jobs.fail(jobID: third, worker: "w", error: "exit 3")
            }
            #expect(try await statuses()["ST3"] == "analysis failed")
            #expect(try await statuses()["ST1"] == "signed", "the other orders are unchanged")

            // A re-run of the signed case: the order is being analysed again.
            let study = try #require(try await h.env.cases.caseRow(jobID: job)?.int("study_id"))
            let rerun = try #require(try await h.env.jobs.enqueue(studyID: study, orderID: order, requestKey: "rerun:test"))
            #expect(rerun > job)
            #expect(try await statuses()["ST1"] == "analysing")
        }
        try await h.close()
    }
}
