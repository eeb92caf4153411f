// Failures of DICOMweb requests: which request, which URL, what the server answered.
import Foundation

/// A DICOMweb request that failed: the method and URL, the HTTP status when one arrived, and why.
public struct DICOMwebError: Error, CustomStringConvertible, Sendable {
    public var method: String
    public var url: String
    /// The HTTP status; nil when no response arrived (refused connection, timeout, DNS).
    public var status: Int?
    public var message: String

    public init(method: String, url: String, status: Int?, message: String) {
        self.method = method; self.url = url; self.status = status; self.message = message
    }

    public var description: String {
        "\(method) \(url): " + (status.map { "HTTP \($0): " } ?? "") + message
    }
}
