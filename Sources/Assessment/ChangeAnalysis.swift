// Change against a prior analysis: percent change and the least significant change (LSC).
import Foundation
import ResultModel

/// LSC (%) = z·√2·CV, the ISCD form (2.77·CV at 95 %), with the precision CV per quantity.
public struct ChangeAnalysis: Sendable, Equatable {
    public var parameters: ChangeParameters

    /// Precision CVs: hip aBMD 2.0 % (CTXA precision CV 1.8–2.0 % [C], the upper end); strength 2.0 % (methods.md §8:
    /// repeat-analysis CV of strength "should be of the same order" [U]; our own re-analysis spread is in
    /// docs/validation.md); spine vBMD 1.5 % [U] (the asynchronous-calibration precision 0.53–0.91 mg/cm³ [C] is
    /// < 1 % at 100 mg/cm³; segmentation and positioning add to it).
    public static let defaultParameters = ChangeParameters(
        z: 1.96,
        precisionCVPercent: ["hipStrength": 2.0, "spineStrength": 2.0, "hipABMD": 2.0, "hipLowestTScore": 2.0, "spineVBMD": 1.5],
        sources: ["hipStrength": "[U] same order as CTXA precision (methods.md §8)",
                  "spineStrength": "[U] same order as CTXA precision (methods.md §8)",
                  "hipABMD": "[C] CTXA precision CV 1.8–2.0 % (methods.md §5), upper end",
                  "hipLowestTScore": "[C] as hipABMD: the CV applies to the aBMD behind the T-score",
                  "spineVBMD": "[U] QCT spine precision assumed 1.5 %"])

    public init(parameters: ChangeParameters = Self.defaultParameters) { self.parameters = parameters }

    /// LSC (%) for a quantity, nil when no precision is known for it.
    public func lsc(_ quantity: String) -> Double? {
        parameters.precisionCVPercent[quantity].map { parameters.z * 2.0.squareRoot() * $0 }
    }

    /// The change of every quantity present in both documents.
    public func changes(current: [String: (value: Double, unit: String)], prior: ResultDocument) -> [ChangeRecord] {
        let before = Self.trackedQuantities(prior)
        return current.keys.sorted().compactMap { q -> ChangeRecord? in
            guard let now = current[q], let then = before[q], then.value != 0 else { return nil }
            // T-scores: the change is read on the aBMD behind them (percent of a T-score is meaningless).
            let pct: Double
            if q == "hipLowestTScore" {
                pct = 100 * (now.value - then.value) * Self.youngAdultSD / Self.youngAdultMean
            } else {
                pct = 100 * (now.value - then.value) / then.value
            }
            let l = lsc(q)
            return ChangeRecord(quantity: q, unit: now.unit, prior: then.value, current: now.value, percentChange: pct, lscPercent: l,
                                significant: l.map { abs(pct) > $0 }, priorAnalysisID: prior.analysisID, priorDate: prior.study.studyDate)
        }
    }

    /// Total-hip NHANES III young-adult reference (g/cm²), to turn a T-score change into an aBMD percent.
    static let youngAdultMean = 0.942, youngAdultSD = 0.122

    /// The quantities tracked over time, read from a document.
    public static func trackedQuantities(_ d: ResultDocument) -> [String: (value: Double, unit: String)] {
        var q: [String: (Double, String)] = [:]
        for site in AnalysisSite.allCases {
            if let s = d.strength.first(where: { $0.site == site && $0.drivesClass }) { q["\(site.rawValue)Strength"] = (s.strength_N, "N") }
        }
        if let v = d.densitometry.spine?.siteVBMD_mgcm3 { q["spineVBMD"] = (v, "mg/cm3") }
        if let t = d.densitometry.lowestHipTScore { q["hipLowestTScore"] = (t, "T") }
        return q
    }
}
