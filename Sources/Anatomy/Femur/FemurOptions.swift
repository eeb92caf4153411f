// Tunable parameters of the femur segmentation. Every default is [U] and recorded in provenance.

/// Parameters of `FemurSegmenter`.
public struct FemurOptions: Sendable, Codable, Equatable {
    public var bone = BoneThresholds()
    /// Thickness (mm) of the most distal slab of the scan searched for the femoral shafts.
    public var shaftSlabMM = 10.0
    /// Smallest axial cross-section (mm², cortex only) of a shaft candidate in that slab.
    public var minShaftAreaMM2 = 80.0
    /// A shaft candidate's marrow-filled section must hold a disc of at least this radius (mm): adult
    /// femoral shafts are 22–35 mm across; a rib or a thin plate of bone is far thinner.
    public var minShaftRadiusMM = 8.0
    /// … and be round: at most this many times the area of that disc (a circle 1, the oval below the
    /// trochanters ≈ 1.5; an iliac wing, a long curved plate, several times).
    public var maxShaftSectionToDisc = 2.5
    /// Shaft candidates nearer than this (mm) to the body's midline are not femurs.
    public var minShaftOffsetFromMidlineMM = 40.0
    /// Femoral head radius range (mm): adults 18–30 mm.
    public var headRadiusRangeMM: ClosedRange<Double> = 15...32
    /// The head centre lies at most this far (mm) medial to the shaft's centroid in the distal slab.
    public var maxHeadMedialOffsetMM = 70.0
    /// Pelvis seeds lie at least this far (mm) beyond the fitted head sphere, outside the neck cone.
    public var jointMarginMM = 3.0
    /// Half-angle (degrees) of the cone around the neck direction kept free of pelvis seeds.
    public var neckConeHalfAngleDeg = 65.0
    /// The lesser trochanter's distal edge is the first of 3 axis bins (1 mm) whose cross-section is
    /// at least this multiple of the shaft's in the scan's distal 15 mm (a smaller rise also takes the
    /// shaft's gradual widening toward the metaphysis: the phantom's +20 % 30 mm below its lesser trochanter).
    public var lesserTrochanterAreaRise = 1.3
    /// A femur reaching fewer head radii than this below the head centre ends in the trochanteric
    /// region (the phantom's lesser trochanter ends 3.9 radii below it): its shaft axis is reported
    /// uncertain and it is not cut at a "lesser trochanter" found there.
    public var minReachBelowHeadRadii = 3.5
    /// The distal cut lies this far (mm) distal to the lesser trochanter's lower edge.
    public var distalCutBelowLesserTrochanterMM = 10.0
    /// Above this slice spacing (mm) the head's sphere cannot be told from the acetabulum's across an
    /// unresolved joint space: hip landmarks are reported unusable (phantom: 5 mm slices put the
    /// fitted centre 20–90 mm off, 2 mm slices within 1 mm).
    public var maxSliceSpacingMM = 3.0
    public init() {}
}
