// DICOM attribute tags: (group, element) pairs, ordered as they must appear in a data set.

/// A DICOM attribute tag `(gggg,eeee)`. Ordering is by group, then element — the order elements are
/// encoded in a data set.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group; self.element = element
    }

    /// The tag as one 32-bit number `gggg_eeee` (its sort key).
    @inlinable public var combined: UInt32 { UInt32(group) << 16 | UInt32(element) }

    public init(combined: UInt32) { self.init(UInt16(combined >> 16), UInt16(truncatingIfNeeded: combined)) }

    public static func < (a: Tag, b: Tag) -> Bool { a.combined < b.combined }

    /// "(0028,0100)".
    public var description: String { "(\(hex4(group)),\(hex4(element)))" }

    /// Private tags have an odd group number.
    public var isPrivate: Bool { group & 1 == 1 }

    /// Group-length elements `(gggg,0000)`: redundant, skipped when comparing or re-encoding.
    public var isGroupLength: Bool { element == 0 }

    /// The dictionary keyword of the tag ("BitsAllocated"), nil when the dictionary does not know it.
    public var keyword: String? { DataDictionary.entry(for: self)?.keyword }

    /// The keyword, or the tag number when the dictionary does not know it.
    public var name: String { keyword ?? description }

    /// "(0028,0100) BitsAllocated", or just the number for tags outside the dictionary (for messages).
    public var label: String { keyword.map { "\(description) \($0)" } ?? description }
}

func hex4(_ v: UInt16) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - s.count) + s
}

// Item and delimiter tags of the encoding itself (PS3.5 §7.5).
extension Tag {
    public static let item = Tag(0xFFFE, 0xE000)
    public static let itemDelimitationItem = Tag(0xFFFE, 0xE00D)
    public static let sequenceDelimitationItem = Tag(0xFFFE, 0xE0DD)
}

// File meta information (group 0002).
extension Tag {
    public static let fileMetaInformationGroupLength = Tag(0x0002, 0x0000)
    public static let fileMetaInformationVersion = Tag(0x0002, 0x0001)
    public static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    public static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    public static let transferSyntaxUID = Tag(0x0002, 0x0010)
    public static let implementationClassUID = Tag(0x0002, 0x0012)
    public static let implementationVersionName = Tag(0x0002, 0x0013)
    public static let sourceApplicationEntityTitle = Tag(0x0002, 0x0016)
}

// Attributes the product reads or writes. Names follow the standard's keywords.
extension Tag {
    public static let specificCharacterSet = Tag(0x0008, 0x0005)
    public static let imageType = Tag(0x0008, 0x0008)
    public static let instanceCreationDate = Tag(0x0008, 0x0012)
    public static let instanceCreationTime = Tag(0x0008, 0x0013)
    public static let sopClassUID = Tag(0x0008, 0x0016)
    public static let sopInstanceUID = Tag(0x0008, 0x0018)
    public static let studyDate = Tag(0x0008, 0x0020)
    public static let seriesDate = Tag(0x0008, 0x0021)
    public static let acquisitionDate = Tag(0x0008, 0x0022)
    public static let contentDate = Tag(0x0008, 0x0023)
    public static let acquisitionDateTime = Tag(0x0008, 0x002A)
    public static let studyTime = Tag(0x0008, 0x0030)
    public static let seriesTime = Tag(0x0008, 0x0031)
    public static let acquisitionTime = Tag(0x0008, 0x0032)
    public static let contentTime = Tag(0x0008, 0x0033)
    public static let accessionNumber = Tag(0x0008, 0x0050)
    public static let modality = Tag(0x0008, 0x0060)
    public static let manufacturer = Tag(0x0008, 0x0070)
    public static let institutionName = Tag(0x0008, 0x0080)
    public static let referringPhysicianName = Tag(0x0008, 0x0090)
    public static let codeValue = Tag(0x0008, 0x0100)
    public static let codingSchemeDesignator = Tag(0x0008, 0x0102)
    public static let codeMeaning = Tag(0x0008, 0x0104)
    public static let stationName = Tag(0x0008, 0x1010)
    public static let studyDescription = Tag(0x0008, 0x1030)
    public static let seriesDescription = Tag(0x0008, 0x103E)
    public static let manufacturerModelName = Tag(0x0008, 0x1090)
    public static let referencedSeriesSequence = Tag(0x0008, 0x1115)
    public static let referencedSOPClassUID = Tag(0x0008, 0x1150)
    public static let referencedSOPInstanceUID = Tag(0x0008, 0x1155)
    public static let referencedFrameNumber = Tag(0x0008, 0x1160)
    public static let derivationDescription = Tag(0x0008, 0x2111)
    public static let frameType = Tag(0x0008, 0x9007)

    public static let patientName = Tag(0x0010, 0x0010)
    public static let patientID = Tag(0x0010, 0x0020)
    public static let patientBirthDate = Tag(0x0010, 0x0030)
    public static let patientSex = Tag(0x0010, 0x0040)
    public static let patientAge = Tag(0x0010, 0x1010)
    public static let patientSize = Tag(0x0010, 0x1020)
    public static let patientWeight = Tag(0x0010, 0x1030)

    public static let contrastBolusAgent = Tag(0x0018, 0x0010)
    public static let bodyPartExamined = Tag(0x0018, 0x0015)
    public static let sliceThickness = Tag(0x0018, 0x0050)
    public static let kvp = Tag(0x0018, 0x0060)
    public static let spacingBetweenSlices = Tag(0x0018, 0x0088)
    public static let deviceSerialNumber = Tag(0x0018, 0x1000)
    public static let softwareVersions = Tag(0x0018, 0x1020)
    public static let protocolName = Tag(0x0018, 0x1030)
    public static let dataCollectionDiameter = Tag(0x0018, 0x0090)
    public static let reconstructionDiameter = Tag(0x0018, 0x1100)
    public static let gantryDetectorTilt = Tag(0x0018, 0x1120)
    public static let tableHeight = Tag(0x0018, 0x1130)
    public static let exposureTime = Tag(0x0018, 0x1150)
    public static let xRayTubeCurrent = Tag(0x0018, 0x1151)
    public static let exposure = Tag(0x0018, 0x1152)
    public static let filterType = Tag(0x0018, 0x1160)
    public static let focalSpots = Tag(0x0018, 0x1190)
    public static let convolutionKernel = Tag(0x0018, 0x1210)
    public static let patientPosition = Tag(0x0018, 0x5100)
    public static let ctAcquisitionTypeSequence = Tag(0x0018, 0x9301)
    public static let ctReconstructionSequence = Tag(0x0018, 0x9314)
    public static let reconstructionAlgorithm = Tag(0x0018, 0x9315)
    public static let ctXRayDetailsSequence = Tag(0x0018, 0x9325)
    public static let revolutionTime = Tag(0x0018, 0x9305)
    public static let spiralPitchFactor = Tag(0x0018, 0x9311)

    public static let studyInstanceUID = Tag(0x0020, 0x000D)
    public static let seriesInstanceUID = Tag(0x0020, 0x000E)
    public static let studyID = Tag(0x0020, 0x0010)
    public static let seriesNumber = Tag(0x0020, 0x0011)
    public static let acquisitionNumber = Tag(0x0020, 0x0012)
    public static let instanceNumber = Tag(0x0020, 0x0013)
    public static let imagePositionPatient = Tag(0x0020, 0x0032)
    public static let imageOrientationPatient = Tag(0x0020, 0x0037)
    public static let frameOfReferenceUID = Tag(0x0020, 0x0052)
    public static let laterality = Tag(0x0020, 0x0060)
    public static let positionReferenceIndicator = Tag(0x0020, 0x1040)
    public static let sliceLocation = Tag(0x0020, 0x1041)
    public static let dimensionOrganizationSequence = Tag(0x0020, 0x9221)
    public static let dimensionIndexSequence = Tag(0x0020, 0x9222)
    public static let frameContentSequence = Tag(0x0020, 0x9111)
    public static let planePositionSequence = Tag(0x0020, 0x9113)
    public static let planeOrientationSequence = Tag(0x0020, 0x9116)
    public static let inStackPositionNumber = Tag(0x0020, 0x9057)
    public static let stackID = Tag(0x0020, 0x9056)
    public static let dimensionIndexValues = Tag(0x0020, 0x9157)

    public static let samplesPerPixel = Tag(0x0028, 0x0002)
    public static let photometricInterpretation = Tag(0x0028, 0x0004)
    public static let planarConfiguration = Tag(0x0028, 0x0006)
    public static let numberOfFrames = Tag(0x0028, 0x0008)
    public static let rows = Tag(0x0028, 0x0010)
    public static let columns = Tag(0x0028, 0x0011)
    public static let pixelSpacing = Tag(0x0028, 0x0030)
    public static let bitsAllocated = Tag(0x0028, 0x0100)
    public static let bitsStored = Tag(0x0028, 0x0101)
    public static let highBit = Tag(0x0028, 0x0102)
    public static let pixelRepresentation = Tag(0x0028, 0x0103)
    public static let smallestImagePixelValue = Tag(0x0028, 0x0106)
    public static let largestImagePixelValue = Tag(0x0028, 0x0107)
    public static let pixelPaddingValue = Tag(0x0028, 0x0120)
    public static let burnedInAnnotation = Tag(0x0028, 0x0301)
    public static let windowCenter = Tag(0x0028, 0x1050)
    public static let windowWidth = Tag(0x0028, 0x1051)
    public static let rescaleIntercept = Tag(0x0028, 0x1052)
    public static let rescaleSlope = Tag(0x0028, 0x1053)
    public static let rescaleType = Tag(0x0028, 0x1054)
    public static let lossyImageCompression = Tag(0x0028, 0x2110)
    public static let lossyImageCompressionRatio = Tag(0x0028, 0x2112)
    public static let lossyImageCompressionMethod = Tag(0x0028, 0x2114)
    public static let pixelMeasuresSequence = Tag(0x0028, 0x9110)
    public static let frameVOILUTSequence = Tag(0x0028, 0x9132)
    public static let pixelValueTransformationSequence = Tag(0x0028, 0x9145)

    public static let contentSequence = Tag(0x0040, 0xA730)
    public static let conceptNameCodeSequence = Tag(0x0040, 0xA043)
    public static let conceptCodeSequence = Tag(0x0040, 0xA168)
    public static let valueType = Tag(0x0040, 0xA040)
    public static let relationshipType = Tag(0x0040, 0xA010)
    public static let textValue = Tag(0x0040, 0xA160)
    public static let measuredValueSequence = Tag(0x0040, 0xA300)
    public static let numericValue = Tag(0x0040, 0xA30A)
    public static let measurementUnitsCodeSequence = Tag(0x0040, 0x08EA)
    public static let completionFlag = Tag(0x0040, 0xA491)
    public static let verificationFlag = Tag(0x0040, 0xA493)
    public static let continuityOfContent = Tag(0x0040, 0xA050)

    public static let segmentSequence = Tag(0x0062, 0x0002)
    public static let segmentedPropertyCategoryCodeSequence = Tag(0x0062, 0x0003)
    public static let segmentNumber = Tag(0x0062, 0x0004)
    public static let segmentLabel = Tag(0x0062, 0x0005)
    public static let segmentAlgorithmType = Tag(0x0062, 0x0008)
    public static let segmentationType = Tag(0x0062, 0x0001)
    public static let segmentedPropertyTypeCodeSequence = Tag(0x0062, 0x000F)
    public static let segmentIdentificationSequence = Tag(0x0062, 0x000A)
    public static let referencedSegmentNumber = Tag(0x0062, 0x000B)

    public static let sharedFunctionalGroupsSequence = Tag(0x5200, 0x9229)
    public static let perFrameFunctionalGroupsSequence = Tag(0x5200, 0x9230)

    public static let extendedOffsetTable = Tag(0x7FE0, 0x0001)
    public static let extendedOffsetTableLengths = Tag(0x7FE0, 0x0002)
    public static let pixelData = Tag(0x7FE0, 0x0010)
    public static let dataSetTrailingPadding = Tag(0xFFFC, 0xFFFC)
}
