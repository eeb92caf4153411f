// Software identity recorded in every output's provenance.

/// OpenBCT's name and version, recorded in every result document and DICOM output.
public enum OpenBCT {
    public static let name = "OpenBCT"
    public static let version = "0.1.0"
    /// Printed on every output until clinical validation exists.
    public static let researchUseNotice = "For research use only. Not validated for clinical decisions."
}
