// Reconstruction kernels: soft/standard (usable for density) or sharp/bone (edge-enhancing, unusable).
import Foundation

/// What a vendor's kernel name says about its sharpness.
public enum KernelClass: String, Codable, Sendable {
    case softOrStandard, sharp, unrecognised

    /// Classifies a DICOM ConvolutionKernel (0018,1210) value by the vendors' naming schemes:
    /// - Siemens `B30f`, `Br40d`, `I70f`, `Qr44`, `Hr38`: the two digits give the sharpness; ≤ 45 is
    ///   soft/standard (B10–B45, Br32–Br44), above is sharp (B50–B80, Br59–Br76, bone and lung kernels).
    /// - Canon/Toshiba `FC01`–`FC29` body kernels are soft; `FC30` and above (bone, lung, high resolution) sharp.
    /// - GE words: STANDARD, SOFT, SMOOTH, STND soft; BONE, BONEPLUS, LUNG, EDGE, DETAIL, SHARP, ULTRA, CHEST sharp.
    /// - Philips letters: A, B, C (smooth to standard body) soft; D, E, L, Y… (sharp, lung, bone) sharp.
    /// Multi-valued kernels ("B30f\\1") are judged by their first value. Anything else is unrecognised.
    public init(kernel raw: String) {
        let name = raw.split(separator: "\\").first.map { String($0) }?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
        let words = Set(name.split(whereSeparator: { !$0.isLetter }).map(String.init))
        let soft: Set<String> = ["STANDARD", "STND", "SOFT", "SMOOTH", "BODY"]
        let sharp: Set<String> = ["BONE", "BONEPLUS", "LUNG", "EDGE", "DETAIL", "SHARP", "ULTRA", "CHEST"]
        if !words.isDisjoint(with: sharp) { self = .sharp; return }
        if !words.isDisjoint(with: soft) { self = .softOrStandard; return }
        if let match = name.wholeMatch(of: /FC(\d{1,2})/), let n = Int(match.1) {
            self = n < 30 ? .softOrStandard : .sharp; return
        }
        // Siemens: one or two letters, two digits, optional suffix letters/digits (B30f, Br40d, I70f\2).
        if let match = name.wholeMatch(of: /[A-Z]{1,2}(\d{2})[A-Z0-9]*/), let n = Int(match.1) {
            self = n <= 45 ? .softOrStandard : .sharp; return
        }
        switch name {
        case "A", "B", "C": self = .softOrStandard
        case "D", "E", "L", "YA", "YB", "YC", "YD": self = .sharp
        default: self = .unrecognised
        }
    }
}
