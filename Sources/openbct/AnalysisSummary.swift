// The human-readable summary `openbct analyze` prints: findings per site, risk, billing, omissions.
import Foundation
import ResultModel

enum AnalysisSummary {
    static func text(_ d: ResultDocument, folder: String) -> String {
        var lines = ["analysis \(d.analysisID): \(d.status.rawValue)"]
        if let c = d.calibration {
            lines.append(String(format: "calibration %@: HU = %.1f + %.4f·ρ, r² %@", c.method, c.intercept_HU, c.slope_HU_per_mgcm3,
                                c.rSquared.map { String(format: "%.4f", $0) } ?? "n/a"))
        }
        for h in d.densitometry.hips {
            let regions = h.regions.filter(\.valid).map { r in
                String(format: "%@ %.3f g/cm² (T %@)", r.region, r.aBMD_g_per_cm2, r.tScore.map { String(format: "%.1f", $0) } ?? "n/a")
            }
            lines.append("hip \(h.side.rawValue): " + regions.joined(separator: ", "))
        }
        if let s = d.densitometry.spine?.siteVBMD_mgcm3 { lines.append(String(format: "spine vBMD %.0f mg/cm³", s)) }
        for s in d.strength {
            var line = String(format: "%@ %@: strength %.0f N", s.site.rawValue, s.side?.rawValue ?? s.level ?? "", (s.strength_N / 10).rounded() * 10)
            if let i = s.interval { line += String(format: " (%.0f–%.0f N)", i.low_N, i.high_N) }
            line += String(format: ", stiffness %.0f N/mm%@", s.linearStiffness_N_per_mm, s.drivesClass ? " [drives class]" : "")
            lines.append(line)
        }
        if let a = d.assessment {
            for s in a.sites {
                lines.append("\(s.site.rawValue): strength class \(s.strengthClass?.rawValue ?? "none"), BMD class \(s.bmdClass?.rawValue ?? "none")")
            }
            lines.append("overall risk: \(a.overallRisk?.rawValue ?? "not classed") — \(a.overallRiskReason ?? "")")
            if let phi = a.loadToStrength {
                lines.append(String(format: "load-to-strength Φ = %.2f (fall force %.0f N): %@", phi.ratio, phi.fallForce_N, phi.interpretation))
            }
            for c in a.changes {
                lines.append(String(format: "change %@: %+.1f %% (LSC %@)", c.quantity, c.percentChange,
                                    c.lscPercent.map { String(format: "%.1f %%", $0) } ?? "n/a") + (c.significant == true ? " significant" : ""))
            }
            lines.append(a.thresholdsLabel)
        }
        if let b = d.billing {
            lines.append("billing: " + b.lines.map { $0.cpt + ($0.modifiers.isEmpty ? "" : "-" + $0.modifiers.joined(separator: "-")) }.joined(separator: ", "))
            for i in b.indications { lines.append("  \(i.code): \(i.verdict.rawValue) — \(i.message)") }
        }
        for o in d.omissions { lines.append("not computed: \(o.part): \(o.reason)") }
        for f in d.qualityFindings where f.severity != .info { lines.append("finding [\(f.stage)] \(f.message)") }
        let total = d.timings.first { $0.stage == "total" }?.seconds ?? 0
        lines.append(String(format: "wrote %@/result.json and %d figure files in %.1f s", folder, d.figures.count, total))
        lines.append(d.notice)
        return lines.joined(separator: "\n")
    }
}
