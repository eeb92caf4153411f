// The STOW-RS response (PS3.18 §10.5.3): which instances were stored, which failed and why.
import DICOM
import Foundation

/// Failure reasons of a STOW-RS response (FailureReason (0008,1197); PS3.18 §10.5.3, PS3.4 Annex B
/// storage statuses).
public enum StoreFailureReason: UInt16, Sendable, CaseIterable {
    /// A general failure while storing (disk, database).
    case processingFailure = 0x0110
    /// The SOP class is not one the receiver accepts (e.g. not a CT image).
    case sopClassNotSupported = 0x0122
    case outOfResources = 0xA700
    /// Required attributes are missing or contradict the SOP class (no SOP Instance UID, a Study
    /// Instance UID other than the one in the request URL).
    case dataSetDoesNotMatchSOPClass = 0xA900
    /// The part could not be parsed as DICOM.
    case cannotUnderstand = 0xC000
    case transferSyntaxNotSupported = 0xC122

    public var meaning: String {
        switch self {
        case .processingFailure: return "processing failure"
        case .sopClassNotSupported: return "SOP class not supported"
        case .outOfResources: return "out of resources"
        case .dataSetDoesNotMatchSOPClass: return "data set does not match SOP class"
        case .cannotUnderstand: return "cannot understand"
        case .transferSyntaxNotSupported: return "transfer syntax not supported"
        }
    }
}

/// One instance named in a STOW-RS response.
public struct StowInstanceStatus: Sendable, Equatable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    /// RetrieveURL of a stored instance.
    public var retrieveURL: String?
    /// FailureReason of a failed one (raw code: servers may send codes outside `StoreFailureReason`).
    public var failureReason: UInt16?
    /// WarningReason of a stored one (e.g. 0xB000 coercion of data elements).
    public var warningReason: UInt16?

    public init(sopClassUID: String, sopInstanceUID: String, retrieveURL: String? = nil,
                failureReason: UInt16? = nil, warningReason: UInt16? = nil) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID; self.retrieveURL = retrieveURL
        self.failureReason = failureReason; self.warningReason = warningReason
    }
}

/// A STOW-RS response: stored instances (ReferencedSOPSequence) and failed ones (FailedSOPSequence).
public struct StowResponse: Sendable, Equatable {
    public var stored: [StowInstanceStatus]
    public var failed: [StowInstanceStatus]
    /// The study's RetrieveURL (0008,1190) at the top level, when sent.
    public var retrieveURL: String?

    public init(stored: [StowInstanceStatus] = [], failed: [StowInstanceStatus] = [], retrieveURL: String? = nil) {
        self.stored = stored; self.failed = failed; self.retrieveURL = retrieveURL
    }

    /// The HTTP status PS3.18 §10.5.3 prescribes: 200 when all were stored, 202 when some failed,
    /// 409 when none was stored.
    public var httpStatus: Int {
        if failed.isEmpty { return 200 }
        return stored.isEmpty ? 409 : 202
    }

    /// The response data set.
    public var dataSet: DataSet {
        var ds = DataSet(characterSet: .utf8)
        if let retrieveURL { ds.set(.retrieveURL, .UR, string: retrieveURL) }
        if !failed.isEmpty {
            ds.set(.failedSOPSequence, sequence: failed.map { s in
                var item = Self.reference(s)
                item.set(.failureReason, .US, ints: [Int(s.failureReason ?? StoreFailureReason.processingFailure.rawValue)])
                return item
            })
        }
        if !stored.isEmpty {
            ds.set(.referencedSOPSequence, sequence: stored.map { s in
                var item = Self.reference(s)
                if let url = s.retrieveURL { item.set(.retrieveURL, .UR, string: url) }
                if let w = s.warningReason { item.set(.warningReason, .US, ints: [Int(w)]) }
                return item
            })
        }
        return ds
    }

    /// The response as DICOM JSON (`application/dicom+json`).
    public func json() throws -> Data { try DicomJSON.encode(dataSet) }

    /// Reads a response data set (decoded from JSON or XML).
    public init(dataSet ds: DataSet) {
        func status(_ item: DataSet) -> StowInstanceStatus {
            StowInstanceStatus(sopClassUID: item.string(.referencedSOPClassUID) ?? "",
                               sopInstanceUID: item.string(.referencedSOPInstanceUID) ?? "",
                               retrieveURL: item.string(.retrieveURL),
                               failureReason: item.int(.failureReason).map { UInt16(truncatingIfNeeded: $0) },
                               warningReason: item.int(.warningReason).map { UInt16(truncatingIfNeeded: $0) })
        }
        stored = (ds.sequence(.referencedSOPSequence) ?? []).map(status)
        failed = (ds.sequence(.failedSOPSequence) ?? []).map(status)
        retrieveURL = ds.string(.retrieveURL)
    }

    private static func reference(_ s: StowInstanceStatus) -> DataSet {
        var item = DataSet(characterSet: .utf8)
        item.set(.referencedSOPClassUID, .UI, string: s.sopClassUID)
        item.set(.referencedSOPInstanceUID, .UI, string: s.sopInstanceUID)
        return item
    }
}
