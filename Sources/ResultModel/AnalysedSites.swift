// Which requested sites an analysis actually measured: the basis of billing modifier 52.

extension ResultDocument {
    /// Sites with a strength result or a site BMD (lowest hip T-score, spine vBMD).
    public var analysedSites: Set<AnalysisSite> {
        Set(strength.map(\.site))
            .union(densitometry.lowestHipTScore != nil ? [.hip] : [])
            .union(densitometry.spine?.siteVBMD_mgcm3 != nil ? [.spine] : [])
    }

    /// Why the analysis was discontinued (the omission of part "analysis"), if it was.
    public var discontinuedReason: String? { omissions.first { $0.part == "analysis" }?.reason }
}
