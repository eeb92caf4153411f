// STOW-RS intake (PS3.18 §10.5): POST /dicomweb/studies[/{study}] with multipart/related
// application/dicom parts. Parsing and validation are module DICOMweb's; storing and order matching
// are ours. A study is queued for analysis once it has been quiet for `jobs.studyQuietSeconds`.
import DICOMweb
import Foundation
import Hummingbird

extension ServiceEnvironment {
    func addStowRoutes(to router: Router<ServiceRequestContext>) {
        let parser = StowRequestParser()
        for path in ["/dicomweb/studies", "/dicomweb/studies/:study"] {
            router.post(RouterPath(path)) { request, context -> Response in
                let urlStudy = context.parameters.get("study")
                try await access.require(.sendStudies, action: "STOW-RS store", resource: "study \(urlStudy ?? "(from body)")", request: request, context: context)
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let stow: StowRequest
                do {
                    stow = try parser.parse(body: Data(body.readableBytesView), contentType: request.headers[.contentType] ?? "", studyInstanceUID: urlStudy)
                } catch let error as StowRequestError {
                    throw HTTPError(HTTPResponse.Status(code: error.httpStatus), message: error.message)
                }
                let failures = await receive(stow.accepted)
                metrics.increment("instances_rejected", by: Int64(stow.rejected.count + failures.count))
                let response = stow.response(retrieveBaseURL: nil, storageFailures: failures)
                return Responses.json(try response.json(), status: HTTPResponse.Status(code: response.httpStatus),
                                      contentType: "application/dicom+json")
            }
        }
    }
}
