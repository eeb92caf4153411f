// A DICOMweb client: STOW-RS, QIDO-RS and WADO-RS over HTTP with basic authentication.
// HTTP is AsyncHTTPClient (SwiftNIO, through `HTTPExchange`), not Foundation's URLSession: on Linux,
// corelibs URLSession loses concurrent requests (see docs/dicomweb.md, "HTTP client").
import AsyncHTTPClient
import DICOM
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import OpenBCTCore

/// Talks to one DICOMweb service (Orthanc's `/dicom-web`, a PACS, or openbct's own endpoint).
///
/// Every failure is a `DICOMwebError` naming the method, URL and HTTP status; a malformed answer
/// (bad multipart, bad JSON) is a `DICOMwebError` whose message holds the `InputError`.
public struct DICOMwebClient: Sendable {
    /// The service root, e.g. `http://127.0.0.1:8042/dicom-web` (no trailing slash needed).
    public let baseURL: URL
    public var credentials: BasicCredentials?
    /// Seconds a request may take before it fails, the whole response included (applied to each request).
    public var timeout: TimeInterval
    /// The largest response body accepted, in bytes (a WADO-RS answer is held in memory whole).
    public var maximumResponseBytes: Int = 4 << 30
    private let http: HTTPClient

    /// `httpClient` defaults to `DICOMwebClient.sharedHTTPClient`; one passed in stays the caller's to
    /// shut down.
    public init(baseURL: URL, credentials: BasicCredentials? = nil, timeout: TimeInterval = 120,
                httpClient: HTTPClient = DICOMwebClient.sharedHTTPClient) {
        self.baseURL = baseURL; self.credentials = credentials; self.timeout = timeout; self.http = httpClient
    }

    /// The process-wide HTTP client (never shut down): AsyncHTTPClient's shared settings, except that
    /// - a refused connection fails the request at once (by default it is retried until the 90-s connect
    ///   timeout, which is then all the error says; "connection refused" tells the user the PACS is down);
    /// - responses are not compressed: DICOM JSON compresses beyond the default 25:1 safety ratio, which
    ///   then fails the request (seen with Orthanc), and pixel data gain little;
    /// - it runs on its own event-loop thread, not NIO's process-wide group that the server (Hummingbird,
    ///   postgres-nio) shares, so work held on the server's loops cannot delay traffic to the PACS.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1), configuration: configuration)
    }()

    // MARK: STOW-RS

    /// Stores Part-10 instances in one multipart request (`POST /studies`, or `/studies/{uid}` when
    /// `studyInstanceUID` is given) and returns the server's response. HTTP 200, 202 (some failed)
    /// and 409 (all failed) return the parsed response — check `failed`; other statuses throw.
    public func store(_ instances: [Data], studyInstanceUID: String? = nil) async throws -> StowResponse {
        let boundary = MultipartEncoder.makeBoundary()
        let body = MultipartEncoder.encode(instances.map(MultipartPart.dicom), boundary: boundary)
        let url = endpoint(["studies"] + (studyInstanceUID.map { [$0] } ?? []))
        let (data, response) = try await send("POST", url, accept: "application/dicom+json, application/dicom+xml",
                                              contentType: MultipartEncoder.contentType(boundary: boundary).description,
                                              body: body, acceptedStatuses: [200, 202, 409])
        guard !data.isEmpty else {
            if response.statusCode == 200 {
                // No body: a server that stored everything may say only 200; report what we sent.
                return StowResponse(stored: try instances.map { try Self.identify($0) })
            }
            throw DICOMwebError(method: "POST", url: url.absoluteString, status: response.statusCode, message: "empty STOW-RS response")
        }
        let type = response.headers.first(name: "Content-Type").flatMap(MediaType.init(parsing:))
        do {
            let ds = type?.essence.hasSuffix("xml") == true
                ? try NativeDicomModel.decode(data, source: url.absoluteString)
                : try DicomJSON.decodeObject(data, source: url.absoluteString).dataSet
            return StowResponse(dataSet: ds)
        } catch {
            throw DICOMwebError(method: "POST", url: url.absoluteString, status: response.statusCode, message: "unreadable STOW-RS response: \(error)")
        }
    }

    /// Stores files (read whole, sent as they are).
    public func store(files: [URL], studyInstanceUID: String? = nil) async throws -> StowResponse {
        let instances = try files.map { url -> Data in
            do { return try Data(contentsOf: url) } catch { throw InputError(path: url.path, "cannot be read: \(error.localizedDescription)") }
        }
        return try await store(instances, studyInstanceUID: studyInstanceUID)
    }

    static func identify(_ instance: Data) throws -> StowInstanceStatus {
        let ds = try DicomFile.read(data: instance, stopBeforePixelData: true).dataSet
        return StowInstanceStatus(sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: ds.string(.sopInstanceUID) ?? "")
    }

    // MARK: QIDO-RS

    /// Searches studies (`GET /studies?…`).
    public func searchStudies(_ query: QIDOQuery = QIDOQuery()) async throws -> [DataSet] {
        try await search(["studies"], query)
    }

    /// Searches series, within one study or across all.
    public func searchSeries(studyInstanceUID: String? = nil, _ query: QIDOQuery = QIDOQuery()) async throws -> [DataSet] {
        try await search((studyInstanceUID.map { ["studies", $0] } ?? []) + ["series"], query)
    }

    /// Searches instances, within one study (and series) or across all.
    public func searchInstances(studyInstanceUID: String? = nil, seriesInstanceUID: String? = nil,
                                _ query: QIDOQuery = QIDOQuery()) async throws -> [DataSet] {
        var path: [String] = []
        if let study = studyInstanceUID { path += ["studies", study] }
        if let series = seriesInstanceUID { path += ["series", series] }
        return try await search(path + ["instances"], query)
    }

    private func search(_ path: [String], _ query: QIDOQuery) async throws -> [DataSet] {
        let url = endpoint(path, query: query.queryItems)
        let (data, response) = try await send("GET", url, accept: MediaType.dicomJSON.essence, acceptedStatuses: [200, 204])
        if response.statusCode == 204 || data.isEmpty { return [] }
        do { return try DicomJSON.decodeArray(data, source: url.absoluteString) } catch {
            throw DICOMwebError(method: "GET", url: url.absoluteString, status: response.statusCode, message: "unreadable QIDO-RS response: \(error)")
        }
    }

    // MARK: WADO-RS

    /// Retrieves every instance of a study as Part-10 bytes, in their stored transfer syntax.
    public func retrieveStudy(_ studyInstanceUID: String) async throws -> [Data] {
        try await retrieveInstances(["studies", studyInstanceUID])
    }

    /// Retrieves every instance of a series.
    public func retrieveSeries(studyInstanceUID: String, seriesInstanceUID: String) async throws -> [Data] {
        try await retrieveInstances(["studies", studyInstanceUID, "series", seriesInstanceUID])
    }

    /// Retrieves one instance.
    public func retrieveInstance(studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String) async throws -> Data {
        let path = ["studies", studyInstanceUID, "series", seriesInstanceUID, "instances", sopInstanceUID]
        let instances = try await retrieveInstances(path)
        guard instances.count == 1 else {
            throw DICOMwebError(method: "GET", url: endpoint(path).absoluteString, status: 200,
                                message: "expected 1 instance, the response held \(instances.count)")
        }
        return instances[0]
    }

    /// The metadata (every attribute but bulk data) of a study's or series' instances.
    public func metadata(studyInstanceUID: String, seriesInstanceUID: String? = nil) async throws -> [DataSet] {
        var path = ["studies", studyInstanceUID]
        if let series = seriesInstanceUID { path += ["series", series] }
        let url = endpoint(path + ["metadata"])
        let (data, response) = try await send("GET", url, accept: MediaType.dicomJSON.essence, acceptedStatuses: [200])
        do { return try DicomJSON.decodeArray(data, source: url.absoluteString) } catch {
            throw DICOMwebError(method: "GET", url: url.absoluteString, status: response.statusCode, message: "unreadable metadata: \(error)")
        }
    }

    private func retrieveInstances(_ path: [String]) async throws -> [Data] {
        let url = endpoint(path)
        // transfer-syntax=* asks for the instances as stored (PS3.18 §8.7.3.5.2): byte-identical.
        let accept = "multipart/related; type=\"application/dicom\"; transfer-syntax=*"
        let (data, response) = try await send("GET", url, accept: accept, acceptedStatuses: [200])
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        do {
            return try MultipartDecoder.decode(data, contentType: contentType, requiresPartContentType: false).map { part in
                if let type = part.contentType, type.essence != MediaType.dicom.essence {
                    throw InputError(location: "multipart part", "expected application/dicom, got \(type.essence)")
                }
                return part.body
            }
        } catch {
            throw DICOMwebError(method: "GET", url: url.absoluteString, status: response.statusCode, message: "unreadable WADO-RS response: \(error)")
        }
    }

    // MARK: HTTP

    func endpoint(_ path: [String], query: [(String, String)] = []) -> URL {
        var url = baseURL
        for component in path { url.appendPathComponent(component) }
        guard !query.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.url ?? url
    }

    /// What came back: status, headers and the whole body.
    struct Answer {
        var statusCode: Int
        var headers: HTTPHeaders
    }

    /// Sends one request (`HTTPExchange`); throws `DICOMwebError` for transport failures and unexpected statuses.
    func send(_ method: String, _ url: URL, accept: String, contentType: String? = nil, body: Data? = nil,
              acceptedStatuses: Set<Int>) async throws -> (Data, Answer) {
        var headers = HTTPHeaders([("Accept", accept)])
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        if let credentials { headers.add(name: "Authorization", value: credentials.authorizationHeader) }
        // One connection per request: a pooled keep-alive connection can be closed by the server at the
        // moment it is reused (Orthanc closes idle ones after 1 s), which would fail a non-idempotent POST.
        headers.add(name: "Connection", value: "close")
        let data: Data, answer: Answer
        do {
            let reply = try await HTTPExchange.send(HTTPMethod(rawValue: method), url: url.absoluteString, headers: headers, body: body,
                                                    timeout: timeout, maximumResponseBytes: maximumResponseBytes, client: http)
            data = reply.body
            answer = Answer(statusCode: reply.status, headers: reply.headers)
        } catch let failure as HTTPTransportFailure {
            throw DICOMwebError(method: method, url: url.absoluteString, status: nil, message: "request failed: \(failure.reason)")
        }
        guard acceptedStatuses.contains(answer.statusCode) else {
            let excerpt = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let meaning = answer.statusCode == 401 ? "authentication required or refused"
                : HTTPResponseStatus(statusCode: answer.statusCode).reasonPhrase
            throw DICOMwebError(method: method, url: url.absoluteString, status: answer.statusCode,
                                message: meaning + (credentials == nil && answer.statusCode == 401 ? " (no credentials configured)" : "")
                                    + (excerpt.isEmpty ? "" : " — \(excerpt)"))
        }
        return (data, answer)
    }
}
