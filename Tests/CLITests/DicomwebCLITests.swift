// `openbct deidentify` and `openbct dicomweb` run as a user would: the built binary on real files,
// against a throw-away Orthanc.
import Foundation
import Testing
import TestSupport

@Suite("openbct deidentify / dicomweb", .serialized,
       .enabled(if: TestPaths.openbctBinary != nil && TestPaths.hasSharedData, "needs the built openbct binary and ../shared/data"))
struct DicomwebCLITests {
    var series: URL { TestPaths.shared("phantom/qrm-thorax/series") }

    @Test("deidentify writes one file per input with Patient Identity Removed (pydicom), and refuses non-DICOM")
    func deidentify() throws {
        let out = try TestPaths.temporaryDirectory("cli-deid")
        defer { try? FileManager.default.removeItem(at: out) }
        let inputs = try FileManager.default.contentsOfDirectory(atPath: series.path).sorted().prefix(3).map { series.appendingPathComponent($0).path }
        let r = try TestPaths.runOpenBCT(["deidentify"] + inputs + ["--out", out.path, "--pseudonym", "S-1"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.count == 3)
        let check = try ExternalTool.run("python3", ["-c", "import sys,pydicom; d=pydicom.dcmread(sys.argv[1]); print(d.PatientIdentityRemoved, d.PatientName)",
                                                      out.appendingPathComponent(files[0]).path])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "YES S-1")
        let bad = try TestPaths.runOpenBCT(["deidentify", TestPaths.shared("README.md").path, "--out", out.path])
        #expect(bad.status != 0 && bad.stderr.hasPrefix("error: "))
    }

    @Test("dicomweb store then pull round-trips the series through Orthanc; a wrong password fails with HTTP 401",
          .enabled(if: OrthancServer.isAvailable, "needs Orthanc"))
    func storeAndPull() throws {
        let orthanc = try OrthancServer()
        defer { orthanc.stop() }
        let url = orthanc.dicomWebURL.absoluteString
        let env = ["OPENBCT_DICOMWEB_PASSWORD": orthanc.password]
        let store = try ExternalTool.run(TestPaths.openbctBinary!.path, ["dicomweb", "store", "--url", url, "--user", orthanc.username, series.path],
                                         environment: env)
        #expect(store.status == 0, "\(store.stderr)")
        #expect(store.stdout.contains("\"stored\":47"))
        let out = try TestPaths.temporaryDirectory("cli-pull")
        defer { try? FileManager.default.removeItem(at: out) }
        let study = "1.2.392.200036.9116.2.6.1.3268.2051117512.1455183481.419226"
        let pull = try ExternalTool.run(TestPaths.openbctBinary!.path, ["dicomweb", "pull", "--url", url, "--user", orthanc.username, study, "--out", out.path],
                                        environment: env)
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).count == 47)
        let refused = try ExternalTool.run(TestPaths.openbctBinary!.path, ["dicomweb", "pull", "--url", url, "--user", orthanc.username, study, "--out", out.path],
                                           environment: ["OPENBCT_DICOMWEB_PASSWORD": "wrong"])
        #expect(refused.status != 0 && refused.stderr.contains("HTTP 401"))
    }
}
