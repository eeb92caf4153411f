// The FE element size each command uses by default: `analyze` 1.5 mm for every site (docs/analysis.md,
// Decisions), `fe` 1.0 mm (methods.md §6; the peer comparisons). Read from the built binary's help, which
// ArgumentParser prints from the options' declared defaults.
import Foundation
import Testing
import TestSupport

@Suite("analyze and fe element-size defaults", .enabled(if: TestPaths.openbctBinary != nil, "build the openbct product first"))
struct AnalyzeDefaultsCLITests {
    /// The `--voxel` entry of a subcommand's help, whitespace collapsed.
    static func voxelHelp(_ subcommand: String) throws -> String {
        let r = try TestPaths.runOpenBCT([subcommand, "--help"])
        let text = (r.stdout + r.stderr).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let start = try #require(text.range(of: "--voxel <voxel>"))
        return String(text[start.lowerBound...].prefix(400))
    }

    @Test("analyze builds its FE models with 1.5 mm elements unless --voxel says otherwise")
    func analyzeDefault() throws {
        let help = try Self.voxelHelp("analyze")
        #expect(help.contains("(default: 1.5)"), "\(help)")
    }

    @Test("fe keeps the 1.0 mm default of the peer comparisons")
    func feDefault() throws {
        let help = try Self.voxelHelp("fe")
        #expect(help.contains("(default: 1.0)"), "\(help)")
    }
}
