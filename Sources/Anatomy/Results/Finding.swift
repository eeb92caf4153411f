// Quality findings: what a run noticed about the anatomy. They never stop a run.

/// The anatomical site a finding or structure belongs to.
public enum Site: String, Sendable, Codable, CaseIterable {
    case hip, spine
}

/// A quality finding (femur cut by the field of view, level uncertain, metal near bone, …).
public struct Finding: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case noSpineFound, vertebraCutByFieldOfView, levelUncertain, transitionalAnatomy, levelsUnnamed
        case noFemurFound, onlyOneFemur, femurCutByFieldOfView, shaftAxisUncertain, headNotSeparated, metalNearBone, coarseSlices
        case importedStructureMissing, importedMaskPartlyOutside
    }
    public var kind: Kind
    public var site: Site?
    public var message: String
    /// Whether the affected structure is still usable downstream.
    public var usable: Bool

    public init(_ kind: Kind, site: Site?, usable: Bool = true, _ message: String) {
        self.kind = kind; self.site = site; self.message = message; self.usable = usable
    }
    public var description: String { "\(site.map { "[\($0.rawValue)] " } ?? "")\(message)" }
}
