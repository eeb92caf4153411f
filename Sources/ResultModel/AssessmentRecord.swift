// The interpretation: strength and BMD classes per site, the overall risk category, the
// load-to-strength ratio and the change against a prior analysis.

/// Strength classes (methods.md §7).
public enum StrengthClass: String, Codable, Sendable, Equatable {
    case fragile, low, normal
}

/// The overall fracture-risk category (methods.md §7).
public enum RiskCategory: String, Codable, Sendable, Equatable {
    case high, increased, notIncreased
}

/// The assessment of one analysis.
public struct AssessmentRecord: Codable, Sendable, Equatable {
    /// True when the patient is under the paediatric age limit: values without classes.
    public var paediatric: Bool
    /// The sex the sex-specific thresholds used ("F"/"M"), nil when unknown (no strength class).
    public var sexForThresholds: String?
    public var sites: [SiteAssessment]
    /// Nil when no class could be given (paediatric, or nothing measured).
    public var overallRisk: RiskCategory?
    /// The rule that gave `overallRisk`, in words.
    public var overallRiskReason: String?
    /// "Thresholds derived for another system (VirtuOst, Keaveny 2020) …".
    public var thresholdsLabel: String
    public var loadToStrength: LoadToStrengthRecord?
    public var changes: [ChangeRecord]
    public var notes: [String]
    public init(paediatric: Bool, sexForThresholds: String?, sites: [SiteAssessment], overallRisk: RiskCategory?,
                overallRiskReason: String?, thresholdsLabel: String, loadToStrength: LoadToStrengthRecord?,
                changes: [ChangeRecord], notes: [String]) {
        self.paediatric = paediatric; self.sexForThresholds = sexForThresholds; self.sites = sites; self.overallRisk = overallRisk
        self.overallRiskReason = overallRiskReason; self.thresholdsLabel = thresholdsLabel; self.loadToStrength = loadToStrength
        self.changes = changes; self.notes = notes
    }
}

/// Classes of one site.
public struct SiteAssessment: Codable, Sendable, Equatable {
    public var site: AnalysisSite
    /// The class-driving strength (N, unrounded) and where it comes from ("left femur", "L1").
    public var strength_N: Double?
    public var strengthSource: String?
    public var strengthClass: StrengthClass?
    /// The BMD value the class uses: lowest hip T-score, or spine site vBMD (mg/cm³).
    public var bmdValue: Double?
    public var bmdQuantity: String?
    public var bmdClass: BMDClass?
    public init(site: AnalysisSite, strength_N: Double?, strengthSource: String?, strengthClass: StrengthClass?,
                bmdValue: Double?, bmdQuantity: String?, bmdClass: BMDClass?) {
        self.site = site; self.strength_N = strength_N; self.strengthSource = strengthSource; self.strengthClass = strengthClass
        self.bmdValue = bmdValue; self.bmdQuantity = bmdQuantity; self.bmdClass = bmdClass
    }
}

/// Hip load-to-strength ratio Φ = F_fall / strength.
public struct LoadToStrengthRecord: Codable, Sendable, Equatable {
    public var fallForce_N: Double
    public var strength_N: Double
    public var ratio: Double
    /// "fracture expected" (Φ > 1.2), "transition zone" (0.8–1.2), "fracture not expected" (Φ < 0.8).
    public var interpretation: String
    public var heightCM: Double
    public var weightKG: Double
    /// Impact velocity (m/s) and effective mass (kg) of the model.
    public var impactVelocity_m_per_s: Double
    public var effectiveMass_kg: Double
    public var model: String
    public init(fallForce_N: Double, strength_N: Double, ratio: Double, interpretation: String, heightCM: Double, weightKG: Double,
                impactVelocity_m_per_s: Double, effectiveMass_kg: Double, model: String) {
        self.fallForce_N = fallForce_N; self.strength_N = strength_N; self.ratio = ratio; self.interpretation = interpretation
        self.heightCM = heightCM; self.weightKG = weightKG; self.impactVelocity_m_per_s = impactVelocity_m_per_s
        self.effectiveMass_kg = effectiveMass_kg; self.model = model
    }
}

/// Change of one quantity against the prior analysis.
public struct ChangeRecord: Codable, Sendable, Equatable {
    /// "hipStrength", "spineStrength", "hipLowestTScore", "spineVBMD", ….
    public var quantity: String
    public var unit: String
    public var prior: Double
    public var current: Double
    public var percentChange: Double
    /// Least significant change (%) at 95 % confidence.
    public var lscPercent: Double?
    /// |percentChange| > lscPercent.
    public var significant: Bool?
    public var priorAnalysisID: String
    public var priorDate: String?
    public init(quantity: String, unit: String, prior: Double, current: Double, percentChange: Double, lscPercent: Double?,
                significant: Bool?, priorAnalysisID: String, priorDate: String?) {
        self.quantity = quantity; self.unit = unit; self.prior = prior; self.current = current; self.percentChange = percentChange
        self.lscPercent = lscPercent; self.significant = significant; self.priorAnalysisID = priorAnalysisID; self.priorDate = priorDate
    }
}
