// Which classes a patient can be given: paediatric patients get values only; unknown sex gets no strength class.
import ResultModel

/// The patient facts that decide which classes apply (methods.md §10).
public struct PatientGroup: Sendable, Equatable {
    /// Below this age (years) values are reported without classes (methods.md §10: 20).
    public static let paediatricAgeLimit = 20.0

    public var paediatric: Bool
    /// "F" or "M" when known; nil otherwise (no strength class; BMD classes use the female reference).
    public var sex: String?
    public var notes: [String]

    public init(patient: PatientInfo) {
        notes = []
        if let age = patient.ageYears {
            paediatric = age < Self.paediatricAgeLimit
            if paediatric { notes.append(String(format: "Age %.0f years (< %.0f): values are reported without classes.", age, Self.paediatricAgeLimit)) }
        } else {
            paediatric = false
            notes.append("Age unknown: adult classes applied.")
        }
        let s = patient.sex?.uppercased()
        sex = (s == "F" || s == "M") ? s : nil
        if sex == nil { notes.append("Sex unknown: no strength class (thresholds are sex-specific); BMD classes use the female reference.") }
    }
}
