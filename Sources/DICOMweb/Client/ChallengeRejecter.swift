// Works around swift-corelibs-foundation: a 401 answer with WWW-Authenticate makes a URLSession task
// without an authentication delegate wait forever (seen with Orthanc's 401). Credentials are sent
// up front, so a challenge means they were refused: reject it, which ends the task as "cancelled";
// `DICOMwebClient.send` reports that as HTTP 401.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class ChallengeRejecter: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        completionHandler(.rejectProtectionSpace, nil)
    }
}
