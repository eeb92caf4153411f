// Finite-element bone strength per site: linear stiffness, nonlinear strength with its interval and curve.

/// FE results for one bone (one femur or one vertebra).
public struct StrengthRecord: Codable, Sendable, Equatable {
    public var site: AnalysisSite
    /// Femur side (hip).
    public var side: BodySide?
    /// Vertebral level (spine).
    public var level: String?
    /// Why this level was modelled (spine): the preferred level and each level tried and refused before it.
    public var levelSelection: LevelSelection?
    public var protocolName: String
    public var materialLaw: String
    public var voxelSize_mm: Double
    public var elements: Int
    /// Linear stiffness at the protocol's linear endpoint (N/mm).
    public var linearStiffness_N_per_mm: Double
    /// Nonlinear strength: peak reaction within the deformation limit (N, unrounded).
    public var strength_N: Double
    public var displacementAtPeak_mm: Double
    /// Whether every increment of the nonlinear solve converged.
    public var converged: Bool
    /// The uncertainty interval on `strength_N` and its components.
    public var interval: StrengthInterval?
    /// The force–displacement curve of the nonlinear solve.
    public var curve: [CurvePoint]
    /// Linear stiffness per fall direction (hip), when solved.
    public var fallDirections: [FallDirectionStiffness]
    /// Whether this bone's strength sets the site's class (the weaker hip; the spine's level).
    public var drivesClass: Bool
    /// Failed-tissue map figure id, if written.
    public var failedTissueFigure: String?
    public var seconds: Double
    public var notes: [String]
    public init(site: AnalysisSite, side: BodySide?, level: String?, protocolName: String, materialLaw: String, voxelSize_mm: Double,
                elements: Int, linearStiffness_N_per_mm: Double, strength_N: Double, displacementAtPeak_mm: Double, converged: Bool,
                interval: StrengthInterval?, curve: [CurvePoint], fallDirections: [FallDirectionStiffness], drivesClass: Bool,
                failedTissueFigure: String?, seconds: Double, notes: [String], levelSelection: LevelSelection? = nil) {
        self.site = site; self.side = side; self.level = level; self.levelSelection = levelSelection; self.protocolName = protocolName; self.materialLaw = materialLaw
        self.voxelSize_mm = voxelSize_mm; self.elements = elements; self.linearStiffness_N_per_mm = linearStiffness_N_per_mm
        self.strength_N = strength_N; self.displacementAtPeak_mm = displacementAtPeak_mm; self.converged = converged
        self.interval = interval; self.curve = curve; self.fallDirections = fallDirections; self.drivesClass = drivesClass
        self.failedTissueFigure = failedTissueFigure; self.seconds = seconds; self.notes = notes
    }
}

/// How the spine strength level was chosen (methods.md §10: L1, then L2, T12, L3 — the first eligible).
public struct LevelSelection: Codable, Sendable, Equatable {
    /// The level methods.md prefers ("L1").
    public var preferred: String
    /// The level modelled.
    public var used: String
    /// Levels tried before `used`, in order, each with the reason it was refused.
    public var refused: [LevelRefusal]
    public init(preferred: String, used: String, refused: [LevelRefusal]) {
        self.preferred = preferred; self.used = used; self.refused = refused
    }

    /// One sentence for reports: "L1 (the preferred level)" or "L2: L1 refused (cut by the field of view)".
    public var summary: String {
        refused.isEmpty ? "\(used) (the preferred level)"
            : "\(used): " + refused.map { "\($0.level) refused (\($0.reason))" }.joined(separator: "; ")
    }
}

/// A vertebral level not used for strength, and why.
public struct LevelRefusal: Codable, Sendable, Equatable {
    public var level: String
    public var reason: String
    public init(level: String, reason: String) { self.level = level; self.reason = reason }
}

/// One point of a force–displacement curve.
public struct CurvePoint: Codable, Sendable, Equatable {
    public var displacement_mm: Double
    public var force_N: Double
    /// Fraction of bone elements yielded at this point.
    public var yieldedFraction: Double
    public init(displacement_mm: Double, force_N: Double, yieldedFraction: Double) {
        self.displacement_mm = displacement_mm; self.force_N = force_N; self.yieldedFraction = yieldedFraction
    }
}

/// Linear stiffness in one sideways-fall direction.
public struct FallDirectionStiffness: Codable, Sendable, Equatable {
    public var alpha_deg: Double
    public var beta_deg: Double
    public var stiffness_N_per_mm: Double
    public init(alpha_deg: Double, beta_deg: Double, stiffness_N_per_mm: Double) {
        self.alpha_deg = alpha_deg; self.beta_deg = beta_deg; self.stiffness_N_per_mm = stiffness_N_per_mm
    }
}

/// An interval on a strength and the relative contributions it was combined from
/// (docs/analysis.md: independent relative components added in quadrature).
public struct StrengthInterval: Codable, Sendable, Equatable {
    public var low_N: Double
    public var high_N: Double
    /// Nominal coverage of the interval ("±1 combined standard uncertainty", "95 %").
    public var coverage: String
    public var components: [UncertaintyComponent]
    public init(low_N: Double, high_N: Double, coverage: String, components: [UncertaintyComponent]) {
        self.low_N = low_N; self.high_N = high_N; self.coverage = coverage; self.components = components
    }
}

/// One source of strength uncertainty, as a relative standard uncertainty.
public struct UncertaintyComponent: Codable, Sendable, Equatable {
    /// "calibration", "fallDirection", "segmentation", ….
    public var source: String
    public var relative: Double
    /// How it was obtained.
    public var method: String
    public init(source: String, relative: Double, method: String) { self.source = source; self.relative = relative; self.method = method }
}
