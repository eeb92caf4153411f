// `openbct worker`: analysis workers as their own process, on this or another machine sharing the
// service's database (PostgreSQL, or the SQLite file on this machine).
import ArgumentParser
import OpenBCTCore
import Service

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run analysis jobs from the service's database until SIGTERM.")

    @Option(name: .long, help: "Configuration file (JSON), as for serve.")
    var config: String?

    @Option(name: .long, help: "Worker loops in this process.")
    var count: Int = 1

    func run() async throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        do {
            let configuration = try ServiceConfiguration.load(file: config)
            try await ServiceApplication.runWorkers(configuration: configuration, count: count, executable: CLIExecutable.path)
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
    }
}
