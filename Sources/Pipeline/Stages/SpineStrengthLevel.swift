// Which vertebra carries the spine strength (methods.md §10): L1, then L2, T12, L3 — the first eligible.
// A level is screened before it is solved (found, whole in the scan, no suspected fracture) and
// refused after it is solved when the FE fails or the model is not physiological; the next level is tried.
import Anatomy
import ResultModel

enum SpineStrengthLevel {
    static let order: [VertebralLevel] = [.L1, .L2, .T12, .L3]

    /// A vertebral body this much shorter (central height) than the mean of its whole neighbours is a
    /// suspected compression fracture: the 20 % height reduction of Genant's semiquantitative grade 1
    /// (Genant 1993), applied to the central height between the endplate planes only [U]. A fractured
    /// body's strength does not describe the patient's bone, so the level is skipped.
    static let fractureHeightReduction = 0.20

    /// Why `level` cannot be modelled before any FE is run, or nil when it can.
    static func screen(_ level: VertebralLevel, vertebrae: [VertebraSummary]) -> String? {
        guard let v = vertebrae.first(where: { $0.level == level.name }) else { return "not found or not named in the scan" }
        if v.cutByFieldOfView { return "cut by the field of view (not whole in the scan)" }
        return suspectedFracture(v, vertebrae: vertebrae)
    }

    /// The suspected-fracture reason for `v`, or nil (also nil when no whole neighbour has landmarks).
    static func suspectedFracture(_ v: VertebraSummary, vertebrae: [VertebraSummary]) -> String? {
        guard let level = v.level.flatMap(VertebralLevel.init(name:)), let height = v.landmarks?.heightMM else { return nil }
        let neighbours = vertebrae.filter { n in
            guard let l = n.level.flatMap(VertebralLevel.init(name:)), !n.cutByFieldOfView, n.landmarks != nil else { return false }
            return abs(l.rawValue - level.rawValue) == 1
        }
        guard !neighbours.isEmpty else { return nil }
        let reference = neighbours.compactMap(\.landmarks?.heightMM).reduce(0, +) / Double(neighbours.count)
        let reduction = 1 - height / reference
        guard reduction >= fractureHeightReduction else { return nil }
        return "suspected compression fracture: central body height \(Int(height.rounded())) mm is \(Int((100 * reduction).rounded())) % below "
            + "the mean of \(neighbours.compactMap(\.level).joined(separator: " and ")) (\(Int(reference.rounded())) mm; "
            + "≥ \(Int(100 * fractureHeightReduction)) %, Genant grade 1 threshold [U])"
    }

    /// The selection record for the level `used` after `refused`.
    static func selection(used: VertebralLevel, refused: [LevelRefusal]) -> LevelSelection {
        LevelSelection(preferred: order[0].name, used: used.name, refused: refused)
    }
}
