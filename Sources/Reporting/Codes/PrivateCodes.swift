// OpenBCT's private coding scheme for concepts that have no LOINC or SNOMED CT code (methods.md §9).

/// Codes of the private scheme `99OPENBCT` (documented in docs/dicom-conformance.md). No LOINC code
/// exists for QCT volumetric BMD, finite-element bone strength or a fracture-risk category, so
/// these are ours; the scheme is declared in the SR's Coding Scheme Identification Sequence.
enum PrivateCodes {
    static let scheme = "99OPENBCT"
    static let schemeName = "OpenBCT private codes"
    static let fhirSystem = "urn:openbct:codes"

    static let femoralStrength = CodedConcept("OBCT001", scheme, "Femoral strength, sideways fall (FE)")
    static let vertebralStrength = CodedConcept("OBCT002", scheme, "Vertebral strength, compression (FE)")
    static let strengthClass = CodedConcept("OBCT003", scheme, "Bone strength class")
    static let fractureRiskCategory = CodedConcept("OBCT004", scheme, "Fracture risk category (FE and BMD)")
    static let volumetricBMD = CodedConcept("OBCT005", scheme, "Trabecular volumetric BMD (QCT)")
    static let loadToStrengthRatio = CodedConcept("OBCT006", scheme, "Load-to-strength ratio")
    static let percentChange = CodedConcept("OBCT007", scheme, "Percent change from prior")
    static let leastSignificantChange = CodedConcept("OBCT008", scheme, "Least significant change")
    static let strengthLowerBound = CodedConcept("OBCT009", scheme, "Strength uncertainty interval, lower bound")
    static let strengthUpperBound = CodedConcept("OBCT010", scheme, "Strength uncertainty interval, upper bound")
    static let stiffness = CodedConcept("OBCT011", scheme, "Linear FE stiffness")
    static let vbmdClass = CodedConcept("OBCT013", scheme, "BMD class")
    static let unnamedVertebra = CodedConcept("OBCT020", scheme, "Vertebra (level not assigned)")

    // Values of the class and category concepts.
    static let fragile = CodedConcept("OBCT101", scheme, "Fragile bone strength")
    static let lowStrength = CodedConcept("OBCT102", scheme, "Low bone strength")
    static let normalStrength = CodedConcept("OBCT103", scheme, "Normal bone strength")
    static let highRisk = CodedConcept("OBCT111", scheme, "High fracture risk")
    static let increasedRisk = CodedConcept("OBCT112", scheme, "Increased fracture risk")
    static let notIncreasedRisk = CodedConcept("OBCT113", scheme, "Fracture risk not increased")
    static let normalBMD = CodedConcept("OBCT121", scheme, "Normal BMD")

    /// Every code, for the conformance statement and its test.
    static let all: [CodedConcept] = [
        femoralStrength, vertebralStrength, strengthClass, fractureRiskCategory, volumetricBMD, loadToStrengthRatio,
        percentChange, leastSignificantChange, strengthLowerBound, strengthUpperBound, stiffness,
        vbmdClass, unnamedVertebra, fragile, lowStrength, normalStrength, highRisk, increasedRisk, notIncreasedRisk,
        normalBMD,
    ]
}
