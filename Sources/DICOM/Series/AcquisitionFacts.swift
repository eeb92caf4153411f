// The acquisition facts an eligibility check needs (scanner, protocol, patient), read from a series' header.

/// Facts about how and of whom a CT series was acquired. Absent DICOM values are nil.
public struct AcquisitionFacts: Codable, Sendable, Equatable {
    public var modality: String?
    public var manufacturer: String?
    public var manufacturerModelName: String?
    /// Peak tube voltage (kV).
    public var kvp: Double?
    public var convolutionKernel: String?
    /// Nominal reconstructed slice thickness (mm), from SliceThickness.
    public var sliceThickness: Double?
    /// Distance between slice centres along the normal (mm), measured from the slice positions.
    public var sliceSpacing: Double?
    /// Pixel spacing along i (columns) and j (rows), mm.
    public var pixelSpacing: [Double]?
    public var numberOfSlices: Int?
    /// GantryDetectorTilt (degrees) as recorded.
    public var gantryDetectorTilt: Double?
    public var contrastBolusAgent: String?
    public var bodyPartExamined: String?
    public var patientSex: String?
    /// PatientAge as recorded (DICOM AS, e.g. "064Y").
    public var patientAge: String?
    /// PatientSize (m).
    public var patientHeight: Double?
    /// PatientWeight (kg).
    public var patientWeight: Double?
    public var patientBirthDate: String?
    public var studyInstanceUID: String?
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    public var studyDate: String?
    public var seriesDate: String?
    public var studyDescription: String?
    public var seriesDescription: String?
    public var seriesNumber: Int?

    public init() {}

    /// Reads the facts from a series' first header. Enhanced CT keeps kVp and kernel inside functional
    /// group macros (CT X-Ray Details, CT Reconstruction): those are searched when the top level lacks them.
    public init(header ds: DataSet) {
        func text(_ tag: Tag) -> String? {
            guard let s = ds.string(tag) ?? ds.functionalGroupValue(tag, { $0.string(tag) }), !s.isEmpty else { return nil }
            return s
        }
        func number(_ tag: Tag) -> Double? { ds.double(tag) ?? ds.functionalGroupValue(tag, { $0.double(tag) }) }
        modality = text(.modality)
        manufacturer = text(.manufacturer)
        manufacturerModelName = text(.manufacturerModelName)
        kvp = number(.kvp)
        convolutionKernel = ds.strings(.convolutionKernel).filter { !$0.isEmpty }.joined(separator: "\\")
        if convolutionKernel?.isEmpty ?? true { convolutionKernel = text(.convolutionKernel) }
        sliceThickness = number(.sliceThickness)
        gantryDetectorTilt = number(.gantryDetectorTilt)
        contrastBolusAgent = text(.contrastBolusAgent)
        bodyPartExamined = text(.bodyPartExamined)
        patientSex = text(.patientSex)
        patientAge = text(.patientAge)
        patientHeight = number(.patientSize)
        patientWeight = number(.patientWeight)
        patientBirthDate = text(.patientBirthDate)
        studyInstanceUID = text(.studyInstanceUID)
        seriesInstanceUID = text(.seriesInstanceUID)
        frameOfReferenceUID = text(.frameOfReferenceUID)
        studyDate = text(.studyDate)
        seriesDate = text(.seriesDate)
        studyDescription = text(.studyDescription)
        seriesDescription = text(.seriesDescription)
        seriesNumber = ds.int(.seriesNumber)
    }
}

extension DataSet {
    /// The first value `read` finds for `tag` in a functional group macro: the shared functional groups
    /// first, then the first frame's per-frame groups (each macro is a one-item sequence one level down).
    func functionalGroupValue<T>(_ tag: Tag, _ read: (DataSet) -> T?) -> T? {
        for groups in [Tag.sharedFunctionalGroupsSequence, .perFrameFunctionalGroupsSequence] {
            guard let item = sequence(groups)?.first else { continue }
            if let v = read(item) { return v }
            for element in item.elements {
                guard case .sequence(let macros) = element.value else { continue }
                for macro in macros { if let v = read(macro) { return v } }
            }
        }
        return nil
    }
}
