// Comprehensive SR following TID 1500 (Measurement Report): the coded findings for a PACS.
import DICOM
import Foundation
import OpenBCTCore
import ResultModel

/// Who signed a report, and when (the service re-renders the report on signing).
public struct ReportSignature: Sendable, Equatable, Codable {
    public var name: String
    public var time: Date
    /// The interpreting physician's own text, as signed (nil: the renderings carry only the
    /// generated interpretation).
    public var interpretation: String?
    /// Addenda signed after the report, oldest first.
    public var addenda: [ReportAddendum]
    /// The signer's organization (the SR's Verifying Organization, type 1); nil: "not recorded".
    public var organization: String?
    public init(name: String, time: Date, interpretation: String? = nil, addenda: [ReportAddendum] = [], organization: String? = nil) {
        self.name = name; self.time = time; self.interpretation = interpretation; self.addenda = addenda
        self.organization = organization
    }

    /// The physician's interpretation and each addendum as text lines ("Addendum (name, time): text").
    public var statements: [String] {
        var lines: [String] = []
        if let text = interpretation?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            lines.append("Physician's interpretation (\(name)): \(text)")
        }
        for a in addenda { lines.append("Addendum (\(a.name), \(ResultDocument.timestamp(a.time))): \(a.text)") }
        return lines
    }
}

/// An addendum to a signed report: later information with its own signer and time.
public struct ReportAddendum: Sendable, Equatable, Codable {
    public var name: String
    public var time: Date
    public var text: String
    public init(name: String, time: Date, text: String) { self.name = name; self.time = time; self.text = text }
}

/// Writes the findings as a Comprehensive SR document with the TID 1500 content tree:
/// language, device observer context, procedure reported, image library (every source image),
/// imaging measurements (one TID 1501 group per bone) and qualitative evaluations.
enum StructuredReportWriter {
    static let sopClassUID = "1.2.840.10008.5.1.4.1.1.88.33"

    static func write(findings: CodedFindings, study: SourceStudy, created: Date, signature: ReportSignature?,
                      seriesNumber: Int = 9002) throws -> Data {
        let object = DerivedObject(modality: "SR", seriesNumber: seriesNumber,
                                   seriesDescription: "OpenBCT measurement report", created: created)
        var ds = object.header(study: study)
        ds.set(.referencedPerformedProcedureStepSequence, sequence: [])
        ds.set(.completionFlag, .CS, string: "COMPLETE")
        if let signature {
            ds.set(.verificationFlag, .CS, string: "VERIFIED")
            var observer = DataSet(characterSet: .utf8)
            observer.set(.verifyingObserverName, .PN, string: signature.name)
            observer.set(.verifyingObserverIdentificationCodeSequence, sequence: [])
            // Type 1 (PS3.3 C.17.2): never empty.
            observer.set(.verifyingOrganization, .LO, string: signature.organization.flatMap { $0.isEmpty ? nil : $0 } ?? "not recorded")
            observer.set(.verificationDateTime, .DT, string: DicomDateTime.dateTime(signature.time))
            ds.set(.verifyingObserverSequence, sequence: [observer])
        } else {
            ds.set(.verificationFlag, .CS, string: "UNVERIFIED")
        }
        ds.set(.performedProcedureCodeSequence, sequence: [LOINC.procedure.dicomItem])
        if let series = study.seriesInstanceUID, !study.instances.isEmpty {
            var seriesItem = DataSet()
            seriesItem.set(.seriesInstanceUID, .UI, string: series)
            seriesItem.set(.referencedSOPSequence, sequence: study.instances.map(referencedInstance))
            var studyItem = DataSet()
            studyItem.set(.studyInstanceUID, .UI, string: study.studyInstanceUID)
            studyItem.set(.referencedSeriesSequence, sequence: [seriesItem])
            ds.set(.currentRequestedProcedureEvidenceSequence, sequence: [studyItem])
        }
        var template = DataSet()
        template.set(.mappingResource, .CS, string: "DCMR")
        template.set(.templateIdentifier, .CS, string: "1500")
        ds.set(.contentTemplateSequence, sequence: [template])
        var scheme = DataSet()
        scheme.set(.codingSchemeDesignator, .SH, string: PrivateCodes.scheme)
        scheme.set(.codingSchemeName, .ST, string: PrivateCodes.schemeName)
        scheme.set(.codingSchemeResponsibleOrganization, .ST, string: OpenBCT.name)
        ds.set(.codingSchemeIdentificationSequence, sequence: [scheme])
        contentTree(findings, study: study, signature: signature).encode(into: &ds)
        return try DicomWriter.write(dataSet: ds, sopClassUID: sopClassUID, sopInstanceUID: object.sopInstanceUID)
    }

    /// The TID 1500 tree.
    static func contentTree(_ findings: CodedFindings, study: SourceStudy, signature: ReportSignature? = nil) -> SRContentItem {
        var children: [SRContentItem] = [
            SRContentItem(relationship: "HAS CONCEPT MOD", concept: DCM.languageOfContent, value: .code(DCM.englishLanguage)),
            // TID 1001/1004: the observer is a device, OpenBCT.
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.observerType, value: .code(DCM.device)),
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.deviceObserverUID, value: .uidReference(UID.implementationClass)),
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.deviceObserverName, value: .text(OpenBCT.name)),
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.deviceObserverManufacturer, value: .text(OpenBCT.name)),
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.deviceObserverModelName, value: .text("\(OpenBCT.name) \(OpenBCT.version)")),
            SRContentItem(relationship: "HAS CONCEPT MOD", concept: DCM.procedureReported, value: .code(LOINC.procedure)),
        ]
        if !study.instances.isEmpty {
            let images = study.instances.map {
                SRContentItem(relationship: "CONTAINS", concept: DCM.source,
                              value: .image(sopClassUID: $0.sopClassUID, sopInstanceUID: $0.sopInstanceUID))
            }
            children.append(.container(DCM.imageLibrary, "CONTAINS", [.container(DCM.imageLibraryGroup, "CONTAINS", images)]))
        }
        children.append(.container(DCM.imagingMeasurements, "CONTAINS", findings.groups.map(measurementGroup)))
        var qualitative = findings.overall.map(evaluationItem)
        qualitative += findings.interpretation.map {
            SRContentItem(relationship: "CONTAINS", concept: DCM.finding, value: .text($0))
        }
        // The physician's signed text and addenda, as the verifying observer wrote them.
        qualitative += (signature?.statements ?? []).map {
            SRContentItem(relationship: "CONTAINS", concept: DCM.finding, value: .text($0))
        }
        qualitative.append(SRContentItem(relationship: "CONTAINS", concept: DCM.finding, value: .text(OpenBCT.researchUseNotice)))
        children.append(.container(DCM.qualitativeEvaluations, "CONTAINS", qualitative))
        return SRContentItem(relationship: nil, concept: DCM.imagingMeasurementReport, value: .container(separate: true), children: children)
    }

    /// TID 1501 Measurement and Qualitative Evaluation Group.
    static func measurementGroup(_ g: FindingGroup) -> SRContentItem {
        var site = SRContentItem(relationship: "HAS CONCEPT MOD", concept: DCM.findingSite, value: .code(g.findingSite))
        if let laterality = g.laterality {
            site.children = [SRContentItem(relationship: "HAS CONCEPT MOD", concept: DCM.lateralityConcept, value: .code(laterality))]
        }
        var items: [SRContentItem] = [
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.trackingIdentifier, value: .text(g.trackingID)),
            SRContentItem(relationship: "HAS OBS CONTEXT", concept: DCM.trackingUniqueIdentifier, value: .uidReference(g.trackingUID)),
            site,
        ]
        items += g.measurements.map { m in
            var item = SRContentItem(relationship: "CONTAINS", concept: m.concept, value: .numeric(m.value, unit: m.unit))
            if let note = m.note {
                item.children = [SRContentItem(relationship: "HAS PROPERTIES", concept: DCM.finding, value: .text(note))]
            }
            return item
        }
        items += g.evaluations.map(evaluationItem)
        return .container(DCM.measurementGroup, "CONTAINS", items)
    }

    static func evaluationItem(_ e: CodedEvaluation) -> SRContentItem {
        var item = SRContentItem(relationship: "CONTAINS", concept: e.concept, value: .code(e.value))
        if let note = e.note {
            item.children = [SRContentItem(relationship: "HAS PROPERTIES", concept: DCM.finding, value: .text(note))]
        }
        return item
    }
}
