// Patient facts: the header's values, each replaced by an override when one is given.
import ResultModel

extension PatientInfo {
    /// The header facts with `overrides` applied; `sources` records which fact came from where.
    public func applying(_ o: PatientOverrides) -> PatientInfo {
        var p = self
        func take<T>(_ value: T?, _ key: String, _ field: WritableKeyPath<PatientInfo, T?>) {
            guard let value else { return }
            p[keyPath: field] = value; p.sources[key] = .override
        }
        take(o.id, "id", \.id); take(o.name, "name", \.name); take(o.sex?.uppercased(), "sex", \.sex)
        take(o.ageYears, "ageYears", \.ageYears); take(o.heightCM, "heightCM", \.heightCM); take(o.weightKG, "weightKG", \.weightKG)
        return p
    }
}
