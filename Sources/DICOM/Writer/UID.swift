// Unique identifiers for objects OpenBCT creates.
import Foundation

/// DICOM UIDs minted by OpenBCT.
public enum UID {
    /// A new UID of the form `2.25.<UUID as a decimal integer>` (PS3.5 §B.2): globally unique
    /// without a registered root.
    public static func generate() -> String { derived(from: UUID()) }

    /// The UID `2.25.<uuid as a decimal integer>` of a given UUID: the same UUID always gives the
    /// same UID (an analysis id names its study when the source had none).
    public static func derived(from uuid: UUID) -> String { "2.25." + decimal(uuid) }

    /// OpenBCT's Implementation Class UID (file meta (0002,0012)): fixed, derived from the UUID
    /// 007bd55c-dbfb-4f93-89ac-6e6f7ff6e590.
    public static let implementationClass = "2.25.642980023917346236570403434273367440"

    /// File meta (0002,0013) Implementation Version Name.
    public static let implementationVersionName = "OPENBCT_0.1"

    /// The 128-bit UUID as an unsigned decimal number.
    static func decimal(_ uuid: UUID) -> String {
        // Four 32-bit limbs, most significant first; repeated division by 10.
        let b = uuid.uuid
        var limbs: [UInt64] = [
            UInt64(b.0) << 24 | UInt64(b.1) << 16 | UInt64(b.2) << 8 | UInt64(b.3),
            UInt64(b.4) << 24 | UInt64(b.5) << 16 | UInt64(b.6) << 8 | UInt64(b.7),
            UInt64(b.8) << 24 | UInt64(b.9) << 16 | UInt64(b.10) << 8 | UInt64(b.11),
            UInt64(b.12) << 24 | UInt64(b.13) << 16 | UInt64(b.14) << 8 | UInt64(b.15),
        ]
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in limbs.indices {
                let value = remainder << 32 | limbs[i]
                limbs[i] = value / 10
                remainder = value % 10
            }
            digits.append(Character(String(remainder)))
        }
        return digits.isEmpty ? "0" : String(digits.reversed())
    }
}
