import ArgumentParser
import Config

@main
struct Fixpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixpoint",
        abstract: "A language server that hosts a coding agent and hands back verified fixes.",
        version: FixpointVersion.string,
        subcommands: [ServeCommand.self, ACPCommand.self, FixCommand.self, EvalCommand.self, ModelCommand.self, DoctorCommand.self]
    )

    /// Like ArgumentParser's own main, but bad usage exits 2 (the documented contract) instead of 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error).rawValue == 64 {
                printError(fullMessage(for: error))
                printError(usageString(for: error))
                exit(withError: ExitCode(ExitCodes.usage))
            }
            exit(withError: error)
        }
    }

    private static func usageString(for error: Error) -> String {
        "Run 'fixpoint help' or 'fixpoint <subcommand> --help' for usage."
    }
}

/// Exit codes are a contract (docs/cli.md).
enum ExitCodes {
    static let verified: Int32 = 0
    static let notVerified: Int32 = 1
    static let usage: Int32 = 2
    static let unreachable: Int32 = 3
}
