import ArgumentParser

@main
struct Fixpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixpoint",
        abstract: "A language server that hosts a coding agent and hands back verified fixes.",
        version: FixpointVersion.string,
        subcommands: [ServeCommand.self, FixCommand.self, EvalCommand.self, ModelCommand.self, DoctorCommand.self]
    )
}

enum FixpointVersion {
    static let string = "0.1.0"
}

/// Exit codes are a contract (docs/cli.md).
enum ExitCodes {
    static let verified: Int32 = 0
    static let notVerified: Int32 = 1
    static let usage: Int32 = 2
    static let unreachable: Int32 = 3
}

/// For subcommands whose issue has not landed: one line, exit 2.
func notLandedYet(_ what: String) -> ExitCode {
    printError("fixpoint: '\(what)' is not available yet in this version.")
    return ExitCode(ExitCodes.usage)
}
