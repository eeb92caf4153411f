// Every parameter of an analysis, recorded so the run can be repeated and audited.

/// The parameters an analysis used. Values marked [U] in methods.md are defaults, not confirmed facts;
/// `notes` names them.
public struct AnalysisParameters: Codable, Sendable, Equatable {
    /// The sites requested by the order or the command line.
    public var requestedSites: [AnalysisSite]
    /// "phantom-auto", "phantom-file", "internal-effective-energy", "internal-two-point".
    public var calibrationMethod: String
    /// FE element edge (mm).
    public var feVoxelSize_mm: Double
    public var hip: HipParameters
    public var spine: SpineParameters
    /// Where the nonlinear curves may end before the deformation limit; nil (absent): every curve was
    /// loaded to the limit.
    public var stopAfterDecline: DeclineStopParameters?
    public var fallForce: FallForceParameters
    public var change: ChangeParameters
    /// Where the class thresholds come from (methods.md §7: derived for another system).
    public var classThresholdsSource: String
    /// Notes on assumed ([U]) values.
    public var notes: [String]
    public init(requestedSites: [AnalysisSite], calibrationMethod: String, feVoxelSize_mm: Double, hip: HipParameters,
                spine: SpineParameters, fallForce: FallForceParameters, change: ChangeParameters,
                classThresholdsSource: String, notes: [String] = [], stopAfterDecline: DeclineStopParameters? = nil) {
        self.requestedSites = requestedSites; self.calibrationMethod = calibrationMethod; self.feVoxelSize_mm = feVoxelSize_mm
        self.hip = hip; self.spine = spine; self.stopAfterDecline = stopAfterDecline; self.fallForce = fallForce; self.change = change
        self.classThresholdsSource = classThresholdsSource; self.notes = notes
    }
}

/// The rule ending a nonlinear curve after its peak: the force below the peak for `increments` converged
/// increments in a row spanning at least `limitShare` of the deformation limit.
public struct DeclineStopParameters: Codable, Sendable, Equatable {
    public var increments: Int
    public var limitShare: Double
    public init(increments: Int, limitShare: Double) { self.increments = increments; self.limitShare = limitShare }
}

/// Hip FE parameters (methods.md §10).
public struct HipParameters: Codable, Sendable, Equatable {
    public var protocolName: String
    /// Modulus/yield law preset name ("femur-morgan").
    public var materialLaw: String
    /// Shaft tilt α and internal rotation β of the class-driving sideways fall (degrees).
    public var alpha_deg: Double
    public var beta_deg: Double
    /// Fall directions solved (linear) for the direction spread of the uncertainty interval.
    public var directionSpread: [FallDirectionAngles]
    /// Nonlinear deformation limit as a fraction of the reference length.
    public var deformationLimit: Double
    public var nonlinearSteps: Int
    public init(protocolName: String, materialLaw: String, alpha_deg: Double, beta_deg: Double,
                directionSpread: [FallDirectionAngles], deformationLimit: Double, nonlinearSteps: Int) {
        self.protocolName = protocolName; self.materialLaw = materialLaw; self.alpha_deg = alpha_deg; self.beta_deg = beta_deg
        self.directionSpread = directionSpread; self.deformationLimit = deformationLimit; self.nonlinearSteps = nonlinearSteps
    }
}

/// One sideways-fall direction.
public struct FallDirectionAngles: Codable, Sendable, Equatable {
    public var alpha_deg: Double
    public var beta_deg: Double
    public init(alpha_deg: Double, beta_deg: Double) { self.alpha_deg = alpha_deg; self.beta_deg = beta_deg }
}

/// Spine FE and vBMD parameters (methods.md §10).
public struct SpineParameters: Codable, Sendable, Equatable {
    public var protocolName: String
    public var materialLaw: String
    /// Nonlinear deformation limit as a fraction of the loaded height.
    public var deformationLimit: Double
    public var nonlinearSteps: Int
    /// Levels averaged for the site vBMD, in preference order ("L1", "L2").
    public var vbmdLevels: [String]
    /// Levels tried for FE strength, first eligible wins ("L1", "L2", "T12", "L3").
    public var strengthLevelOrder: [String]
    public init(protocolName: String, materialLaw: String, deformationLimit: Double, nonlinearSteps: Int,
                vbmdLevels: [String], strengthLevelOrder: [String]) {
        self.protocolName = protocolName; self.materialLaw = materialLaw; self.deformationLimit = deformationLimit
        self.nonlinearSteps = nonlinearSteps; self.vbmdLevels = vbmdLevels; self.strengthLevelOrder = strengthLevelOrder
    }
}

/// The sideways-fall impact-force model (methods.md §7, constants [U]): a mass–spring impact,
/// v = sqrt(2·g·h_hip), F = v·sqrt(k·m_eff), with h_hip and m_eff scaled from height and weight.
public struct FallForceParameters: Codable, Sendable, Equatable {
    public var model: String
    /// Hip (trochanter) height as a fraction of standing height.
    public var hipHeightFraction: Double
    /// Effective mass as a fraction of body weight.
    public var effectiveMassFraction: Double
    /// Effective stiffness of the impact (N/m).
    public var stiffness_N_per_m: Double
    public var gravity_m_per_s2: Double
    /// Where the constants come from, with their status ([U]).
    public var source: String
    public init(model: String, hipHeightFraction: Double, effectiveMassFraction: Double, stiffness_N_per_m: Double,
                gravity_m_per_s2: Double, source: String) {
        self.model = model; self.hipHeightFraction = hipHeightFraction; self.effectiveMassFraction = effectiveMassFraction
        self.stiffness_N_per_m = stiffness_N_per_m; self.gravity_m_per_s2 = gravity_m_per_s2; self.source = source
    }
}

/// Least-significant-change parameters: LSC = z · √2 · CV (precision as a coefficient of variation).
public struct ChangeParameters: Codable, Sendable, Equatable {
    /// z for the confidence level (2.77 = 1.96·√2 is folded: this is the 1.96 of 95 %).
    public var z: Double
    /// Precision CV (%) per quantity: "hipStrength", "spineStrength", "hipABMD", "spineVBMD".
    public var precisionCVPercent: [String: Double]
    /// Where each CV comes from (measured here or cited).
    public var sources: [String: String]
    public init(z: Double, precisionCVPercent: [String: Double], sources: [String: String]) {
        self.z = z; self.precisionCVPercent = precisionCVPercent; self.sources = sources
    }
}
