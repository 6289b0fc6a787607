import ACPServer
import ArgumentParser
import Config
import JSONValue

#if canImport(Glibc)
import Glibc
#endif

struct ACPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acp",
        abstract: "Run as an Agent Client Protocol agent on stdin/stdout (for Zed and other ACP clients).",
        discussion: """
            One JSON-RPC 2.0 message per line on stdin/stdout; logs go to stderr only. Each prompt runs one \
            fix on a snapshot of the session's repository. Settings come from these options over \
            fixpoint.toml at the repository root, as for `fix` (docs/configuration.md). See docs/acp.md.
            """)

    @Option(name: .customLong("test-cmd"), help: help(.testCommand)) var testCmd: String?
    @Option(help: help(.modelUrl)) var modelURL: String?
    @Option(help: help(.model)) var model: String?
    @Option(help: help(.apiKeyEnv)) var apiKeyEnv: String?
    @Option(help: help(.maxSteps)) var maxSteps: Int?
    @Option(help: help(.heavy)) var heavy: Int?
    @Option(help: help(.tokenBudget)) var tokenBudget: Int?
    @Option(help: help(.timeout)) var timeout: Double?
    @Option(help: help(.actionMode)) var actionMode: String?
    @Option(help: help(.contextSize)) var contextSize: Int?

    func validate() throws {
        do { _ = try commandLineSettings() } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let code = await ACPMain.run(settings: try commandLineSettings())
        Glibc.exit(code)
    }

    /// The options given, checked against the same limits as every other layer.
    private func commandLineSettings() throws(ConfigError) -> Settings {
        let given: [(ConfigKey, JSON?)] = [
            (.testCommand, testCmd.map(JSON.string)), (.modelUrl, modelURL.map(JSON.string)), (.model, model.map(JSON.string)),
            (.apiKeyEnv, apiKeyEnv.map(JSON.string)), (.maxSteps, maxSteps.map(JSON.int)), (.heavy, heavy.map(JSON.int)),
            (.tokenBudget, tokenBudget.map(JSON.int)), (.timeout, timeout.map(JSON.double)),
            (.actionMode, actionMode.map(JSON.string)), (.contextSize, contextSize.map(JSON.int)),
        ]
        var settings = Settings()
        for case let (key, value?) in given {
            settings = settings.overlaid(by: try Settings(object: [key.rawValue: value], layer: .commandLine, location: key.option))
        }
        return settings
    }

    private static func help(_ key: ConfigKey) -> ArgumentHelp {
        ArgumentHelp("\(key.summary) (default: \(key.defaultText))")
    }
}
