// `openbct fe` end to end: NIfTI in, fe.json and a CalculiX deck out; CalculiX solves the deck the
// command wrote and must give the reaction the command reported.
import Foundation
import Testing
import TestSupport

enum OpenBCTBinary {
    static var url: URL {
        #if DEBUG
        TestPaths.repositoryRoot.appendingPathComponent(".build/debug/openbct")
        #else
        TestPaths.repositoryRoot.appendingPathComponent(".build/release/openbct")
        #endif
    }
}

@Suite("openbct fe", .enabled(if: FileManager.default.isExecutableFile(atPath: OpenBCTBinary.url.path), "build the openbct product first"))
struct FECommandTests {
    @Test("vertebral compression of a box: fe.json reaction equals CalculiX on the exported deck")
    func boxCompression() throws {
        let dir = try TestPaths.temporaryDirectory("fe-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ExternalTool.python("fe_box_fixture.py", [dir.path])
        let deck = dir.appendingPathComponent("model.inp"), out = dir.appendingPathComponent("out")
        let r = try ExternalTool.run(OpenBCTBinary.url.path, [
            "fe", "--density", dir.appendingPathComponent("density.nii.gz").path,
            "--labels", dir.appendingPathComponent("labels.nii.gz").path, "--protocol", "vertebra-compression",
            "--frame-z", "0,0,1", "--frame-x", "1,0,0", "--tolerance", "1e-9", "--export-inp", deck.path, "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("fe.json"))) as? [String: Any]
        let results = try #require(doc?["results"] as? [String: Any])
        let reaction = try #require(results["reactionAlongLoadAxis_N"] as? Double)
        let ccx = try ExternalTool.python("ccx_run.py", [deck.path])
        let totals = try #require((try JSONSerialization.jsonObject(with: Data(ccx.utf8)) as? [String: Any])?["totals"] as? [String: [Double]])
        let ccxReaction = try #require(totals["N_LOADED"])[2]
        #expect(abs(reaction / ccxReaction - 1) < 0.005)
        let loadCase = try #require(doc?["loadCase"] as? [String: Any])
        #expect(loadCase["referenceLength"] as? Double == 20)   // 12 mm body + 2 × 4 mm cap beyond it
    }

    @Test("an unknown protocol is an error on stderr with a non-zero exit")
    func unknownProtocol() throws {
        let r = try ExternalTool.run(OpenBCTBinary.url.path, ["fe", "--density", "/nonexistent.nii", "--labels", "/x.nii",
                                                               "--protocol", "knee", "-o", "/tmp/none"])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error:"))
    }
}
