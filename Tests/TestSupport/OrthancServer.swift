// A throw-away Orthanc for integration tests, started and stopped through scripts/orthanc-test.sh
// (one configuration for tests, CI and benchmarks): free loopback ports, a random password, a
// temporary storage folder.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running Orthanc. Call `stop()` when done (tests use `defer`).
public final class OrthancServer: @unchecked Sendable {
    public let url: URL
    public let dicomWebURL: URL
    public let username: String
    public let password: String
    public let dicomPort: Int
    public let aet: String
    private let directory: URL
    private var running = true

    /// True when Debian's `Orthanc` and its DICOMweb plugin are installed. In CI (`CI=true`) their
    /// absence is a hard failure, so the Orthanc tests always run there.
    public static var isAvailable: Bool {
        let installed = FileManager.default.isExecutableFile(atPath: "/usr/sbin/Orthanc")
            && FileManager.default.fileExists(atPath: "/usr/share/orthanc/plugins/libOrthancDicomWeb.so")
        if !installed && ProcessInfo.processInfo.environment["CI"] == "true" {
            fatalError("CI=true but Orthanc (orthanc, orthanc-dicomweb) is not installed: scripts/install-deps.sh installs it")
        }
        return installed
    }

    /// Starts Orthanc; `forwardTo` makes it forward every instance received over DIMSE to that
    /// STOW-RS URL (the documented DIMSE front end). `httpPort` and `password` fix what is otherwise
    /// chosen at random (a test that starts "the PACS" at an address it already configured).
    public init(forwardTo forwardURL: URL? = nil, forwardUser: String? = nil, forwardPassword: String? = nil,
                httpPort: Int? = nil, password: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("openbct-orthanc-\(UUID().uuidString.prefix(8))")
        var environment = [
            "ORTHANC_DIR": directory.path,
            "ORTHANC_HTTP_PORT": String(try httpPort ?? Self.freePort()),
            "ORTHANC_DICOM_PORT": String(try Self.freePort()),
        ]
        if let password { environment["ORTHANC_PASSWORD"] = password }
        if let forwardURL {
            environment["ORTHANC_FORWARD_URL"] = forwardURL.absoluteString
            environment["ORTHANC_FORWARD_USER"] = forwardUser ?? ""
            environment["ORTHANC_FORWARD_PASSWORD"] = forwardPassword ?? ""
        }
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/orthanc-test.sh").path
        let result = try ExternalTool.run(script, ["start"], environment: environment)
        guard result.status == 0 else {
            throw ToolFailure(description: "orthanc-test.sh start exited \(result.status): \(result.stderr)")
        }
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let base = values["ORTHANC_URL"].flatMap(URL.init(string:)), let web = values["ORTHANC_DICOMWEB"].flatMap(URL.init(string:)),
              let user = values["ORTHANC_USER"], let pass = values["ORTHANC_PASSWORD"],
              let port = values["ORTHANC_DICOM_PORT"].flatMap(Int.init), let aet = values["ORTHANC_AET"] else {
            throw ToolFailure(description: "orthanc-test.sh start printed no settings: \(result.stdout)")
        }
        url = base; dicomWebURL = web; username = user; self.password = pass; dicomPort = port; self.aet = aet
    }

    /// Orthanc's own log so far (for failure messages).
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("orthanc.log"), encoding: .utf8)) ?? "" }

    /// Stops Orthanc and deletes its storage.
    public func stop() {
        guard running else { return }
        running = false
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/orthanc-test.sh").path
        _ = try? ExternalTool.run(script, ["stop"], environment: ["ORTHANC_DIR": directory.path])
    }

    deinit { stop() }

    /// A TCP port free on the loopback interface right now (the kernel's pick for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ToolFailure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, length) == 0 && getsockname(fd, sp, &length) == 0
            }
        }
        guard bound else { throw ToolFailure(description: "bind() to a free port failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
