// The lumbar lordosis: where the vertebral bodies sit in the sagittal plane.
import Foundation
import OpenBCTCore

enum SpineCurve {
    /// LPS y (mm) of the vertebral-body centre line at height z: lordosis with its apex near L3.
    static func y(_ z: Double) -> Double { 10 - 10 * sin(.pi * (z - 75) / 230) }

    /// Unit tangent of the centre line (pointing superiorly).
    static func tangent(_ z: Double) -> Vec3 {
        normalize(Vec3(0, -10 * .pi / 230 * cos(.pi * (z - 75) / 230), 1))
    }
}
