// What a phantom looks like: anatomy, acquisition and artefact knobs, all with documented defaults.
import Foundation
import OpenBCTCore

/// Settings of one synthetic CT. Defaults give the bundled example: hips and lumbar spine,
/// 512×512 pixels of 0.8 mm, 1.25 mm slices, 120 kVp, K2HPO4 calibration rods.
public struct PhantomOptions: Sendable, Codable, Equatable {
    public enum Site: String, Sendable, Codable, CaseIterable { case hip, spine }
    public enum RodMaterial: String, Sendable, Codable, CaseIterable { case k2hpo4, ha, none }
    public enum Side: String, Sendable, Codable, CaseIterable { case left, right }
    /// Bone-quality presets (docs/phantom.md): trabecular density as a fraction of young adult, cortical
    /// thickness and cortical tissue density relative to the default. Values [U], chosen so the FE strength
    /// of the phantom femur lands in the fragile (osteoporotic) or normal (strong) class of methods.md §7.
    public enum BoneQuality: String, Sendable, Codable, CaseIterable {
        case osteoporotic, normal, strong
        public var trabecularScale: Double { switch self { case .osteoporotic: 0.4; case .normal: 1.0; case .strong: 1.1 } }
        public var cortexThicknessScale: Double { switch self { case .osteoporotic: 0.5; case .normal: 1.0; case .strong: 1.3 } }
        public var corticalDensityScale: Double { switch self { case .osteoporotic: 0.8; case .normal: 1.0; case .strong: 1.05 } }
    }

    /// Seed of every random choice (noise, trabecular texture, bowel contents).
    public var seed: UInt64 = 1
    /// Anatomical sites the slices cover (their union, superior–inferior).
    public var sites: [Site] = [.hip, .spine]
    /// Superior–inferior coverage [zMin, zMax] (mm; femoral head centres at z = 0) overriding the
    /// sites' default coverage — for partial scans and small test volumes.
    public var zCoverage: [Double]? = nil
    /// In-plane pixel size (mm).
    public var pixelSpacing: Double = 0.8
    /// Square field of view (mm); the matrix is `fieldOfView / pixelSpacing` pixels (512 by default).
    public var fieldOfView: Double = 409.6
    /// Nominal reconstructed slice thickness (mm): full width at half maximum of the slice profile.
    public var sliceThickness: Double = 1.25
    /// Distance between slice centres (mm); nil → equal to the thickness.
    public var sliceSpacing: Double? = nil
    /// Tube voltage (80–140 kVp); sets the effective energy of the HU model.
    public var kVp: Double = 120
    /// Standard deviation of the image noise in water (HU).
    public var noiseHU: Double = 12
    /// In-plane point-spread function FWHM (mm); nil → max(0.9 mm, 1.1 pixels) (a standard soft kernel).
    public var inPlaneFWHM: Double? = nil
    /// Calibration phantom rods under the patient.
    public var rods: RodMaterial = .k2hpo4
    /// Rod densities (mg/cm³ of the rod material, K2HPO4 or hydroxyapatite).
    public var rodDensities: [Double] = [0, 50, 100, 150, 200]
    /// Iodinated contrast in the vessels (arterial phase).
    public var contrast: Bool = false
    /// Iodine concentration in arterial blood when `contrast` is on (mg/cm³); veins get a third.
    public var arterialIodine: Double = 8
    /// Hip implant (titanium stem, head and cup, polyethylene liner) on this side, with streaks.
    public var metal: Side? = nil
    /// Leave out this femur (amputation / field-of-view tests).
    public var missingFemur: Side? = nil
    /// Age (years): trabecular mineral density falls 0.75 %/year after 30 (clamped to 35–110 %).
    public var age: Double = 50
    /// DICOM PatientSex (M, F or O): sets which reference later stages use.
    public var patientSex: String = "F"
    /// Overrides the age rule: trabecular density as a fraction of the young-adult value.
    public var boneDensityScale: Double? = nil
    /// Bone-quality preset: overrides the age rule and `boneDensityScale` and scales the cortex.
    public var boneQuality: BoneQuality? = nil
    /// Soft-tissue envelope size (1 = average adult; subcutaneous fat grows with its square).
    public var bodySize: Double = 1.0
    /// Femoral neck–shaft angle (degrees) and anteversion (degrees).
    public var neckShaftAngle: Double = 128
    public var anteversion: Double = 12
    /// Femoral head radius (mm).
    public var femoralHeadRadius: Double = 23
    /// Joint space between femoral head and acetabulum (mm).
    public var jointSpace: Double = 3
    /// Sub-samples per axis in voxels that straddle a tissue boundary (partial-volume accuracy).
    public var supersampling: Int = 2

    public init() {}

    /// The effective slice spacing.
    public var spacingBetweenSlices: Double { sliceSpacing ?? sliceThickness }

    /// Trabecular density relative to a young adult.
    public var trabecularScale: Double {
        boneQuality?.trabecularScale ?? boneDensityScale ?? min(1.1, max(0.35, 1 - 0.0075 * max(0, age - 30)))
    }

    /// Throws an `InputError` naming the first setting outside its valid range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ message: String) throws {
            if !ok { throw InputError(location: field, message) }
        }
        try check(!sites.isEmpty, "sites", "at least one site (hip, spine) is needed")
        try check(zCoverage.map { $0.count == 2 && $0[0] < $0[1] && $0[0] >= -400 && $0[1] <= 600 } ?? true,
                  "z-coverage", "needs two increasing heights within −400…600 mm")
        try check(pixelSpacing >= 0.2 && pixelSpacing <= 5, "voxel", "in-plane pixel size must be 0.2–5 mm, got \(pixelSpacing)")
        try check(fieldOfView >= 200 && fieldOfView <= 600, "field of view", "must be 200–600 mm, got \(fieldOfView)")
        try check(sliceThickness >= 0.3 && sliceThickness <= 10, "slice-thickness", "must be 0.3–10 mm, got \(sliceThickness)")
        try check(spacingBetweenSlices >= 0.3 && spacingBetweenSlices <= 10, "slice-spacing", "must be 0.3–10 mm, got \(spacingBetweenSlices)")
        try check(kVp >= 80 && kVp <= 140, "kvp", "tube voltage must be 80–140 kVp, got \(kVp)")
        try check(noiseHU >= 0 && noiseHU <= 200, "noise", "noise must be 0–200 HU, got \(noiseHU)")
        try check((inPlaneFWHM ?? 1) >= 0 && (inPlaneFWHM ?? 1) <= 10, "psf", "in-plane FWHM must be 0–10 mm")
        try check(rods == .none || (1...8).contains(rodDensities.count), "rod-densities", "1–8 rods are supported, got \(rodDensities.count)")
        try check(rodDensities.allSatisfy { $0 >= 0 && $0 <= 1500 }, "rod-densities", "rod densities must be 0–1500 mg/cm³")
        try check(arterialIodine >= 0 && arterialIodine <= 40, "iodine", "arterial iodine must be 0–40 mg/cm³")
        try check(age >= 0 && age <= 120, "age", "age must be 0–120 years, got \(age)")
        try check((boneDensityScale ?? 1) > 0 && (boneDensityScale ?? 1) <= 2, "bone-density-scale", "must be in (0, 2]")
        try check(bodySize >= 0.7 && bodySize <= 1.4, "body-size", "must be 0.7–1.4, got \(bodySize)")
        try check(neckShaftAngle >= 100 && neckShaftAngle <= 160, "neck-shaft-angle", "must be 100–160°, got \(neckShaftAngle)")
        try check(anteversion >= -20 && anteversion <= 45, "anteversion", "must be −20–45°, got \(anteversion)")
        try check(femoralHeadRadius >= 17 && femoralHeadRadius <= 30, "head-radius", "must be 17–30 mm")
        try check(jointSpace >= 1 && jointSpace <= 6, "joint-space", "must be 1–6 mm")
        try check((1...7).contains(supersampling), "supersampling", "must be 1–7")
        try check(["M", "F", "O"].contains(patientSex), "sex", "patient sex must be M, F or O, got '\(patientSex)'")
        try check(!(metal != nil && metal == missingFemur), "metal", "the implant side's femur cannot be missing")
    }
}
