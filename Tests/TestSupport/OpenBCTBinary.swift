// Locating the built `openbct` executable for CLI tests.
import Foundation

extension TestPaths {
    /// The `openbct` binary of this build: beside the test bundle (`swift test` builds every product
    /// into the same folder), else the folder `swift build --show-bin-path` names.
    public static let openbctBinary: URL? = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("openbct")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        guard let r = try? ExternalTool.run("swift", ["build", "--show-bin-path"], currentDirectory: repositoryRoot),
              r.status == 0 else { return nil }
        let url = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("openbct")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }()

    /// Runs `openbct` with `arguments`.
    public static func runOpenBCT(_ arguments: [String]) throws -> ToolResult {
        guard let binary = openbctBinary else { throw ToolFailure(description: "the openbct binary is not built") }
        return try ExternalTool.run(binary.path, arguments)
    }
}
