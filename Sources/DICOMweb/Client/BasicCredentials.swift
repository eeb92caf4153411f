// HTTP basic authentication (RFC 7617) for DICOMweb servers such as Orthanc.
import Foundation

/// A user name and password sent as an HTTP basic `Authorization` header.
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) { self.username = username; self.password = password }

    /// The header value: "Basic base64(user:password)".
    public var authorizationHeader: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
