// Server-rendered HTML: escaping and the page frame. No template engine, no external resources.
import OpenBCTCore

enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String?) -> String {
        guard let text else { return "" }
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A full page: header with navigation for the user's role, the research-use notice, `body`.
    static func page(title: String, user: AuthenticatedUser?, body: String, script: Bool = false) -> String {
        var nav = ""
        if let user {
            var links: [(String, String)] = []
            if user.role.allows(.viewStatus) { links.append(("/worklist", "Worklist")) }
            if user.role.allows(.viewOrders) { links.append(("/orders", "Orders")) }
            if user.role.allows(.sendStudies) { links.append(("/studies/unmatched", "Unmatched studies")) }
            if user.role.allows(.manageUsers) { links.append(("/admin/users", "Users")) }
            if user.role.allows(.viewAudit) { links.append(("/admin/audit", "Audit log")) }
            nav = links.map { "<a href=\"\($0.0)\">\($0.1)</a>" }.joined(separator: " ")
            nav += """
                 <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(escape(user.csrfToken))">\
                <button type="submit">Sign out \(escape(user.displayName)) (\(user.role.rawValue))</button></form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) — OpenBCT</title>
            <link rel="stylesheet" href="/assets/app.css">\(script ? "<script src=\"/assets/viewer.js\" defer></script>" : "")</head>
            <body><header><strong>OpenBCT</strong> <nav>\(nav)</nav></header>
            <p class="notice">\(escape(OpenBCT.researchUseNotice))</p>
            <main><h1>\(escape(title))</h1>
            \(body)
            </main></body></html>
            """
    }

    /// A hidden CSRF field for a form.
    static func csrf(_ user: AuthenticatedUser) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(escape(user.csrfToken))\">"
    }

    static func time(_ milliseconds: Int64?) -> String { escape(Timestamp.iso(milliseconds)) }
}
