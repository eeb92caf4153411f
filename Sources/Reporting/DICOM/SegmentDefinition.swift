// Which label values form each DICOM SEG segment, and how each is coded.
import Foundation
import OpenBCTCore

/// One segment of the DICOM SEG: the label values it gathers and its coded anatomy.
public struct SegmentDefinition: Sendable, Equatable {
    /// 1-based Segment Number.
    public var number: Int
    public var label: String
    public var labelValues: Set<Int32>
    public var propertyType: CodedConcept
    /// Laterality, for paired bones.
    public var modifier: CodedConcept?

    /// Segments for the bones of an OpenBCT label table (value → name as docs/anatomy.md lists them:
    /// `femur_left`, `pelvis_right`, `L1_body`, `L1_posterior`, `vertebra_3_body`, …). Body and
    /// posterior elements of one vertebra form one segment (SNOMED codes whole vertebrae); a name the
    /// table does not know is refused rather than guessed.
    public static func bones(labelTable: [(value: Int32, name: String)]) throws -> [SegmentDefinition] {
        var order: [String] = []
        var groups: [String: (values: Set<Int32>, type: CodedConcept, modifier: CodedConcept?)] = [:]
        for (value, name) in labelTable.sorted(by: { $0.value < $1.value }) where value != 0 && name != "background" {
            let (key, type, modifier) = try coding(of: name)
            if groups[key] == nil { order.append(key); groups[key] = ([], type, modifier) }
            groups[key]!.values.insert(value)
        }
        return order.enumerated().map { i, key in
            let g = groups[key]!
            return SegmentDefinition(number: i + 1, label: key, labelValues: g.values, propertyType: g.type, modifier: g.modifier)
        }
    }

    /// (segment key, property type, modifier) for one label name.
    private static func coding(of name: String) throws -> (String, CodedConcept, CodedConcept?) {
        switch name {
        case "femur_left": return ("femur left", SNOMED.femur, SNOMED.left)
        case "femur_right": return ("femur right", SNOMED.femur, SNOMED.right)
        case "pelvis_left": return ("hip bone left", SNOMED.hip, SNOMED.left)
        case "pelvis_right": return ("hip bone right", SNOMED.hip, SNOMED.right)
        default: break
        }
        let parts = name.split(separator: "_")
        if parts.count == 2, parts[1] == "body" || parts[1] == "posterior" {
            let level = String(parts[0])
            if let code = SNOMED.vertebrae[level] { return ("\(level) vertebra", code, nil) }
            if level == "sacrum" { return ("sacrum", SNOMED.sacrum, nil) }
        }
        if parts.count == 3, parts[0] == "vertebra", Int(parts[1]) != nil {
            return ("vertebra \(parts[1]) (level not assigned)", PrivateCodes.unnamedVertebra, nil)
        }
        throw InputError(location: "label table entry \"\(name)\"", "not a bone label OpenBCT knows how to code in a DICOM SEG")
    }
}
