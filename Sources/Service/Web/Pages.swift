// The review pages: login, worklist, orders, unmatched studies, users and the audit log. The case
// page is in CasePage.swift.
import Foundation

enum Pages {
    static func login(error: String? = nil) -> String {
        HTML.page(title: "Sign in", user: nil, body: """
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/login">
            <p><label>User name <input name="username" autocomplete="username" required></label></p>
            <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">Sign in</button></p></form>
            """)
    }

    static func worklist(_ rows: [SQLRow], user: AuthenticatedUser, filters: [String: String]) -> String {
        let canReview = user.role.allows(.review)
        func option(_ name: String, _ values: [String]) -> String {
            let selected = filters[name] ?? ""
            return "<select name=\"\(name)\"><option value=\"\">any</option>" + values.map {
                "<option\($0 == selected ? " selected" : "")>\($0)</option>"
            }.joined() + "</select>"
        }
        let body = rows.map { r -> String in
            let job = r.int("job_id") ?? 0
            let status = r.string("job_status") ?? ""
            let report = r.string("report_status") ?? "—"
            let link = canReview ? "<a href=\"/cases/\(job)\">case \(job)</a>" : "case \(job)"
            return """
                <tr data-job="\(job)"><td>\(link)</td><td>\(HTML.escape(r.string("accession_number")))</td>
                <td>\(HTML.escape(r.string("patient_name")))</td><td>\(HTML.escape(r.string("sites")))</td>
                <td class="status-\(status)">\(status)</td><td>\(HTML.escape(r.string("progress")))</td>
                <td class="status-\(report)">\(report)</td><td class="order-status">\(HTML.escape(r.string("order_status")))</td>
                <td>\(HTML.time(r.int("created_at")))</td></tr>
                """
        }.joined(separator: "\n")
        return HTML.page(title: "Worklist", user: user, body: """
            <form method="get" action="/worklist" id="filters">Job \(option("status", ["queued", "running", "succeeded", "failed"]))
            Report \(option("report", ["draft", "signed", "rejected"]))
            Accession <input name="accession" value="\(HTML.escape(filters["accession"]))" size="12">
            <button type="submit">Filter</button></form>
            <table id="worklist"><thead><tr><th>Case</th><th>Accession</th><th>Patient</th><th>Sites</th><th>Analysis</th>
            <th>Progress</th><th>Report</th><th>Order</th><th>Queued</th></tr></thead><tbody>
            \(body)
            </tbody></table>
            <p>\(rows.count) case(s).</p>
            """)
    }

    /// `pulls`: each order's latest PACS pull. `message`/`error`: the outcome of the action just taken.
    static func orders(_ rows: [SQLRow], pulls: [Int64: SQLRow] = [:], user: AuthenticatedUser,
                       error: String? = nil, message: String? = nil) -> String {
        let canPull = user.role.allows(.sendStudies)
        // `-> String`: GRDB's SQL literal type would otherwise claim these multi-line literals.
        let list = rows.map { r -> String in
            let id = r.int("id") ?? 0
            let taxonomy = r.string("ordering_provider_taxonomy") ?? ""
            let meaning = OrderValidation.taxonomyMeanings[taxonomy].map { " (\($0))" } ?? ""
            let pull = pulls[id].map { p in
                "<span class=\"status-\(HTML.escape(p.string("status")))\">\(HTML.escape(p.string("status")))</span> " +
                    "\(HTML.time(p.int("finished_at"))): \(HTML.escape(p.string("detail")))"
            } ?? ""
            let pullForm = canPull ? """
                <form method="post" action="/orders/\(id)/pull" class="pull">\(HTML.csrf(user))
                <input name="studyInstanceUID" size="20" placeholder="Study UID (optional)" pattern="[0-9.]*">
                <button type="submit">Pull from PACS</button></form>
                """ : ""
            return """
                <tr data-order="\(id)"><td>\(id)</td><td>\(HTML.escape(r.string("accession_number")))</td>
                <td>\(HTML.escape(r.string("patient_id")))</td><td>\(HTML.escape(r.string("patient_name")))</td>
                <td>\(HTML.escape(r.string("indications")))</td>
                <td>\(HTML.escape(r.string("ordering_provider_name"))), NPI \(HTML.escape(r.string("ordering_provider_npi"))), \
            \(HTML.escape(taxonomy + meaning))</td><td class="order-status">\(HTML.escape(r.string("workflow_status")))</td>
                <td class="pull-status">\(pull)\(pullForm)</td></tr>
            """
        }.joined(separator: "\n")
        let form = user.role.allows(.manageOrders) ? """
            <h2>New order (CPT 0554T)</h2>
            <form method="post" action="/orders">\(HTML.csrf(user))
            <fieldset><legend>Patient</legend>
            <label>Accession number <input name="accessionNumber" required maxlength="16"></label>
            <label>Patient ID <input name="patientID" required></label>
            <label>Name <input name="patientName" required></label>
            <label>Birth date <input name="patientBirthDate" placeholder="YYYYMMDD"></label></fieldset>
            <fieldset><legend>Referral</legend>
            <label>Indications (ICD-10-CM, comma-separated) <input name="indications" required placeholder="M81.0, R29.6"></label>
            <label>Sites <select name="sites"><option value="spine,hip">spine and hip</option><option>spine</option><option>hip</option></select></label><br>
            <label>Ordering provider <input name="orderingProviderName" required></label>
            <label>NPI <input name="orderingProviderNPI" required pattern="[0-9]{10}"></label>
            <label>Taxonomy <input name="orderingProviderTaxonomy" required placeholder="207RE0101X"></label></fieldset>
            <fieldset><legend>Pre-procedure checklist</legend>
            <label><input type="checkbox" name="ctContraindicationsScreened" value="1"> CT contraindications screened</label>
            <label><input type="checkbox" name="priorDXAReviewed" value="1"> Prior imaging and DXA reviewed</label>
            <label><input type="checkbox" name="patientInformed" value="1"> Patient told the procedure and how results are sent</label></fieldset>
            <button type="submit">Create order</button></form>
            """ : ""
        return HTML.page(title: "Orders", user: user, body: """
            \(message.map { "<p class=\"message\">\(HTML.escape($0))</p>" } ?? "")
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <table id="orders"><thead><tr><th>#</th><th>Accession</th><th>Patient ID</th><th>Name</th><th>Indications</th>
            <th>Ordering provider</th><th>Status</th><th>PACS (pull: the order's accession number, or the Study UID named)</th></tr></thead>
            <tbody>\(list)</tbody></table>
            \(form)
            """)
    }

    static func unmatched(_ rows: [SQLRow], user: AuthenticatedUser) -> String {
        let list = rows.map { r in
            """
            <tr><td>\(r.int("id") ?? 0)</td><td>\(HTML.escape(r.string("study_instance_uid")))</td>
            <td>\(HTML.escape(r.string("accession_number")))</td><td>\(HTML.escape(r.string("patient_id")))</td>
            <td>\(r.int("instance_count") ?? 0)</td><td>\(HTML.time(r.int("last_received_at")))</td>
            <td><form method="post" action="/studies/\(r.int("id") ?? 0)/assign">\(HTML.csrf(user))
            Order # <input name="order" size="5" required> <button type="submit">Assign</button></form></td></tr>
            """
        }.joined(separator: "\n")
        return HTML.page(title: "Unmatched studies", user: user, body: """
            <p>Studies whose accession number and patient ID match no order.</p>
            <table id="unmatched"><thead><tr><th>#</th><th>Study UID</th><th>Accession</th><th>Patient ID</th><th>Instances</th>
            <th>Last received</th><th></th></tr></thead><tbody>\(list)</tbody></table>
            """)
    }

    static func users(_ rows: [SQLRow], user: AuthenticatedUser, message: String? = nil) -> String {
        let list = rows.map { r in
            "<tr><td>\(r.int("id") ?? 0)</td><td>\(HTML.escape(r.string("username")))</td><td>\(HTML.escape(r.string("display_name")))</td><td>\(HTML.escape(r.string("role")))</td><td>\(HTML.escape(r.string("npi")))</td></tr>"
        }.joined(separator: "\n")
        return HTML.page(title: "Users", user: user, body: """
            \(message.map { "<p>\(HTML.escape($0))</p>" } ?? "")
            <table id="users"><thead><tr><th>#</th><th>User name</th><th>Name</th><th>Role</th><th>NPI</th></tr></thead><tbody>\(list)</tbody></table>
            <h2>New user</h2>
            <form method="post" action="/admin/users">\(HTML.csrf(user))
            <label>User name <input name="username" required></label> <label>Name <input name="displayName" required></label>
            <label>Role <select name="role">\(Role.allCases.map { "<option>\($0.rawValue)</option>" }.joined())</select></label>
            <label>NPI <input name="npi"></label> <label>Password <input name="password" type="password" minlength="12" required></label>
            <button type="submit">Create</button></form>
            """)
    }

    static func audit(_ rows: [SQLRow], user: AuthenticatedUser) -> String {
        let list = rows.map { r in
            "<tr><td>\(HTML.time(r.int("at")))</td><td>\(HTML.escape(r.string("username") ?? "(anonymous)"))</td><td>\(HTML.escape(r.string("action")))</td><td>\(HTML.escape(r.string("resource")))</td><td>\(HTML.escape(r.string("remote_address")))</td><td>\(HTML.escape(r.string("outcome")))</td></tr>"
        }.joined(separator: "\n")
        return HTML.page(title: "Audit log", user: user, body: """
            <table id="audit"><thead><tr><th>When</th><th>Who</th><th>What</th><th>Object</th><th>From</th><th>Outcome</th></tr></thead>
            <tbody>\(list)</tbody></table>
            """)
    }
}
