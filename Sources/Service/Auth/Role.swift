// Who may do what: three roles, each a fixed set of permissions (least privilege).

/// A user's role.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Sends scans, enters orders, sees the status of cases (not their findings).
    case technologist
    /// Reviews findings, writes the interpretation, signs, adds addenda, rejects or re-runs.
    case physician
    /// Manages users, reads the audit log, exports billing summaries and de-identified research data;
    /// sees no identified patient findings.
    case admin

    public var permissions: Set<Permission> {
        switch self {
        case .technologist: [.sendStudies, .manageOrders, .viewStatus]
        case .physician: [.viewStatus, .viewOrders, .review, .sign, .exportBilling]
        case .admin: [.manageUsers, .viewAudit, .exportBilling, .researchExport]
        }
    }
}

/// One thing a request may need to be allowed.
public enum Permission: String, Sendable {
    case sendStudies, manageOrders, viewOrders, viewStatus, review, sign, manageUsers, viewAudit
    /// Billing summaries (patient ID, codes, providers; no findings).
    case exportBilling
    /// De-identified export of studies and results for research.
    case researchExport
}

extension Role {
    public func allows(_ permission: Permission) -> Bool {
        permissions.contains(permission) || (permission == .viewOrders && permissions.contains(.manageOrders))
    }
}
