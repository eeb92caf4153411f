// The case page: order and study facts, the analysis's findings and QC notes (read from its result
// document, whatever its schema version), figures, a slice viewer, the interpretation and sign-off.
import Foundation

enum CasePage {
    /// Files of an analysis folder the page shows: figures (`figures/*.png`) and axial slices with the
    /// segmentation overlay (`slices/*.png`), both written by `openbct analyze`.
    static func images(in folder: String?, subfolder: String) -> [String] {
        guard let folder else { return [] }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(subfolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".png") }.sorted()
    }

    static func render(_ c: SQLRow, addenda: [SQLRow], deliveries: [SQLRow] = [], user: AuthenticatedUser, message: String? = nil) -> String {
        let job = c.int("job_id") ?? 0
        let reportStatus = c.string("report_status") ?? "none"
        let document = c.string("document").flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let figures = images(in: c.string("folder"), subfolder: "figures")
        let slices = images(in: c.string("folder"), subfolder: "slices").map { "/cases/\(job)/slices/\($0)" }
        let slicesJSON = (try? JSONSerialization.data(withJSONObject: slices)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"

        var body = message.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        body += """
            <div class="grid"><section><h2>Order</h2><dl id="order">
            <dt>Patient</dt><dd>\(HTML.escape(c.string("patient_name"))) (ID \(HTML.escape(c.string("patient_id"))), born \(HTML.escape(c.string("patient_birth_date"))))</dd>
            <dt>Accession</dt><dd>\(HTML.escape(c.string("accession_number")))</dd>
            <dt>Order status</dt><dd class="order-status">\(HTML.escape(c.string("order_status")))</dd>
            <dt>Indications</dt><dd>\(HTML.escape(c.string("indications")))</dd>
            <dt>Sites</dt><dd>\(HTML.escape(c.string("sites")))</dd>
            <dt>Ordering provider</dt><dd>\(HTML.escape(c.string("ordering_provider_name"))), NPI \(HTML.escape(c.string("ordering_provider_npi"))), taxonomy \(HTML.escape(c.string("ordering_provider_taxonomy")))</dd>
            <dt>Study</dt><dd>\(HTML.escape(c.string("study_instance_uid"))), \(c.int("instance_count") ?? 0) instances</dd>
            <dt>Analysis</dt><dd class="status-\(HTML.escape(c.string("job_status")))">\(HTML.escape(c.string("job_status"))) (attempt \(c.int("attempts") ?? 0); \(HTML.escape(c.string("progress"))))</dd>
            \(c.string("error").map { "<dt>Error</dt><dd class=\"error\">\(HTML.escape($0))</dd>" } ?? "")
            </dl></section>
            <section class="viewer" data-slices="\(HTML.escape(slicesJSON))"><h2>Slices</h2>
            \(slices.isEmpty ? "<p>No slice images in this analysis.</p>" : "<img alt=\"axial slice with segmentation overlay\"><br><input type=\"range\" min=\"0\" value=\"0\" aria-label=\"slice\"> <span class=\"slice-label\"></span>")
            </section></div>
            """
        body += "<h2>Findings</h2>"
        if let document {
            body += "<section id=\"qc\">" + qcNotes(document) + "</section>"
            body += "<table id=\"findings\"><tbody>" + flatten(document, prefix: "").map {
                "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>"
            }.joined(separator: "\n") + "</tbody></table>"
            body += "<p><a href=\"/api/cases/\(job)/result.json\">Result document (JSON)</a></p>"
        } else {
            body += "<p>No result yet.</p>"
        }
        if !figures.isEmpty {
            body += "<h2>Figures</h2>" + figures.map { "<img src=\"/cases/\(job)/figures/\(HTML.escape($0))\" alt=\"\(HTML.escape($0))\" width=\"400\">" }.joined()
        }
        body += interpretation(c, reportStatus: reportStatus, job: job, addenda: addenda, user: user)
        body += deliveryTable(deliveries)
        return HTML.page(title: "Case \(job)", user: user, body: body, script: true)
    }

    private static func interpretation(_ c: SQLRow, reportStatus: String, job: Int64, addenda: [SQLRow], user: AuthenticatedUser) -> String {
        var html = "<h2>Interpretation <span id=\"report-status\" class=\"status-\(reportStatus)\">\(reportStatus)</span></h2>"
        let text = c.string("interpretation") ?? ""
        switch reportStatus {
        case "draft":
            html += """
                <form method="post" action="/cases/\(job)/report" id="report-form">\(HTML.csrf(user))
                <textarea name="interpretation" id="interpretation">\(HTML.escape(text))</textarea>
                <button type="submit" name="action" value="save">Save draft</button>
                \(user.role.allows(.sign) ? "<button type=\"submit\" name=\"action\" value=\"sign\" id=\"sign\">Sign report</button>" : "")
                </form>
                <form method="post" action="/cases/\(job)/reject">\(HTML.csrf(user))
                <input name="reason" placeholder="reason" required> <button type="submit">Reject</button></form>
                """
        case "signed":
            html += """
                <pre id="signed-text">\(HTML.escape(text))</pre>
                <p>Signed by \(HTML.escape(c.string("signer"))) at \(HTML.time(c.int("signed_at"))).</p>
                """
            for a in addenda {
                html += "<div class=\"addendum\"><h3>Addendum — \(HTML.escape(a.string("signer"))), \(HTML.time(a.int("signed_at")))</h3><pre>\(HTML.escape(a.string("text")))</pre></div>"
            }
            html += """
                <form method="post" action="/cases/\(job)/addenda">\(HTML.csrf(user))
                <textarea name="text" required></textarea><button type="submit">Sign addendum</button></form>
                """
        default:
            html += "<pre>\(HTML.escape(text))</pre>"
        }
        html += """
            <h2>Re-run</h2><form method="post" action="/cases/\(job)/rerun">\(HTML.csrf(user))
            <input name="overrides" size="60" placeholder="--level L1=L2 --exclude-site left-hip">
            <button type="submit">Re-run analysis</button></form>
            """
        return html
    }

    /// The outbox rows of the signed report: where it went, or why not yet and when it retries.
    static func deliveryTable(_ rows: [SQLRow]) -> String {
        guard !rows.isEmpty else { return "" }
        var html = "<h2>Delivery</h2><table id=\"deliveries\"><thead><tr><th>to</th><th>what</th><th>status</th><th>attempts</th><th>next attempt / delivered</th><th>last error</th></tr></thead><tbody>"
        for r in rows {
            let status = r.string("status") ?? ""
            let when = status == "delivered" ? HTML.time(r.int("delivered_at")) : HTML.time(r.int("next_attempt_at"))
            let what = (r.int("revision") ?? 0) == 0 ? "signed report" : "addendum \(r.int("revision") ?? 0)"
            html += "<tr class=\"delivery-\(HTML.escape(status))\"><td>\(HTML.escape(r.string("target") == "pacs" ? "PACS" : "FHIR server"))</td><td>\(what)</td>"
                + "<td>\(HTML.escape(status))</td><td>\(r.int("attempts") ?? 0)</td><td>\(when)</td><td>\(HTML.escape(r.string("last_error")))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// QC notes: any list under a key named like "qc", "warnings" or "findings" in the document.
    static func qcNotes(_ value: Any) -> String {
        var notes: [String] = []
        func walk(_ v: Any, key: String) {
            if let dict = v as? [String: Any] {
                for (k, sub) in dict.sorted(by: { $0.key < $1.key }) { walk(sub, key: k) }
            } else if let list = v as? [Any], ["qc", "warnings", "qcfindings", "qualitycontrol", "refusals"].contains(key.lowercased()) {
                for item in list { notes.append("\(key): \(describe(item))") }
            }
        }
        walk(value, key: "")
        return notes.isEmpty ? "<p>No QC notes.</p>" : "<ul class=\"qc\">" + notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
    }

    /// The document's scalar values as (path, value) rows, in key order, at most 400.
    static func flatten(_ value: Any, prefix: String) -> [(String, String)] {
        var rows: [(String, String)] = []
        func walk(_ v: Any, _ path: String) {
            guard rows.count < 400 else { return }
            if let dict = v as? [String: Any] {
                for (k, sub) in dict.sorted(by: { $0.key < $1.key }) { walk(sub, path.isEmpty ? k : "\(path).\(k)") }
            } else if let list = v as? [Any] {
                for (i, sub) in list.enumerated() { walk(sub, "\(path)[\(i)]") }
            } else {
                rows.append((path, describe(v)))
            }
        }
        walk(value, prefix)
        return rows
    }

    private static func describe(_ v: Any) -> String {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        if v is NSNull { return "—" }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) { return String(decoding: data, as: UTF8.self) }
        return "\(v)"
    }
}
