// The `openbct` command-line tool: a thin shell over the library; each subcommand in its own file.
import ArgumentParser
import OpenBCTCore

@main
struct OpenBCTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openbct",
        abstract: "Open biomechanical CT: bone density, finite-element strength and fracture risk from clinical CT.",
        discussion: OpenBCT.researchUseNotice,
        version: OpenBCT.version,
        subcommands: [InspectCommand.self, ConvertCommand.self, PhantomCommand.self, FECommand.self, SegmentCommand.self, CalibrateCommand.self, BMDCommand.self, DicomwebCommand.self, DeidentifyCommand.self, AnalyzeCommand.self, ReportCommand.self, ServeCommand.self, WorkerCommand.self, CodecBenchCommand.self, FEBenchCommand.self])
}
