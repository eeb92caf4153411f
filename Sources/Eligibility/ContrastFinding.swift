// Whether the scan was taken with intravenous contrast: the DICOM header's word and the blood's HU.
import Calibration
import Foundation
import OpenBCTCore

/// The contrast assessment of a scan.
public struct ContrastFinding: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Header or aortic blood says contrast.
        case present
        /// Aortic blood measured and unenhanced, header silent or negative.
        case absent
        /// Blood between the unenhanced and the enhanced limits: perhaps a late phase.
        case indeterminate
        /// Nothing to judge by (no header, no aorta found).
        case unknown
    }
    public var status: Status
    /// ContrastBolusAgent (0018,0010) as recorded, when the input was DICOM.
    public var headerAgent: String?
    /// Median HU of the blood region measured, its size and where it is.
    public var bloodMedianHU: Double?
    public var bloodRegion: CalibrationRegion?
    /// How the blood region was found ("aorta label", "brightest uniform disc anterior to T12–L3").
    public var bloodSource: String?
    public var rule: String

    /// Unenhanced blood is 30–60 HU (haematocrit-dependent); portal-venous and arterial phases put the
    /// aorta well above 100 HU. Medians ≥ `enhancedHU` are contrast, ≤ `unenhancedHU` are not [U].
    public static let unenhancedHU = 70.0
    public static let enhancedHU = 100.0

    public init(headerAgent: String?, blood: CalibrationRegion?, bloodSource: String?) {
        self.headerAgent = headerAgent
        bloodRegion = blood
        bloodMedianHU = blood?.statistics.median
        self.bloodSource = bloodSource
        rule = String(format: "contrast if ContrastBolusAgent names an agent, or aortic blood median ≥ %.0f HU; none if ≤ %.0f HU [U]",
                      Self.enhancedHU, Self.unenhancedHU)
        let headerSaysContrast = headerAgent.map(Self.namesAnAgent)
        if headerSaysContrast == true || (bloodMedianHU ?? -.infinity) >= Self.enhancedHU {
            status = .present
        } else if let hu = bloodMedianHU {
            status = hu <= Self.unenhancedHU ? .absent : .indeterminate
        } else {
            // A header that names no agent is weak evidence (the field is often left empty): say unknown.
            status = .unknown
        }
    }

    /// Whether a ContrastBolusAgent value names an agent ("NONE", "NO", "N/A" and blanks do not).
    static func namesAnAgent(_ value: String) -> Bool {
        let v = value.trimmingCharacters(in: .whitespaces).uppercased()
        return !["", "NONE", "NO", "N/A", "NA", "NO CONTRAST", "NIL", "-"].contains(v)
    }

    /// One line for reports.
    public var summary: String {
        var parts = ["contrast \(status.rawValue)"]
        if let hu = bloodMedianHU { parts.append(String(format: "blood median %.0f HU (%@)", hu, bloodSource ?? "?")) }
        if let a = headerAgent { parts.append("ContrastBolusAgent '\(a)'") }
        return parts.joined(separator: ", ")
    }
}
