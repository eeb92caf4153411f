// The words of the report: number formats (methods.md §7 rounding), names, and the interpretation.
import Foundation
import ResultModel

enum ReportText {
    /// Strength to 10 N (methods.md §7), with a thousands separator.
    static func newtons(_ v: Double) -> String { grouped(Int((v / 10).rounded() * 10)) + " N" }

    /// T-score to 0.1, with a sign.
    static func tScore(_ v: Double) -> String { signed(String(format: "%+.1f", v)) }

    /// A typographic minus sign in place of the hyphen of a formatted negative number.
    static func signed(_ s: String) -> String { s.hasPrefix("-") ? "−" + s.dropFirst() : s }

    /// vBMD to 1 mg/cm³.
    static func vBMD(_ v: Double) -> String { "\(Int(v.rounded())) mg/cm³" }

    static func number(_ v: Double, digits: Int = 0) -> String {
        digits == 0 ? grouped(Int(v.rounded())) : signed(String(format: "%.\(digits)f", v))
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }

    static func percent(_ v: Double) -> String { signed(String(format: "%+.1f %%", v)) }

    static func quantityName(_ q: String) -> String {
        switch q {
        case "hipStrength": return "femoral strength"
        case "spineStrength": return "vertebral strength"
        case "hipLowestTScore": return "lowest hip T-score"
        case "spineVBMD": return "spine vBMD"
        case "hipABMD": return "hip aBMD"
        default: return q
        }
    }

    static func strengthClassName(_ c: StrengthClass) -> String {
        switch c { case .fragile: "fragile"; case .low: "low strength"; case .normal: "normal strength" }
    }

    static func bmdClassName(_ c: BMDClass) -> String {
        switch c { case .osteoporosis: "osteoporosis"; case .lowBoneMass: "low bone mass"; case .normal: "normal BMD" }
    }

    static func riskName(_ r: RiskCategory) -> String {
        switch r { case .high: "HIGH"; case .increased: "INCREASED"; case .notIncreased: "NOT INCREASED" }
    }

    static func regionName(_ r: String) -> String {
        switch r {
        case "femoralNeck": return "femoral neck"
        case "totalHip": return "total hip"
        case "trochanter": return "trochanter"
        case "intertrochanter": return "intertrochanter"
        default: return r
        }
    }

    static func sexName(_ s: String?) -> String {
        switch s { case "F": "female"; case "M": "male"; default: "sex unknown" }
    }

    /// The interpretation, one sentence per finding, from the document's assessment.
    static func interpretation(_ doc: ResultDocument) -> [String] {
        var out: [String] = []
        guard let a = doc.assessment else {
            out.append("No assessment was made: \(doc.omissions.map { "\($0.part) (\($0.reason))" }.joined(separator: "; ")).")
            return out
        }
        if let risk = a.overallRisk {
            let reason = a.overallRiskReason.map { " — " + ($0.hasSuffix(".") ? String($0.dropLast()) : $0) } ?? ""
            out.append("Overall fracture-risk category: \(riskName(risk))\(reason).")
        } else if a.paediatric {
            out.append("Paediatric patient: values are reported without strength or BMD classes.")
        } else {
            out.append("No overall fracture-risk category could be given.")
        }
        for site in a.sites {
            var parts: [String] = []
            if let s = site.strength_N {
                var text = "\(site.site == .hip ? "Femoral" : "Vertebral") strength \(newtons(s))"
                if let source = site.strengthSource { text += " (\(source))" }
                if let c = site.strengthClass { text += ": \(strengthClassName(c))" }
                parts.append(text)
            }
            if let v = site.bmdValue, let q = site.bmdQuantity {
                let value = site.site == .hip ? tScore(v) : vBMD(v)
                var text = "\(q) \(value)"
                if let c = site.bmdClass { text += ": \(bmdClassName(c))" }
                parts.append(text)
            }
            if !parts.isEmpty { out.append(parts.joined(separator: "; ") + ".") }
        }
        if let phi = a.loadToStrength {
            out.append("Hip load-to-strength ratio Φ = \(number(phi.ratio, digits: 2)) (sideways-fall force \(newtons(phi.fallForce_N)) / strength \(newtons(phi.strength_N))): \(phi.interpretation).")
        }
        for c in a.changes {
            var text = "Change in \(quantityName(c.quantity)) since the prior analysis: \(percent(c.percentChange))"
            if let lsc = c.lscPercent {
                text += (c.significant == true ? " — exceeds" : " — within") + " the least significant change (\(number(lsc, digits: 1)) %)"
            }
            out.append(text + ".")
        }
        if a.overallRisk != nil { out.append(a.thresholdsLabel) }
        for o in doc.omissions { out.append("Not analysed — \(o.part): \(o.reason).") }
        return out
    }
}
