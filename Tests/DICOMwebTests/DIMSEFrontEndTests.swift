import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOMweb

/// The documented front end for DIMSE senders (docs/service-dicom.md): a modality C-STOREs into
/// Orthanc, whose Lua script (scripts/orthanc/forward-to-stow.lua) forwards each instance by STOW-RS
/// and then deletes it. The STOW-RS receiver here is a second Orthanc standing in for openbct.
@Suite("DIMSE front end: storescu → Orthanc → STOW-RS",
       .enabled(if: TestPaths.hasSharedData && OrthancServer.isAvailable && ExternalTool.isAvailable("storescu"),
                "needs ../shared/data, Orthanc and dcmtk's storescu"))
struct DIMSEFrontEndTests {
    @Test("instances sent by storescu arrive at the STOW-RS receiver with their pixels intact and leave the relay")
    func forwardsToStow() async throws {
        let receiver = try OrthancServer()
        defer { receiver.stop() }
        let relay = try OrthancServer(forwardTo: receiver.dicomWebURL.appendingPathComponent("studies"),
                                      forwardUser: receiver.username, forwardPassword: receiver.password)
        defer { relay.stop() }
        let files = Array(try Fixtures.qrmSeries().prefix(5))
        let send = try ExternalTool.run("storescu", ["-aec", relay.aet, "127.0.0.1", String(relay.dicomPort)] + files.map(\.path))
        #expect(send.status == 0, "storescu: \(send.stderr)")

        let web = DICOMwebClient(baseURL: receiver.dicomWebURL, credentials: BasicCredentials(username: receiver.username, password: receiver.password))
        var arrived: [DataSet] = []
        for _ in 0..<100 {   // forwarding is asynchronous: wait up to 20 s
            arrived = try await web.searchInstances()
            if arrived.count == files.count { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(arrived.count == files.count, "relay log:\n\(relay.log.suffix(2000))")
        let study = OrthancIntegrationTests.qrmStudy
        // DIMSE rewrites the file meta group (and may change the transfer syntax); the instances and
        // their pixels must be the ones sent.
        func content(_ data: Data) throws -> [String: [UInt8]] {
            let ds = try DicomFile.read(data: data).dataSet
            return [ds.string(.sopInstanceUID) ?? "": ds[.pixelData]?.bytes ?? []]
        }
        let sent = try files.map { try content(Data(contentsOf: $0)) }.reduce(into: [:]) { $0.merge($1) { a, _ in a } }
        let received = try await web.retrieveStudy(study).map(content).reduce(into: [String: [UInt8]]()) { $0.merge($1) { a, _ in a } }
        #expect(received == sent)

        // The relay keeps nothing once forwarded.
        let relayWeb = DICOMwebClient(baseURL: relay.dicomWebURL, credentials: BasicCredentials(username: relay.username, password: relay.password))
        var left = -1
        for _ in 0..<50 {
            left = try await relayWeb.searchInstances().count
            if left == 0 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(left == 0)
    }
}
