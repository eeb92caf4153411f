// Binary morphology with exact Euclidean balls in millimetres, so a 3 mm radius means the same on
// 0.5 mm and 5 mm slices. Built on the separable distance transform: O(N) whatever the radius.
import OpenBCTCore

public enum Morphology {
    /// Voxels within `radius` mm of the mask (a ball dilation).
    public static func dilate(_ mask: Mask, radius: Double) -> Mask {
        let r2 = Float(radius * radius)
        let d = DistanceTransform.squaredDistance(to: mask)
        return Mask(grid: mask.grid, voxels: d.map { $0 <= r2 ? 1 : 0 })
    }

    /// Voxels whose ball of `radius` mm lies inside the mask. The grid border is not treated as
    /// background: a bone cut by the field of view is not eaten from the cut face.
    public static func erode(_ mask: Mask, radius: Double) -> Mask {
        let r2 = Float(radius * radius)
        let d = DistanceTransform.squaredDistance(to: mask.inverted)
        return Mask(grid: mask.grid, voxels: d.map { $0 > r2 ? 1 : 0 })
    }

    /// Opening: removes parts thinner than a ball of `radius` mm (ribs from vertebral bodies, bridges).
    public static func open(_ mask: Mask, radius: Double) -> Mask { dilate(erode(mask, radius: radius), radius: radius) }

    /// Closing: bridges gaps narrower than `radius` mm (broken cortex, partial volume).
    public static func close(_ mask: Mask, radius: Double) -> Mask { erode(dilate(mask, radius: radius), radius: radius) }
}
