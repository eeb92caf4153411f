// De-identification of CT instances by the DICOM PS3.15 Basic Application Level Confidentiality
// Profile (Annex E), for the research export.
import DICOM
import Foundation
import OpenBCTCore

/// Applies `ConfidentialityProfileTable` to data sets (recursively, into sequence items), replaces
/// UIDs through one shared `UIDRemapper`, and records what was done: Patient Identity Removed = YES,
/// De-identification Method and its Code Sequence (DCM 113100), Longitudinal Temporal Information
/// Modified = REMOVED (dates are emptied or removed). Pixel data is not altered: instances that
/// declare burned-in annotation are refused.
public struct Deidentifier: Sendable {
    public let uids: UIDRemapper
    /// When set, PatientName and PatientID become this pseudonym (the profile's Z allows a dummy
    /// value) so that a study's instances can still be grouped; otherwise both are emptied.
    public var patientPseudonym: String?

    public init(uids: UIDRemapper = UIDRemapper(), patientPseudonym: String? = nil) {
        self.uids = uids; self.patientPseudonym = patientPseudonym
    }

    static let enhancedCTClasses: Set<String> = ["1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.2.2"]

    /// The de-identified Part-10 file of `data` (an instance as read or received), in its own
    /// transfer syntax (compressed pixel data is carried over unchanged).
    public func deidentify(data: Data, source: String? = nil) throws -> Data {
        let file = try DicomFile.read(data: data, path: source)
        return try deidentify(file)
    }

    /// The de-identified Part-10 file of a parsed instance.
    public func deidentify(_ file: DicomFile) throws -> Data {
        let sopClass = file.dataSet.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        let ds = try deidentify(file.dataSet, sopClassUID: sopClass, source: file.path)
        guard let sopInstance = ds.string(.sopInstanceUID) else {
            throw InputError(path: file.path, location: Tag.sopInstanceUID.label, "missing: the instance cannot be exported")
        }
        return try DicomWriter.write(dataSet: ds, sopClassUID: sopClass, sopInstanceUID: sopInstance, transferSyntax: file.transferSyntax)
    }

    /// De-identifies every file into `folder` as `<new SOPInstanceUID>.dcm` (each written
    /// atomically) and returns the new files in input order.
    public func export(files: [URL], to folder: URL) throws -> [URL] {
        try files.map { url in
            let out = try deidentify(DicomFile.read(contentsOf: url))
            let header = try DicomFile.read(data: out, stopBeforePixelData: true)
            let target = folder.appendingPathComponent("\(header.dataSet.string(.sopInstanceUID) ?? UUID().uuidString).dcm")
            try writeAtomically(out, to: target)
            return target
        }
    }

    /// The de-identified data set (top level), with the profile's bookkeeping attributes set.
    public func deidentify(_ dataSet: DataSet, sopClassUID: String, source: String? = nil) throws -> DataSet {
        if dataSet.string(.burnedInAnnotation)?.uppercased() == "YES" {
            throw InputError(path: source, location: Tag.burnedInAnnotation.label,
                             "YES: identifying text may be burned into the pixels, which the basic profile export does not clean")
        }
        var ds = apply(to: dataSet, enhanced: Self.enhancedCTClasses.contains(sopClassUID))
        if let pseudonym = patientPseudonym {
            ds.set(.patientName, .PN, string: pseudonym)
            ds.set(.patientID, .LO, string: pseudonym)
        }
        ds.set(.patientIdentityRemoved, .CS, string: "YES")
        ds.set(.deidentificationMethod, .LO, string: "PS3.15 E.1 Basic Profile; \(OpenBCT.name) \(OpenBCT.version)")
        var code = DataSet(characterSet: ds.characterSet)
        code.set(.codeValue, .SH, string: "113100")
        code.set(.codingSchemeDesignator, .SH, string: "DCM")
        code.set(.codeMeaning, .LO, string: "Basic Application Confidentiality Profile")
        ds.set(.deidentificationMethodCodeSequence, sequence: [code])
        ds.set(.longitudinalTemporalInformationModified, .CS, string: "REMOVED")
        return ds
    }

    /// Applies the table to one data set or sequence item, recursively.
    private func apply(to input: DataSet, enhanced: Bool) -> DataSet {
        var ds = input
        for element in input.elements {
            let tag = element.tag
            if tag.isPrivate || tag.group & 0xFF00 == 0x5000 || (tag.group & 0xFF00 == 0x6000 && (tag.element == 0x3000 || tag.element == 0x4000)) {
                ds.remove(tag); continue
            }
            guard let row = ConfidentialityProfileTable.byTag[tag] else {
                // Beyond the table: any other non-standard UID is replaced, any other person name removed.
                switch element.vr {
                case .UI: ds.set(tag, .UI, strings: replaceUIDs(input.strings(tag)))
                case .PN: ds.remove(tag)
                case .SQ: if case .sequence(let items) = element.value { ds.set(tag, sequence: items.map { apply(to: $0, enhanced: enhanced) }) }
                default: break
                }
                continue
            }
            switch (row.dummyInEnhancedCT && enhanced) ? .dummy : row.action {
            case .remove: ds.remove(tag)
            case .empty:
                if element.vr == .SQ { ds.set(tag, sequence: []) } else { ds.set(tag, element.vr, bytes: []) }
            case .dummy: ds.set(tag, element.vr, string: Self.dummy(for: element.vr))
            case .replaceUID: ds.set(tag, .UI, strings: replaceUIDs(input.strings(tag)))
            case .keepWithReplacedUIDs:
                if case .sequence(let items) = element.value { ds.set(tag, sequence: items.map { apply(to: $0, enhanced: enhanced) }) }
            }
        }
        return ds
    }

    private func replaceUIDs(_ values: [String]) -> [String] {
        values.map { $0.isEmpty || UIDRemapper.isStandardUID($0) ? $0 : uids.replacement(for: $0) }
    }

    /// A dummy value valid for the VR (used for type 1 attributes the profile marks D).
    static func dummy(for vr: VR) -> String {
        switch vr {
        case .DA: return "19000101"
        case .TM: return "000000"
        case .DT: return "19000101000000"
        case .AS: return "000Y"
        case .IS, .DS: return "0"
        default: return "ANONYMIZED"
        }
    }
}
