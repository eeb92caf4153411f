// The standard codes OpenBCT's SR, SEG and FHIR outputs use (sources: methods.md §9; DICOM PS3.16).

/// LOINC codes (methods.md §9, from the OHDSI convention list that agrees with HL7's FHIR examples).
enum LOINC {
    static let leftFemurBMD = CodedConcept("80954-1", "LN", "DXA Femur - left [Mass/Area] Bone density")
    static let rightFemurBMD = CodedConcept("80953-3", "LN", "DXA Femur - right [Mass/Area] Bone density")
    static let leftFemurTScore = CodedConcept("80948-3", "LN", "DXA Femur - left [T-score] Bone density")
    static let rightFemurTScore = CodedConcept("80947-5", "LN", "DXA Femur - right [T-score] Bone density")
    static let leftHipBMD = CodedConcept("46278-8", "LN", "DXA Hip - left [Mass/Area] Bone density")
    static let rightHipBMD = CodedConcept("46279-6", "LN", "DXA Hip - right [Mass/Area] Bone density")
    static let leftHipTScore = CodedConcept("80946-7", "LN", "DXA Hip - left [T-score] Bone density")
    static let rightHipTScore = CodedConcept("80945-9", "LN", "DXA Hip - right [T-score] Bone density")
    /// The procedure: CT skeletal (axial) multisection for bone density.
    static let procedure = CodedConcept("95924-7", "LN", "CT Skeletal system axial multisection for bone density")
}

/// SNOMED CT codes (methods.md §9; vertebral levels, hip, sacrum and category from DICOM's anatomic
/// master list, PS3.16, as TotalSegmentator's DICOM SEG export uses them).
enum SNOMED {
    static let osteoporosis = CodedConcept("64859006", "SCT", "Osteoporosis")
    static let osteopenia = CodedConcept("312894000", "SCT", "Osteopenia")
    static let femoralNeck = CodedConcept("29627003", "SCT", "Neck of femur")
    static let femur = CodedConcept("71341001", "SCT", "Femur")
    static let left = CodedConcept("7771000", "SCT", "Left")
    static let right = CodedConcept("24028007", "SCT", "Right")
    static let lumbarVertebra = CodedConcept("73903008", "SCT", "Lumbar vertebra")
    static let hip = CodedConcept("29836001", "SCT", "Hip")
    static let sacrum = CodedConcept("699698002", "SCT", "Sacrum")
    static let anatomicalStructure = CodedConcept("123037004", "SCT", "Anatomical Structure")
    /// Vertebrae by level name (T1…L5), the codes of DICOM's anatomic master list.
    static let vertebrae: [String: CodedConcept] = [
        "C1": CodedConcept("14806007", "SCT", "C1 vertebra"), "C2": CodedConcept("39976000", "SCT", "C2 vertebra"),
        "C3": CodedConcept("113205007", "SCT", "C3 vertebra"), "C4": CodedConcept("5329002", "SCT", "C4 vertebra"),
        "C5": CodedConcept("36978003", "SCT", "C5 vertebra"), "C6": CodedConcept("36054005", "SCT", "C6 vertebra"),
        "C7": CodedConcept("87391001", "SCT", "C7 vertebra"),
        "T1": CodedConcept("64864005", "SCT", "T1 vertebra"), "T2": CodedConcept("53733008", "SCT", "T2 vertebra"),
        "T3": CodedConcept("1626008", "SCT", "T3 vertebra"), "T4": CodedConcept("73071006", "SCT", "T4 vertebra"),
        "T5": CodedConcept("56401006", "SCT", "T5 vertebra"), "T6": CodedConcept("45296009", "SCT", "T6 vertebra"),
        "T7": CodedConcept("62487009", "SCT", "T7 vertebra"), "T8": CodedConcept("11068009", "SCT", "T8 vertebra"),
        "T9": CodedConcept("82687006", "SCT", "T9 vertebra"), "T10": CodedConcept("7610001", "SCT", "T10 vertebra"),
        "T11": CodedConcept("12989004", "SCT", "T11 vertebra"), "T12": CodedConcept("23215003", "SCT", "T12 vertebra"),
        "L1": CodedConcept("66794005", "SCT", "L1 vertebra"), "L2": CodedConcept("14293000", "SCT", "L2 vertebra"),
        "L3": CodedConcept("36470004", "SCT", "L3 vertebra"), "L4": CodedConcept("11994002", "SCT", "L4 vertebra"),
        "L5": CodedConcept("49668003", "SCT", "L5 vertebra"),
        // A lumbarised sixth lumbar vertebra has no code of its own.
        "L6": CodedConcept("73903008", "SCT", "Lumbar vertebra"),
    ]
}

/// DICOM's own codes (DCM, PS3.16) used by TID 1500.
enum DCM {
    static let imagingMeasurementReport = CodedConcept("126000", "DCM", "Imaging Measurement Report")
    static let languageOfContent = CodedConcept("121049", "DCM", "Language of Content Item and Descendants")
    static let observerType = CodedConcept("121005", "DCM", "Observer Type")
    static let device = CodedConcept("121007", "DCM", "Device")
    static let deviceObserverUID = CodedConcept("121012", "DCM", "Device Observer UID")
    static let deviceObserverName = CodedConcept("121013", "DCM", "Device Observer Name")
    static let deviceObserverManufacturer = CodedConcept("121014", "DCM", "Device Observer Manufacturer")
    static let deviceObserverModelName = CodedConcept("121015", "DCM", "Device Observer Model Name")
    static let procedureReported = CodedConcept("121058", "DCM", "Procedure reported")
    static let imageLibrary = CodedConcept("111028", "DCM", "Image Library")
    static let imageLibraryGroup = CodedConcept("126200", "DCM", "Image Library Group")
    static let imagingMeasurements = CodedConcept("126010", "DCM", "Imaging Measurements")
    static let measurementGroup = CodedConcept("125007", "DCM", "Measurement Group")
    static let trackingIdentifier = CodedConcept("112039", "DCM", "Tracking Identifier")
    static let trackingUniqueIdentifier = CodedConcept("112040", "DCM", "Tracking Unique Identifier")
    static let findingSite = CodedConcept("363698007", "SCT", "Finding Site")
    static let lateralityConcept = CodedConcept("272741003", "SCT", "Laterality")
    static let finding = CodedConcept("121071", "DCM", "Finding")
    static let qualitativeEvaluations = CodedConcept("C0034375", "UMLS", "Qualitative Evaluations")
    static let source = CodedConcept("260753009", "SCT", "Source")
    static let englishLanguage = CodedConcept("en-US", "RFC5646", "English (United States)")
}

/// UCUM units.
enum UCUM {
    static let newton = CodedConcept("N", "UCUM", "newton")
    static let newtonPerMillimetre = CodedConcept("N/mm", "UCUM", "newton per millimetre")
    static let milligramPerCubicCentimetre = CodedConcept("mg/cm3", "UCUM", "milligram per cubic centimetre")
    static let gramPerSquareCentimetre = CodedConcept("g/cm2", "UCUM", "gram per square centimetre")
    static let percent = CodedConcept("%", "UCUM", "percent")
    static let millimetre = CodedConcept("mm", "UCUM", "millimetre")
    static let standardDeviation = CodedConcept("{SD}", "UCUM", "standard deviation")
    static let ratio = CodedConcept("1", "UCUM", "no units")
}
