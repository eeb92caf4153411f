import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOMweb

@Suite("STOW-RS request handling (server side)", .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
struct StowRequestParserTests {
    static let contentType = "multipart/related; type=\"application/dicom\"; boundary=stow"

    func body(_ parts: [Data]) -> Data { MultipartEncoder.encode(parts.map(MultipartPart.dicom), boundary: "stow") }

    @Test("CT instances are accepted with their UIDs; MR, garbage and truncated parts fail with reasons")
    func mixedRequest() throws {
        let ct = try Fixtures.qrmSeries().prefix(2).map { try Data(contentsOf: $0) }
        let mr = try Data(contentsOf: Fixtures.mrInstance)
        let truncated = ct[0].prefix(ct[0].count - 1000)
        let request = try StowRequestParser().parse(body: body(ct + [mr, Data("not dicom at all".utf8), Data(truncated)]),
                                                    contentType: Self.contentType)
        #expect(request.accepted.count == 2)
        #expect(request.accepted.map(\.data) == ct)
        #expect(request.accepted.allSatisfy { $0.sopClassUID == "1.2.840.10008.5.1.4.1.1.2" && $0.studyInstanceUID == "1.2.392.200036.9116.2.6.1.3268.2051117512.1455183481.419226" })
        let reasons = request.rejected.map(\.status.failureReason)
        #expect(reasons == [StoreFailureReason.sopClassNotSupported.rawValue, StoreFailureReason.cannotUnderstand.rawValue,
                            StoreFailureReason.cannotUnderstand.rawValue])
        #expect(request.rejected[0].status.sopClassUID == "1.2.840.10008.5.1.4.1.1.4")
        #expect(request.rejected[0].explanation.contains("not a CT image"))

        let response = request.response(retrieveBaseURL: "https://openbct.test/dicom-web")
        #expect(response.httpStatus == 202)
        #expect(response.stored.count == 2 && response.failed.count == 3)
        #expect(response.stored[0].retrieveURL?.hasPrefix("https://openbct.test/dicom-web/studies/1.2.392.") == true)
        // The response as DICOM JSON parses back (what a client receives).
        let parsed = StowResponse(dataSet: try DicomJSON.decodeObject(try response.json()).dataSet)
        #expect(parsed == response)
    }

    @Test("an instance outside the study of the request URL fails; none stored gives 409")
    func studyMismatch() throws {
        let ct = try Data(contentsOf: try Fixtures.qrmSeries()[0])
        let request = try StowRequestParser().parse(body: body([ct]), contentType: Self.contentType, studyInstanceUID: "1.2.3")
        #expect(request.accepted.isEmpty)
        #expect(request.rejected.first?.status.failureReason == StoreFailureReason.dataSetDoesNotMatchSOPClass.rawValue)
        #expect(request.response(retrieveBaseURL: nil).httpStatus == 409)
    }

    @Test("a storage failure reported by the service moves the instance to the failed list")
    func storageFailure() throws {
        let ct = try Fixtures.qrmSeries().prefix(2).map { try Data(contentsOf: $0) }
        let request = try StowRequestParser().parse(body: body(ct), contentType: Self.contentType)
        let uid = request.accepted[1].sopInstanceUID
        let response = request.response(retrieveBaseURL: nil, storageFailures: [uid: (.outOfResources, "disk full")])
        #expect(response.stored.count == 1)
        #expect(response.failed.map(\.failureReason) == [StoreFailureReason.outOfResources.rawValue])
    }

    @Test("wrong media types get 415, a broken body 400")
    func requestErrors() {
        #expect { try StowRequestParser().parse(body: Data(), contentType: "application/dicom") } throws: { error in
            (error as? StowRequestError)?.httpStatus == 415
        }
        #expect { try StowRequestParser().parse(body: Data(), contentType: "multipart/related; type=\"application/dicom+xml\"; boundary=x") } throws: { error in
            (error as? StowRequestError)?.httpStatus == 415
        }
        #expect { try StowRequestParser().parse(body: Data("--x\r\nContent-Type: application/dicom\r\n\r\nabc".utf8), contentType: "multipart/related; boundary=x") } throws: { error in
            let e = error as? StowRequestError
            return e?.httpStatus == 400 && e!.message.contains("truncated")
        }
    }
}
