// What a reference score needs to know about the person scanned.

/// Age and sex of the person scanned (both optional: a NIfTI input carries neither).
public struct ReferenceSubject: Sendable, Codable, Equatable {
    public enum Sex: String, Sendable, Codable { case female, male }
    public var ageYears: Double?
    public var sex: Sex?
    public init(ageYears: Double? = nil, sex: Sex? = nil) { self.ageYears = ageYears; self.sex = sex }
}
