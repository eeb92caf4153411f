// Checks on an order's codes: ICD-10-CM indications, the ordering provider's NPI and NUCC taxonomy.
// The code tables are data (coding.md, with its corrections), so a rejection names the entry and why.
import OpenBCTCore

enum OrderValidation {
    /// Source-table indications that are not billable as written, and what to send instead (coding.md
    /// "Corrections": a 7th-character encounter extension is required, or the code does not exist).
    static let incompleteIndications: [String: String] = [
        "M80.00": "incomplete: needs a 7th character (e.g. M80.00XA, initial encounter)",
        "M48.50": "incomplete: needs a 7th character (e.g. M48.50XA, initial encounter)",
        "M84.4X0": "not an ICD-10-CM code (the family is M84.4-, e.g. M84.40XA)",
    ]

    /// An ICD-10-CM code's shape: letter, two characters, optional dot and up to four more.
    static func checkIndication(_ code: String) throws {
        if let why = incompleteIndications[code] { throw InputError(location: "indications \(code)", why) }
        guard code.range(of: "^[A-TV-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$", options: .regularExpression) != nil else {
            throw InputError(location: "indications \(code)", "not an ICD-10-CM code (expected e.g. M81.0)")
        }
    }

    /// NPI: ten digits whose last is the Luhn check digit over "80840" + the first nine (CMS NPI standard).
    static func checkNPI(_ npi: String) throws {
        let digits = npi.compactMap(\.wholeNumberValue)
        guard npi.count == 10, digits.count == 10 else { throw InputError(location: "ordering provider NPI", "expected 10 digits") }
        let payload = [8, 0, 8, 4, 0] + digits.prefix(9)
        var sum = 0
        for (i, d) in payload.reversed().enumerated() {
            // Doubling starts at the rightmost payload digit (the check digit is appended after it).
            let v = i % 2 == 0 ? d * 2 : d
            sum += v > 9 ? v - 9 : v
        }
        guard (10 - sum % 10) % 10 == digits[9] else {
            throw InputError(location: "ordering provider NPI", "\(npi) fails the NPI check digit")
        }
    }

    /// NUCC taxonomy code shape: ten characters ending in X. Codes the source table mislabels are
    /// accepted (they are real codes) but their true meaning is what is stored and shown.
    static func checkTaxonomy(_ code: String) throws {
        guard code.range(of: "^[0-9]{3}[0-9A-Z]{6}X$", options: .regularExpression) != nil else {
            throw InputError(location: "ordering provider taxonomy", "\(code) is not a NUCC taxonomy code (10 characters ending in X)")
        }
    }

    /// Meanings of the taxonomy codes named in coding.md (corrected).
    static let taxonomyMeanings: [String: String] = [
        "2085R0202X": "Diagnostic Radiology",
        "2085R0204X": "Vascular & Interventional Radiology",
        "207RE0101X": "Endocrinology, Diabetes & Metabolism",
        "207Q00000X": "Family Medicine",
        "207R00000X": "Internal Medicine",
        "2084P0800X": "Psychiatry",
        "363L00000X": "Nurse Practitioner",
        "207RR0500X": "Rheumatology",
        "207K00000X": "Allergy & Immunology",
    ]
}
