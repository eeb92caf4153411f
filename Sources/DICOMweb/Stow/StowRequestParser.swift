// Server side of STOW-RS: a request body in, validated DICOM instances and per-instance failures out.
// Framework-independent: the service passes the body bytes (or chunks) and headers, and stores
// what comes back.
import DICOM
import Foundation
import OpenBCTCore

/// One instance received by STOW-RS, parsed and validated, with its original bytes (to store as sent).
public struct ReceivedInstance: Sendable {
    /// The part's bytes exactly as received (a Part-10 file).
    public var data: Data
    /// The parsed instance.
    public var file: DicomFile
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
}

/// What a STOW-RS request held: accepted instances and the parts that failed, in request order.
public struct StowRequest: Sendable {
    public var accepted: [ReceivedInstance]
    /// Failed parts: the SOP class/instance UIDs when they could be read (else empty), the reason
    /// and a human-readable explanation (for the log; the response carries only the code).
    public var rejected: [(status: StowInstanceStatus, explanation: String)]

    /// An empty request, for callers that validate parts one by one (`StowRequestParser.validate`).
    public init(accepted: [ReceivedInstance] = [], rejected: [(status: StowInstanceStatus, explanation: String)] = []) {
        self.accepted = accepted; self.rejected = rejected
    }

    /// The response when every accepted instance was stored; RetrieveURLs are formed from
    /// `retrieveBaseURL` (the server's DICOMweb root, e.g. "https://host/dicom-web").
    public func response(retrieveBaseURL: String?, storageFailures: [String: (StoreFailureReason, String)] = [:]) -> StowResponse {
        var response = StowResponse(failed: rejected.map(\.status))
        for instance in accepted {
            if let (reason, _) = storageFailures[instance.sopInstanceUID] {
                response.failed.append(StowInstanceStatus(sopClassUID: instance.sopClassUID, sopInstanceUID: instance.sopInstanceUID,
                                                          failureReason: reason.rawValue))
                continue
            }
            let url = retrieveBaseURL.map {
                "\($0)/studies/\(instance.studyInstanceUID)/series/\(instance.seriesInstanceUID)/instances/\(instance.sopInstanceUID)"
            }
            response.stored.append(StowInstanceStatus(sopClassUID: instance.sopClassUID, sopInstanceUID: instance.sopInstanceUID,
                                                      retrieveURL: url))
        }
        if let base = retrieveBaseURL, let study = Set(accepted.map(\.studyInstanceUID)).first,
           Set(accepted.map(\.studyInstanceUID)).count == 1 {
            response.retrieveURL = "\(base)/studies/\(study)"
        }
        return response
    }
}

/// An HTTP-level refusal of a whole STOW-RS request (before any instance is looked at).
public struct StowRequestError: Error, CustomStringConvertible, Sendable {
    /// 400 (malformed multipart body), 415 (not multipart/related of application/dicom).
    public var httpStatus: Int
    public var message: String
    public var description: String { "HTTP \(httpStatus): \(message)" }
}

/// Parses and validates STOW-RS request bodies.
public struct StowRequestParser: Sendable {
    /// SOP classes accepted; others fail with `sopClassNotSupported`. Nil accepts every class.
    public var acceptedSOPClasses: Set<String>?

    /// CT Image Storage, Enhanced CT Image Storage and Legacy Converted Enhanced CT Image Storage.
    public static let ctSOPClasses: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.2.2",
    ]

    public init(acceptedSOPClasses: Set<String>? = StowRequestParser.ctSOPClasses) {
        self.acceptedSOPClasses = acceptedSOPClasses
    }

    /// Parses a whole body. `studyInstanceUID` is the study of the request URL
    /// (`POST /studies/{uid}`), which every instance must belong to; nil for `POST /studies`.
    public func parse(body: Data, contentType: String, studyInstanceUID: String? = nil) throws(StowRequestError) -> StowRequest {
        var decoder = try makeDecoder(contentType: contentType)
        var request = StowRequest(accepted: [], rejected: [])
        do {
            for part in try decoder.append(body) { validate(part, into: &request, studyInstanceUID: studyInstanceUID) }
            try decoder.finish()
        } catch let error as InputError {
            throw StowRequestError(httpStatus: 400, message: error.description)
        } catch {
            throw StowRequestError(httpStatus: 400, message: "\(error)")
        }
        return request
    }

    /// A multipart decoder for the request's Content-Type, for servers that feed the body in chunks
    /// (then call `validate` for each part and `finish()` at the end).
    public func makeDecoder(contentType: String) throws(StowRequestError) -> MultipartDecoder {
        guard let type = MediaType(parsing: contentType), type.essence == "multipart/related" else {
            throw StowRequestError(httpStatus: 415, message: "Content-Type must be multipart/related; type=\"application/dicom\", got \"\(contentType)\"")
        }
        if let partType = type.parameters["type"], partType.lowercased() != MediaType.dicom.essence {
            throw StowRequestError(httpStatus: 415, message: "only type=\"application/dicom\" parts are accepted, got \"\(partType)\"")
        }
        do { return try MultipartDecoder(contentType: contentType) } catch {
            throw StowRequestError(httpStatus: 400, message: "\(error)")
        }
    }

    /// Checks one part: a Part-10 instance of an accepted class with its UIDs, in the URL's study.
    public func validate(_ part: MultipartPart, into request: inout StowRequest, studyInstanceUID: String? = nil) {
        let index = request.accepted.count + request.rejected.count + 1
        func reject(_ reason: StoreFailureReason, _ why: String, sopClass: String = "", sopInstance: String = "") {
            request.rejected.append((StowInstanceStatus(sopClassUID: sopClass, sopInstanceUID: sopInstance, failureReason: reason.rawValue),
                                     "part \(index): \(why)"))
        }
        if let type = part.contentType, type.essence != MediaType.dicom.essence {
            return reject(.cannotUnderstand, "Content-Type \(type.essence) is not application/dicom")
        }
        let file: DicomFile
        // Read to the end (pixel data included) so that a truncated instance is refused here.
        do { file = try DicomFile.read(data: part.body, path: "part \(index)") } catch {
            return reject(.cannotUnderstand, "not parseable as DICOM: \(error)")
        }
        let ds = file.dataSet
        let sopClass = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        let sopInstance = ds.string(.sopInstanceUID) ?? file.meta.string(.mediaStorageSOPInstanceUID) ?? ""
        if let truncation = file.warnings.first(where: { $0.contains("truncated") }) {
            return reject(.cannotUnderstand, truncation, sopClass: sopClass, sopInstance: sopInstance)
        }
        guard !file.meta.isEmpty else {
            return reject(.cannotUnderstand, "no file meta information (a STOW-RS part must be a Part-10 file)", sopClass: sopClass, sopInstance: sopInstance)
        }
        if let accepted = acceptedSOPClasses, !accepted.contains(sopClass) {
            return reject(.sopClassNotSupported, "SOP class \"\(sopClass)\" is not a CT image (modality \(ds.string(.modality) ?? "absent"))",
                          sopClass: sopClass, sopInstance: sopInstance)
        }
        guard !sopClass.isEmpty, !sopInstance.isEmpty,
              let study = ds.string(.studyInstanceUID), let series = ds.string(.seriesInstanceUID) else {
            return reject(.dataSetDoesNotMatchSOPClass, "SOPClassUID, SOPInstanceUID, StudyInstanceUID and SeriesInstanceUID must all have values",
                          sopClass: sopClass, sopInstance: sopInstance)
        }
        if let expected = studyInstanceUID, expected != study {
            return reject(.dataSetDoesNotMatchSOPClass, "StudyInstanceUID \(study) differs from the request's study \(expected)",
                          sopClass: sopClass, sopInstance: sopInstance)
        }
        request.accepted.append(ReceivedInstance(data: part.body, file: file, sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                                 studyInstanceUID: study, seriesInstanceUID: series))
    }
}
