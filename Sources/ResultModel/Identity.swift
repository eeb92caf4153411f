// Who and what was analysed: patient facts (with their source), the study, the hashed inputs, the acquisition.

/// Where a patient fact came from.
public enum FactSource: String, Codable, Sendable, Equatable {
    /// Read from the DICOM header.
    case dicom
    /// Given by the user or the order (overrides the header).
    case override
    /// Derived from other facts (age from birth and study dates).
    case derived
}

/// Patient facts as given by the header or overridden. Absent facts are nil.
public struct PatientInfo: Codable, Sendable, Equatable {
    public var id: String?
    /// DICOM PN form ("Family^Given").
    public var name: String?
    /// "F", "M" or nil (unknown: no strength class, methods.md §10).
    public var sex: String?
    /// YYYYMMDD.
    public var birthDate: String?
    /// Age in whole years at the study date.
    public var ageYears: Double?
    public var heightCM: Double?
    public var weightKG: Double?
    /// The source of each fact present, by field name ("sex": "override", …).
    public var sources: [String: FactSource]
    public init(id: String? = nil, name: String? = nil, sex: String? = nil, birthDate: String? = nil, ageYears: Double? = nil,
                heightCM: Double? = nil, weightKG: Double? = nil, sources: [String: FactSource] = [:]) {
        self.id = id; self.name = name; self.sex = sex; self.birthDate = birthDate; self.ageYears = ageYears
        self.heightCM = heightCM; self.weightKG = weightKG; self.sources = sources
    }
}

/// The examined study and series. For non-DICOM input the UIDs are nil and `sourceIsDICOM` is false
/// (DICOM outputs then mint new UIDs and say the source was not DICOM).
public struct StudyInfo: Codable, Sendable, Equatable {
    public var sourceIsDICOM: Bool
    public var studyInstanceUID: String?
    public var seriesInstanceUID: String?
    public var frameOfReferenceUID: String?
    /// SOP Instance UIDs of the source slices, in slice order.
    public var sopInstanceUIDs: [String]
    /// SOP Class UID of the source slices.
    public var sopClassUID: String?
    public var accessionNumber: String?
    public var studyID: String?
    /// YYYYMMDD.
    public var studyDate: String?
    public var studyTime: String?
    public var studyDescription: String?
    public var seriesDescription: String?
    public var seriesNumber: Int?
    public var referringPhysician: String?
    public var institution: String?
    public init(sourceIsDICOM: Bool = false) { self.sourceIsDICOM = sourceIsDICOM; sopInstanceUIDs = [] }
}

/// The files read, each hashed, so a document can be tied to exactly its input.
public struct InputInfo: Codable, Sendable, Equatable {
    /// "dicom" or "volume" (NIfTI/MetaImage).
    public var kind: String
    /// The path as given.
    public var path: String
    public var files: [InputFile]
    /// SHA-256 over the sorted per-file hashes (one line per file: "hash  name\n").
    public var combinedSHA256: String
    /// A prior result document used for change analysis, with its hash.
    public var prior: InputFile?
    public init(kind: String, path: String, files: [InputFile], combinedSHA256: String, prior: InputFile? = nil) {
        self.kind = kind; self.path = path; self.files = files; self.combinedSHA256 = combinedSHA256; self.prior = prior
    }
}

/// One input file.
public struct InputFile: Codable, Sendable, Equatable {
    /// Path relative to the input folder (or the file name).
    public var name: String
    public var sha256: String
    public var bytes: Int
    public var sopInstanceUID: String?
    public init(name: String, sha256: String, bytes: Int, sopInstanceUID: String? = nil) {
        self.name = name; self.sha256 = sha256; self.bytes = bytes; self.sopInstanceUID = sopInstanceUID
    }
}

/// How the CT was acquired and what grid it has. Absent DICOM values are nil.
public struct AcquisitionInfo: Codable, Sendable, Equatable {
    public var modality: String?
    public var manufacturer: String?
    public var manufacturerModelName: String?
    public var kvp: Double?
    public var convolutionKernel: String?
    public var sliceThickness_mm: Double?
    public var sliceSpacing_mm: Double?
    public var pixelSpacing_mm: [Double]?
    public var gantryTilt_deg: Double?
    public var contrastBolusAgent: String?
    public var bodyPartExamined: String?
    /// The volume grid: voxels along i, j, k.
    public var dimensions: [Int]?
    /// Voxel spacing along i, j, k (mm).
    public var spacing_mm: [Double]?
    public init() {}
}
