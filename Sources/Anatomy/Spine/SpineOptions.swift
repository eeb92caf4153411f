// Tunable parameters of the spine segmentation. Every default is [U] (a reasoned choice, not a
// published value) and is recorded in the result's provenance.

/// Parameters of `SpineSegmenter`.
public struct SpineOptions: Sendable, Codable, Equatable {
    /// Bone thresholds; a vertebra's surface voxel facing soft tissue stays in from 150 HU (about a
    /// quarter cortex in a partial-volume voxel at 3 mm): a vertebra's cortex is thinner and its
    /// trabecular bone darker than a femur's, so the femur's 200 HU would cut into bone.
    public var bone: BoneThresholds = { var b = BoneThresholds(); b.surfaceHU = 150; return b }()
    /// Axial holes in the bone mask whose mean HU is at least this are marrow and get filled; darker
    /// ones are the spinal canal (CSF, cord ≈ 0–40 HU) and stay open.
    public var marrowMinHU: Float = 60
    /// Ball radius (mm) of the opening that keeps vertebral bodies and drops pedicles, processes and
    /// ribs (all thinner than 14 mm).
    public var bodyOpeningRadiusMM = 7.0
    /// Opened pieces smaller than this (mm³) are not vertebral bodies.
    public var minBodyVolumeMM3 = 3000.0
    /// Largest cranio-caudal gap (mm) between consecutive bodies of one spine (a disc plus margin).
    public var chainMaxGapMM = 20.0
    /// Largest in-plane offset (mm) between consecutive body centroids.
    public var chainMaxOffsetMM = 25.0
    /// A body piece taller than this (mm) holds two vertebrae fused by partial volume and is split at
    /// its narrowest slice.
    public var maxBodyHeightMM = 42.0
    /// A bright structure leaning on a body (a contrast-filled aorta) is detached from its opened piece
    /// when the piece's axial section falls into parts of at least this area (mm²) in half its slices
    /// (the opening leaves nothing thinner than 14 mm: ≥ 150 mm²).
    public var leaningMinAreaMM2 = 150.0
    /// No single vertebral body is taller than this (mm; adult T11–L5 bodies 22–30 mm): a piece taller
    /// than this, up to `maxBodyHeightMM`, is searched for a bridged disc (`endplatePairMM`).
    public var maxSingleBodyHeightMM = 32.0
    /// A disc bridged inside one opened piece (slices about as thick as the disc) is found per axial
    /// column from its endplate pair: two slices at most this far apart (mm) flanking a darker one
    /// (a body's own endplates lie a body height apart, 20–30 mm).
    public var endplatePairMM = 6.0
    /// … each brighter than the slice between them by at least this (HU).
    public var discContrastHU: Float = 60
    /// … within one slice of the disc in at least this fraction of the piece's columns.
    public var discMinColumnFraction = 0.12
    /// A body voxel at the end of its axial column darker than all but this percentile of the bodies'
    /// marrow (local means over their trabecular cores) is disc, not bone (`DiscLayer`): the marrow
    /// fill takes a disc next to an endplate's bright rim for marrow.
    public var discMarrowPercentile = 10.0
    /// Half-width (mm) of the axial square over which a vertebra's own voxels are averaged for that
    /// test (a few voxels: single voxels carry the noise and the trabecular texture).
    public var discLocalMeanRadiusMM = 2.5
    /// A disc plane fitted steeper than this (degrees from axial) is taken axial.
    public var discMaxTiltDeg = 30.0
    /// Bone farther than this (mm, left–right) from the body axis seeds the "other bone" region
    /// (ribs, iliac wings) of the watershed.
    public var lateralLimitMM = 50.0
    /// A part of a vertebra's label cut off from the rest in an axial slice and centred at least this
    /// far (mm, left–right) from the body axis is a rib descending from its head (`RibIslands`):
    /// beyond the pedicles and articular processes; a transverse process is joined to the arch in its slices.
    public var ribIslandMinLateralMM = 20.0
    /// An opened piece this many times the chain's median body volume is the sacrum (with the
    /// iliac bone the opening keeps attached to it).
    public var sacrumVolumeRatio = 2.5
    /// A bone structure outside the vertebrae reaching farther than this (mm, left–right) from the
    /// body axis is a rib (a transverse process does not reach it).
    public var ribReachMM = 75.0
    /// … and is a long bone, a rod: its volume over its extent (bounding-box diagonal), its mean
    /// section, is at most this many times the disc of its inscribed radius (ribs: 0.7–1.0 on
    /// `abdomen-3mm` and the phantom). An iliac wing is a plate: the phantom's, cut by a scan starting at
    /// the sacral promontory to 76 cm³ (under the 80 cm³ that tells an ilium), has 3.0.
    public var ribMaxSectionToDisc = 2.0
    /// The lowest rib-bearing vertebra is named T12 only when a rib-free vertebra below it is seen over
    /// at least this height (mm): the ribs of T11/T12 articulate with the upper half of their bodies, so
    /// a shorter sliver of the next body cannot show that it carries none.
    public var ribFreeNeighbourMinMM = 12.0
    /// Trabecular core = body eroded by this (mm), away from the cortex and endplates.
    public var coreErosionMM = 3.0
    /// The spine is localised on a copy at least this coarse (mm; each axis a whole multiple of its
    /// spacing: 0.8 mm pixels → 2.4 mm), then segmented at full resolution in a box around it.
    public var localisationSpacingMM = 2.0
    public init() {}
}
