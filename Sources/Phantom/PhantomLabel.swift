// The truth label map's codes (UInt8) and the structures whose mineral mass is reported.

/// Label codes of the phantom's truth label map (documented in docs/phantom.md).
///
/// Bones have a code per compartment so that segmentation (whole bone = all its codes) and
/// densitometry (trabecular VOIs) can both be scored. Vertebra `v` (0 = T12 … 5 = L5) uses
/// `vertebraBase + 4·v + {0 body cortex, 1 body trabecular core, 2 posterior elements, 3 basivertebral vein}`.
public enum PhantomLabel {
    public static let air: UInt8 = 0
    public static let table: UInt8 = 1
    public static let calibrationBlock: UInt8 = 2
    /// Rod `i` (0-based, in the order of `PhantomOptions.rodDensities`) is `firstRod + i` (3…10).
    public static let firstRod: UInt8 = 3
    public static let subcutaneousFat: UInt8 = 11
    public static let muscle: UInt8 = 12
    public static let visceralFat: UInt8 = 13
    public static let bowel: UInt8 = 14
    public static let bowelGas: UInt8 = 15
    public static let bladder: UInt8 = 16
    public static let aorta: UInt8 = 17
    public static let otherVessel: UInt8 = 18
    public static let disc: UInt8 = 19
    public static let spinalCanal: UInt8 = 20
    public static let femurLeftCortical: UInt8 = 30, femurLeftTrabecular: UInt8 = 31, femurLeftMarrow: UInt8 = 32
    public static let femurRightCortical: UInt8 = 33, femurRightTrabecular: UInt8 = 34, femurRightMarrow: UInt8 = 35
    public static let hipBoneLeftCortical: UInt8 = 36, hipBoneLeftTrabecular: UInt8 = 37
    public static let hipBoneRightCortical: UInt8 = 38, hipBoneRightTrabecular: UInt8 = 39
    public static let sacrumCortical: UInt8 = 40, sacrumTrabecular: UInt8 = 41
    public static let ribsLeftCortical: UInt8 = 42, ribsLeftTrabecular: UInt8 = 43
    public static let ribsRightCortical: UInt8 = 44, ribsRightTrabecular: UInt8 = 45
    public static let vertebraBase: UInt8 = 50
    public static let implantMetal: UInt8 = 90
    public static let implantLiner: UInt8 = 91

    /// Vertebral levels from cranial to caudal, indexed as in the label codes.
    public static let vertebraLevels = ["T12", "L1", "L2", "L3", "L4", "L5"]

    public static func vertebra(_ level: Int, _ part: VertebraPart) -> UInt8 {
        vertebraBase + UInt8(4 * level) + part.rawValue
    }

    public enum VertebraPart: UInt8, Sendable { case bodyCortex = 0, bodyTrabecular, posteriorElements, basivertebralVein }

    /// Every code with its name (for truth.json and docs).
    public static var names: [UInt8: String] {
        var t: [UInt8: String] = [
            air: "air (outside the body)", table: "patient table", calibrationBlock: "calibration phantom block (water-equivalent)",
            subcutaneousFat: "subcutaneous fat", muscle: "muscle", visceralFat: "visceral fat", bowel: "bowel and organs",
            bowelGas: "bowel gas", bladder: "urinary bladder", aorta: "aorta", otherVessel: "other vessels (iliac, femoral, vena cava)",
            disc: "intervertebral disc", spinalCanal: "spinal canal",
            femurLeftCortical: "femur left cortical", femurLeftTrabecular: "femur left trabecular", femurLeftMarrow: "femur left medullary canal (yellow marrow)",
            femurRightCortical: "femur right cortical", femurRightTrabecular: "femur right trabecular", femurRightMarrow: "femur right medullary canal (yellow marrow)",
            hipBoneLeftCortical: "hip bone left cortical", hipBoneLeftTrabecular: "hip bone left trabecular",
            hipBoneRightCortical: "hip bone right cortical", hipBoneRightTrabecular: "hip bone right trabecular",
            sacrumCortical: "sacrum cortical", sacrumTrabecular: "sacrum trabecular",
            ribsLeftCortical: "ribs left cortical", ribsLeftTrabecular: "ribs left trabecular",
            ribsRightCortical: "ribs right cortical", ribsRightTrabecular: "ribs right trabecular",
            implantMetal: "hip implant (titanium alloy)", implantLiner: "hip implant liner (polyethylene)",
        ]
        for i in 0..<8 { t[firstRod + UInt8(i)] = "calibration rod \(i + 1)" }
        for (v, level) in vertebraLevels.enumerated() {
            t[vertebra(v, .bodyCortex)] = "vertebra \(level) body cortex and endplates"
            t[vertebra(v, .bodyTrabecular)] = "vertebra \(level) body trabecular core"
            t[vertebra(v, .posteriorElements)] = "vertebra \(level) posterior elements"
            t[vertebra(v, .basivertebralVein)] = "vertebra \(level) basivertebral vein"
        }
        return t
    }

    /// The bony structure (for mineral-mass accounting) a label belongs to, if any.
    public static func structure(of label: UInt8) -> String? {
        switch label {
        case 30...32: "femur_left"
        case 33...35: "femur_right"
        case 36...37: "hip_left"
        case 38...39: "hip_right"
        case 40...41: "sacrum"
        case 42...43: "ribs_left"
        case 44...45: "ribs_right"
        case vertebraBase..<(vertebraBase + 24): "vertebra_" + vertebraLevels[Int(label - vertebraBase) / 4]
        default: nil
        }
    }
}
