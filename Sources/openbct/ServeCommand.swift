// `openbct serve`: the clinical web service (see docs/service.md).
import ArgumentParser
import Foundation
import OpenBCTCore
import Service

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web service: STOW-RS intake, orders, analysis jobs, physician review and sign-off.",
        discussion: "Settings: --config FILE (JSON) then OPENBCT_* environment variables (docs/service.md).")

    @Option(name: .long, help: "Configuration file (JSON).")
    var config: String?

    @Option(name: .long, help: "Create this user (password from OPENBCT_USER_PASSWORD) and exit; the first admin is made this way.")
    var createUser: String?

    @Option(name: .long, help: "With --create-user: technologist, physician or admin.")
    var role: String = "admin"

    @Option(name: .long, help: "With --create-user: the display name.")
    var displayName: String?

    @Flag(name: .long, help: "With --create-user: also issue an API token and print it (for senders and scripts).")
    var issueToken = false

    func run() async throws {
        do {
            let configuration = try ServiceConfiguration.load(file: config)
            if let username = createUser {
                guard let password = ProcessInfo.processInfo.environment["OPENBCT_USER_PASSWORD"] else {
                    throw InputError(location: "environment OPENBCT_USER_PASSWORD", "required with --create-user (never on the command line)")
                }
                guard let role = Role(rawValue: role) else {
                    throw InputError(location: "--role", "expected technologist, physician or admin, got '\(self.role)'")
                }
                let token = try await ServiceBootstrap.createUser(configuration: configuration, username: username,
                                                                  displayName: displayName ?? username, password: password,
                                                                  role: role, issueToken: issueToken)
                print(token ?? "created \(role.rawValue) \(username)")
                return
            }
            try await ServiceApplication.run(configuration: configuration, executable: CLIExecutable.path)
        } catch let error as InputError {
            throw ValidationError(error.description)
        }
    }
}

/// This program's own path: workers run analyses with the same binary.
enum CLIExecutable {
    static var path: String {
        Bundle.main.executablePath ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
